import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type { ApiAction, ApiToken, System } from '../api/schemas.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { FormError, TextField } from '../components/form-field.js';
import { ErrorNote, Loading } from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { formErrors, grantableActions, tokenBody, tokenState, type FormErrors } from '../lib/admin-forms.js';
import { dateOnly, dateTime } from '../lib/format.js';
import { Forbidden } from './forbidden.js';

const NONE: FormErrors = { fields: {}, general: null };

/** What each action lets a CI job do, in the words of the checkbox. */
const ACTION_HELP: Readonly<Record<ApiAction, string>> = {
  'systems:read': 'read systems, runs, matrices and evidence',
  'systems:write': 'create and change systems',
  'systems:delete': 'delete systems',
  'models:write': 'import system model versions',
  'runs:write': 'assess now, post runs made elsewhere',
  'risks:write': 'change risks in the register',
  'risks:accept': 'accept risks',
  'answers:write': 'answer checklist questions',
  'evidence:write': 'attach and delete evidence',
  'findings:write': 'upload scan results',
  'reports:read': 'download reports',
  'audit:read': 'read the audit log',
  'tokens:manage': 'manage tokens',
  'users:manage': 'manage accounts',
  'workspace:export': 'export the workspace',
  'workspace:import': 'import a workspace',
};

/** API tokens for CI: create one (its secret is shown once), list them, revoke. */
export function TokensPage() {
  const allowed = useCan('tokens:manage');
  if (!allowed) return <Forbidden what="API tokens" />;
  return <Tokens />;
}

function Tokens() {
  const { api } = useSession();
  const [tick, setTick] = useState(0);
  const tokens = useLoad(() => api.tokens(), `tokens:${String(tick)}`);
  const systems = useLoad(() => api.systems(), 'systems');
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const reload = () => {
    setTick((t) => t + 1);
  };
  const systemList = systems.data?.items ?? [];
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <p className="muted">
        A token lets a CI job call the API with <code>Authorization: Bearer agt_…</code>: only the actions it
        lists (and that your role has), only on the systems it names. Tokens never manage accounts or tokens.
      </p>
      {secret === null ? null : (
        <NewSecret
          name={secret.name}
          token={secret.token}
          onDone={() => {
            setSecret(null);
          }}
        />
      )}
      <NewToken
        systems={systemList}
        onCreated={(name, token) => {
          setSecret({ name, token });
          reload();
        }}
      />
      {tokens.loading && tokens.data === null ? <Loading what="the tokens" /> : null}
      <ErrorNote error={tokens.error} />
      <ErrorNote error={systems.error} />
      {tokens.data === null ? null : (
        <TokensTable tokens={tokens.data.items} systems={systemList} onChanged={reload} />
      )}
    </main>
  );
}

function NewSecret({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | ''>('');
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const copy = () => {
    inputRef.current?.select();
    // The clipboard needs a secure context (https, or loopback); otherwise the text is left selected.
    const clip = typeof navigator.clipboard === 'undefined' ? null : navigator.clipboard;
    if (clip === null) {
      setCopied('no');
      return;
    }
    clip.writeText(token).then(
      () => {
        setCopied('yes');
      },
      () => {
        setCopied('no');
      },
    );
  };
  return (
    <section className="card secret" aria-labelledby="secret-title" tabIndex={-1} ref={ref}>
      <h2 id="secret-title">Token “{name}” created</h2>
      <p className="warn" id="secret-warning">
        Copy the secret now: it will not be shown again. Only its SHA-256 is stored; if you lose it, revoke
        the token and create another.
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="token-secret">Token secret</label>
          <input
            id="token-secret"
            ref={inputRef}
            className="mono secret-value"
            readOnly
            value={token}
            aria-describedby="secret-warning"
            onFocus={(e) => {
              e.target.select();
            }}
          />
        </div>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p role="status" className="small">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'no'
            ? 'The browser refused the clipboard: the secret is selected, copy it with Ctrl+C.'
            : ''}
      </p>
    </section>
  );
}

function NewToken({
  systems,
  onCreated,
}: {
  systems: readonly System[];
  onCreated: (name: string, token: string) => void;
}) {
  const { api, user } = useSession();
  const grantable = grantableActions(user.role);
  const [name, setName] = useState('');
  const [actions, setActions] = useState<ApiAction[]>(['findings:write']);
  const [scope, setScope] = useState<'all' | 'some'>('some');
  const [chosen, setChosen] = useState<string[]>([]);
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const [busy, setBusy] = useState(false);

  const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] =>
    on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const built = tokenBody({ name, actions, scope, systems: chosen, expires }, user.role);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setBusy(true);
    setErrors(NONE);
    api
      .createToken(built.body)
      .then((r) => {
        onCreated(r.record.name, r.token);
        setName('');
        setExpires('');
      })
      .catch((error: unknown) => {
        setErrors(formErrors(error, ['name', 'actions', 'systems', 'expiresAt']));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <section className="card" aria-labelledby="new-token-title">
      <h2 id="new-token-title">New CI token</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Name"
          hint="e.g. the CI job that uses it"
          error={errors.fields.name}
          value={name}
          maxLength={200}
          autoComplete="off"
          onValue={setName}
        />
        <fieldset
          className="choices"
          aria-describedby={errors.fields.actions === undefined ? undefined : 'actions-error'}
        >
          <legend>Actions</legend>
          <p className="small muted">The actions your role ({user.role}) may put on a token.</p>
          <ul className="plain columns">
            {grantable.map((a) => (
              <li key={a}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={actions.includes(a)}
                    onChange={(e) => {
                      setActions((l) => toggle(l, a, e.target.checked));
                    }}
                  />
                  <code>{a}</code> <span className="small muted">{ACTION_HELP[a]}</span>
                </label>
              </li>
            ))}
          </ul>
          {errors.fields.actions === undefined ? null : (
            <small id="actions-error" className="error" role="alert">
              {errors.fields.actions}
            </small>
          )}
        </fieldset>
        <fieldset
          className="choices"
          aria-describedby={errors.fields.systems === undefined ? undefined : 'systems-error'}
        >
          <legend>Systems</legend>
          <label className="check">
            <input
              type="radio"
              name="token-scope"
              checked={scope === 'all'}
              onChange={() => {
                setScope('all');
              }}
            />
            every system, including later ones
          </label>
          <label className="check">
            <input
              type="radio"
              name="token-scope"
              checked={scope === 'some'}
              onChange={() => {
                setScope('some');
              }}
            />
            only these systems:
          </label>
          {scope === 'some' ? (
            systems.length === 0 ? (
              <p className="small muted">No system yet: add one on the portfolio first.</p>
            ) : (
              <ul className="plain columns">
                {systems.map((s) => (
                  <li key={s.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={chosen.includes(s.id)}
                        onChange={(e) => {
                          setChosen((l) => toggle(l, s.id, e.target.checked));
                        }}
                      />
                      {s.name} <span className="small muted">({s.slug})</span>
                    </label>
                  </li>
                ))}
              </ul>
            )
          ) : null}
          {errors.fields.systems === undefined ? null : (
            <small id="systems-error" className="error" role="alert">
              {errors.fields.systems}
            </small>
          )}
        </fieldset>
        <TextField
          label="Expires (optional)"
          hint="at the end of that day, UTC; without one the token lasts until revoked"
          error={errors.fields.expiresAt}
          type="date"
          value={expires}
          onValue={setExpires}
        />
        <FormError message={errors.general} />
        <button type="submit" disabled={busy}>
          Create token
        </button>
      </form>
    </section>
  );
}

function TokensTable({
  tokens,
  systems,
  onChanged,
}: {
  tokens: readonly ApiToken[];
  systems: readonly System[];
  onChanged: () => void;
}) {
  const { api, user } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map(systems.map((s) => [s.id, s.name]));
  const revoke = (t: ApiToken) => {
    setBusy(true);
    setError(null);
    api
      .revokeToken(t.id)
      .then(onChanged)
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">Tokens</h2>
      <ErrorNote error={error} />
      {tokens.length === 0 ? (
        <p>No token yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Actions</th>
                <th scope="col">Systems</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => {
                const state = tokenState(t);
                return (
                  <tr key={t.id} data-token={t.name}>
                    <th scope="row">
                      {t.name}
                      {t.userId === user.id ? <span className="muted small"> (yours)</span> : null}
                    </th>
                    <td>
                      {t.scopes.actions.map((a) => (
                        <code key={a} className="tag">
                          {a}
                        </code>
                      ))}
                    </td>
                    <td>
                      {t.scopes.systems === null
                        ? 'every system'
                        : t.scopes.systems.map((s) => names.get(s) ?? s).join(', ')}
                    </td>
                    <td>{dateTime(t.createdAt)}</td>
                    <td>{t.expiresAt === null ? 'never' : dateOnly(t.expiresAt)}</td>
                    <td>{t.lastUsedAt === null ? 'never' : dateTime(t.lastUsedAt)}</td>
                    <td>
                      <span className={state === 'active' ? 'status rs-mitigated' : 'status rs-open'}>
                        {state}
                      </span>
                    </td>
                    <td>
                      {state === 'active' ? (
                        <ConfirmButton
                          label="Revoke"
                          name={`Revoke ${t.name}`}
                          question={`Revoke “${t.name}”? CI jobs using it stop working.`}
                          confirmLabel={`Revoke ${t.name}`}
                          disabled={busy}
                          onConfirm={() => {
                            revoke(t);
                          }}
                        />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
