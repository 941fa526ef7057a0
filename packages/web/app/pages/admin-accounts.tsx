import { useState, type SyntheticEvent } from 'react';
import { ROLES, type Account, type Role } from '../api/schemas.js';
import { Link } from '../components/link.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { FormError, FormField, PasswordField, SubmitRow, TextField } from '../components/form-field.js';
import { ErrorNote, Loading } from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { formErrors, passwordProblem, type FormErrors } from '../lib/admin-forms.js';
import { dateTime } from '../lib/format.js';
import { Forbidden } from './forbidden.js';

const NONE: FormErrors = { fields: {}, general: null };
const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** Admin › Accounts: every account, a form to create one, and per account its role, state and password. */
export function AccountsPage() {
  const allowed = useCan('users:manage');
  if (!allowed) return <Forbidden what="Accounts" />;
  return <Accounts />;
}

function Accounts() {
  const { api } = useSession();
  const [tick, setTick] = useState(0);
  const users = useLoad(() => api.users(), `users:${String(tick)}`);
  const reload = () => {
    setTick((t) => t + 1);
  };
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Accounts</h1>
      </div>
      {users.loading && users.data === null ? <Loading what="the accounts" /> : null}
      <ErrorNote error={users.error} />
      {users.data === null ? null : <AccountsTable accounts={users.data.items} onChanged={reload} />}
      <NewAccount onCreated={reload} />
    </main>
  );
}

function AccountsTable({ accounts, onChanged }: { accounts: readonly Account[]; onChanged: () => void }) {
  const [resetting, setResetting] = useState<string | null>(null);
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">All accounts</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <AccountRow
                key={a.id}
                account={a}
                resetting={resetting === a.id}
                onReset={(open) => {
                  setResetting(open ? a.id : null);
                }}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AccountRow({
  account,
  resetting,
  onReset,
  onChanged,
}: {
  account: Account;
  resetting: boolean;
  onReset: (open: boolean) => void;
  onChanged: () => void;
}) {
  const { api, user } = useSession();
  const self = account.id === user.id;
  const [role, setRole] = useState<Role>(account.role);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const update = (body: { role?: Role; disabled?: boolean }, said: string) => {
    setBusy(true);
    setError(null);
    setStatus('');
    api
      .updateUser(account.id, body)
      .then(() => {
        setStatus(said);
        onChanged();
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <>
      <tr data-account={account.email}>
        <th scope="row">
          {account.name}
          {self ? <span className="muted small"> (you)</span> : null}
        </th>
        <td>{account.email}</td>
        <td>
          <form
            className="row-inline"
            onSubmit={(e) => {
              e.preventDefault();
              update({ role }, `role changed to ${role}`);
            }}
          >
            <label className="sr-only" htmlFor={`role-${account.id}`}>
              Role of {account.email}
            </label>
            <select
              id={`role-${account.id}`}
              value={role}
              disabled={self || busy}
              onChange={(e) => {
                if (isRole(e.target.value)) setRole(e.target.value);
              }}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>{' '}
            {self ? null : (
              <button
                type="submit"
                className="secondary"
                disabled={busy || role === account.role}
                aria-label={`Change the role of ${account.email}`}
              >
                Change role
              </button>
            )}
          </form>
        </td>
        <td>
          <span className={account.disabled ? 'status rs-open' : 'status rs-mitigated'}>
            {account.disabled ? 'disabled' : 'active'}
          </span>
        </td>
        <td>{dateTime(account.createdAt)}</td>
        <td>
          <div className="actions">
            {self ? (
              <span className="small">
                your own password: <Link to={{ page: 'account' }}>Your account</Link>
              </span>
            ) : (
              <>
                {account.disabled ? (
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    aria-label={`Enable ${account.email}`}
                    onClick={() => {
                      update({ disabled: false }, 'account enabled');
                    }}
                  >
                    Enable
                  </button>
                ) : (
                  <ConfirmButton
                    label="Disable"
                    name={`Disable ${account.email}`}
                    question={`Disable ${account.email}? Their sessions end now.`}
                    confirmLabel={`Disable ${account.email}`}
                    disabled={busy}
                    onConfirm={() => {
                      update({ disabled: true }, 'account disabled');
                    }}
                  />
                )}
                <button
                  type="button"
                  className="secondary"
                  aria-expanded={resetting}
                  aria-label={`Reset the password of ${account.email}`}
                  onClick={() => {
                    onReset(!resetting);
                  }}
                >
                  Reset password
                </button>
              </>
            )}
          </div>
          {status === '' ? null : (
            <span className="ok small" role="status">
              {status}
            </span>
          )}
          <ErrorNote error={error} />
        </td>
      </tr>
      {resetting ? (
        <tr className="editor-row">
          <td colSpan={6}>
            <ResetPassword
              account={account}
              onDone={() => {
                onReset(false);
                onChanged();
              }}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ResetPassword({ account, onDone }: { account: Account; onDone: () => void }) {
  const { api } = useSession();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const [busy, setBusy] = useState(false);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const problem = passwordProblem(password);
    if (problem !== null) {
      setErrors({ fields: { password: problem }, general: null });
      return;
    }
    setBusy(true);
    setErrors(NONE);
    api
      .updateUser(account.id, { password })
      .then(onDone)
      .catch((error: unknown) => {
        setErrors(formErrors(error, ['password']));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <form
      className="inline-form"
      onSubmit={submit}
      noValidate
      aria-label={`New password for ${account.email}`}
    >
      <PasswordField
        label={`New password for ${account.email}`}
        hint="12–256 characters; their sessions end"
        error={errors.fields.password}
        autoComplete="new-password"
        value={password}
        onValue={setPassword}
      />
      <button type="submit" disabled={busy}>
        Set password
      </button>
      <FormError message={errors.general} />
    </form>
  );
}

function NewAccount({ onCreated }: { onCreated: () => void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('engineer');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState('');

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setCreated('');
    const fields: Partial<Record<string, string>> = {};
    if (name.trim() === '') fields.name = 'enter a name';
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) fields.email = 'not an email address';
    const problem = passwordProblem(password);
    if (problem !== null) fields.password = problem;
    if (Object.keys(fields).length > 0) {
      setErrors({ fields, general: null });
      return;
    }
    setBusy(true);
    setErrors(NONE);
    api
      .createUser({ name: name.trim(), email: email.trim(), role, password })
      .then((u) => {
        setCreated(`${u.email} created as ${u.role}`);
        setName('');
        setEmail('');
        setPassword('');
        onCreated();
      })
      .catch((error: unknown) => {
        setErrors(formErrors(error, ['name', 'email', 'role', 'password'], 'email'));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <section className="card narrow" aria-labelledby="new-account-title">
      <h2 id="new-account-title">New account</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Name"
          error={errors.fields.name}
          value={name}
          maxLength={200}
          autoComplete="off"
          onValue={setName}
        />
        <TextField
          label="Email"
          error={errors.fields.email}
          type="email"
          value={email}
          maxLength={254}
          autoComplete="off"
          onValue={setEmail}
        />
        <FormField label="Role" error={errors.fields.role}>
          {(p) => (
            <select
              {...p}
              value={role}
              onChange={(e) => {
                if (isRole(e.target.value)) setRole(e.target.value);
              }}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <PasswordField
          label="Initial password"
          hint="12–256 characters; give it to the person over a separate channel"
          error={errors.fields.password}
          autoComplete="new-password"
          value={password}
          onValue={setPassword}
        />
        <FormError message={errors.general} />
        <SubmitRow label="Create account" busy={busy} status={created === '' ? null : created} />
      </form>
    </section>
  );
}
