import { useState, type SyntheticEvent } from 'react';
import type { Api } from '../api/endpoints.js';
import type { User } from '../api/schemas.js';
import { ErrorNote, InputField } from '../components/ui.js';

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
            <InputField label="Setup token" value={token} required autoComplete="off" onValue={setToken} />
            <InputField label="Name" value={name} required maxLength={200} onValue={setName} />
          </>
        ) : null}
        <InputField
          label="Email"
          type="email"
          value={email}
          required
          autoComplete="username"
          onValue={setEmail}
        />
        <InputField
          label="Password"
          {...(mode === 'setup' ? { hint: '12 to 256 characters' } : {})}
          type="password"
          value={password}
          required
          minLength={mode === 'setup' ? 12 : 1}
          autoComplete={mode === 'setup' ? 'new-password' : 'current-password'}
          onValue={setPassword}
        />
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
