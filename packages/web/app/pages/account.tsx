import { useState, type SyntheticEvent } from 'react';
import { ApiFailure } from '../api/http.js';
import { FormError, PasswordField, SubmitRow } from '../components/form-field.js';
import { useSession } from '../hooks.js';
import { formErrors, passwordProblem, type FormErrors } from '../lib/admin-forms.js';

const NONE: FormErrors = { fields: {}, general: null };

/** Your own account: who you are signed in as, and a password change. */
export function AccountPage() {
  const { user } = useSession();
  return (
    <main id="main" className="page narrow">
      <div className="page-head">
        <h1>Your account</h1>
      </div>
      <dl className="pairs">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
      </dl>
      <ChangePassword />
    </main>
  );
}

function ChangePassword() {
  const { api } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setDone(false);
    const fields: Partial<Record<string, string>> = {};
    if (current === '') fields.currentPassword = 'enter your current password';
    const problem = passwordProblem(next);
    if (problem !== null) fields.newPassword = problem;
    else if (next === current) fields.newPassword = 'choose a password different from the current one';
    if (repeat !== next) fields.repeat = 'the two new passwords differ';
    if (Object.keys(fields).length > 0) {
      setErrors({ fields, general: null });
      return;
    }
    setBusy(true);
    setErrors(NONE);
    api
      .changePassword(current, next)
      .then(() => {
        setDone(true);
        setCurrent('');
        setNext('');
        setRepeat('');
      })
      .catch((error: unknown) => {
        // A wrong current password is a 401 naming no field: it belongs to that field.
        setErrors(
          error instanceof ApiFailure && error.status === 401
            ? { fields: { currentPassword: error.message }, general: null }
            : formErrors(error, ['currentPassword', 'newPassword']),
        );
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      <p className="small muted">
        12 to 256 characters. Changing it signs out every other session of your account; this one stays signed
        in.
      </p>
      <form onSubmit={submit} noValidate>
        <PasswordField
          label="Current password"
          error={errors.fields.currentPassword}
          autoComplete="current-password"
          value={current}
          onValue={setCurrent}
        />
        <PasswordField
          label="New password"
          hint="12–256 characters"
          error={errors.fields.newPassword}
          autoComplete="new-password"
          value={next}
          onValue={setNext}
        />
        <PasswordField
          label="Repeat the new password"
          error={errors.fields.repeat}
          autoComplete="new-password"
          value={repeat}
          onValue={setRepeat}
        />
        <FormError message={errors.general} />
        <SubmitRow label="Change password" busy={busy} status={done ? 'Password changed' : null} />
      </form>
    </section>
  );
}
