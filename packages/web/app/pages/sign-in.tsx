import { useState, type SyntheticEvent } from 'react';
import type { Api } from '../api/endpoints.js';
import type { User } from '../api/schemas.js';
import { ErrorNote, Field } from '../components/ui.js';

/** Sign-in, and the one-time creation of the first admin with the setup token `atlasguard serve` printed. */
export function SignInPage({ api, onSignedIn }: { api: Api; onSignedIn: (user: User) => void }) {
  const [mode, setMode] = useState<'login' | 'setup'>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState(false);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const done =
      mode === 'login'
        ? api.login(email, password).then((r) => {
            onSignedIn(r.user);
          })
        : api.setup({ token: token.trim(), email, name, password }).then(() => {
            setCreated(true);
            setMode('login');
            setPassword('');
          });
    done.catch(setError).finally(() => {
      setBusy(false);
    });
  };

  return (
    <main id="main" className="signin">
      <h1>AtlasGuard</h1>
      <p className="muted">MITRE ATLAS risks, verification work and evidence of your AI systems.</p>
      <form onSubmit={submit} className="card" aria-labelledby="signin-title">
        <h2 id="signin-title">{mode === 'login' ? 'Sign in' : 'Create the first admin'}</h2>
        {created ? (
          <p className="ok" role="status">
            The admin account is created. Sign in with it.
          </p>
        ) : null}
        {mode === 'setup' ? (
          <>
            <p className="muted">
              On its first start without an account, <code>atlasguard serve</code> prints a one-time setup
              token on its standard error. It works once.
            </p>
            <Field label="Setup token">
              {(id) => (
                <input
                  id={id}
                  value={token}
                  onChange={(e) => {
                    setToken(e.target.value);
                  }}
                  required
                  autoComplete="off"
                />
              )}
            </Field>
            <Field label="Name">
              {(id) => (
                <input
                  id={id}
                  value={name}
                  onChange={(e) => {
                    setName(e.target.value);
                  }}
                  required
                  maxLength={200}
                />
              )}
            </Field>
          </>
        ) : null}
        <Field label="Email">
          {(id) => (
            <input
              id={id}
              type="email"
              value={email}
              onChange={(e) => {
                setEmail(e.target.value);
              }}
              required
              autoComplete="username"
            />
          )}
        </Field>
        <Field label="Password" {...(mode === 'setup' ? { hint: '12 to 256 characters' } : {})}>
          {(id) => (
            <input
              id={id}
              type="password"
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
              }}
              required
              minLength={mode === 'setup' ? 12 : 1}
              autoComplete={mode === 'setup' ? 'new-password' : 'current-password'}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {mode === 'login' ? 'Sign in' : 'Create admin'}
          </button>
          <button
            type="button"
            className="link"
            onClick={() => {
              setMode(mode === 'login' ? 'setup' : 'login');
              setError(null);
            }}
          >
            {mode === 'login' ? 'First start: create the first admin' : 'Back to sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
