import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApi } from './api/endpoints.js';
import { ApiFailure } from './api/http.js';
import type { User } from './api/schemas.js';
import { SessionContext, useSession, type Session } from './hooks.js';
import { parseRoute, routePath, type Route } from './lib/route.js';
import { SignInPage } from './pages/sign-in.js';
import { PortfolioPage } from './pages/portfolio.js';
import { RiskRegisterPage } from './pages/risk-register.js';
import { SystemPage } from './pages/system.js';
import { AccountPage } from './pages/account.js';
import { AccountsPage } from './pages/admin-accounts.js';
import { TokensPage } from './pages/tokens.js';
import { AuditPage } from './pages/audit-log.js';
import { roleCan } from './lib/roles.js';
import { Loading } from './components/ui.js';
import { Link } from './components/link.js';

/** Called when the server says the session is gone (expired, signed out elsewhere, role changed). */
let onSessionLost: () => void = () => undefined;
const api = createApi(async (input, init) => {
  const res = await window.fetch(input, init);
  if (res.status === 401 && !input.startsWith('/api/auth/')) onSessionLost();
  return res;
});

function currentRoute(): Route {
  return parseRoute(window.location.pathname, window.location.search);
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(currentRoute);

  useEffect(() => {
    onSessionLost = () => {
      setUser(null);
    };
    api.me().then(
      (me) => {
        setUser(me.user);
      },
      (e: unknown) => {
        if (!(e instanceof ApiFailure) || e.status !== 401) console.warn(e);
        setUser(null);
      },
    );
    const onPop = () => {
      setRoute(currentRoute());
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
    };
  }, []);

  const navigate = useCallback((next: Route) => {
    const path = routePath(next);
    if (path !== window.location.pathname + window.location.search) window.history.pushState(null, '', path);
    setRoute(next);
  }, []);

  const signOut = useCallback(() => {
    // Signed out locally whatever the answer: an expired session is as good as a closed one.
    void api
      .logout()
      .catch(() => undefined)
      .finally(() => {
        setUser(null);
      });
  }, []);

  const session = useMemo<Session | null>(
    () => (user === null || user === undefined ? null : { api, user, navigate, signOut }),
    [user, navigate, signOut],
  );

  if (user === undefined) return <Loading what="AtlasGuard" />;
  if (session === null) return <SignInPage api={api} onSignedIn={setUser} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell route={route}>
        <Page route={route} />
      </Shell>
    </SessionContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'portfolio':
      return <PortfolioPage />;
    case 'risks':
      return <RiskRegisterPage />;
    case 'account':
      return <AccountPage />;
    case 'accounts':
      return <AccountsPage />;
    case 'tokens':
      return <TokensPage />;
    case 'audit':
      return <AuditPage />;
    case 'system':
      return <SystemPage key={route.id} id={route.id} tab={route.tab} technique={route.technique} />;
    case 'not-found':
      return (
        <main id="main" className="page">
          <h1>Not found</h1>
          <p>There is no page at {route.path}.</p>
          <Link to={{ page: 'portfolio' }}>Back to the portfolio</Link>
        </main>
      );
  }
}

function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const { user, signOut } = useSession();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">AtlasGuard</span>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to={{ page: 'portfolio' }} className={route.page === 'portfolio' ? 'current' : ''}>
                Portfolio
              </Link>
            </li>
            <li>
              <Link to={{ page: 'risks' }} className={route.page === 'risks' ? 'current' : ''}>
                Risk register
              </Link>
            </li>
            {roleCan(user.role, 'users:manage') ? (
              <li>
                <Link to={{ page: 'accounts' }} className={route.page === 'accounts' ? 'current' : ''}>
                  Accounts
                </Link>
              </li>
            ) : null}
            {roleCan(user.role, 'tokens:manage') ? (
              <li>
                <Link to={{ page: 'tokens' }} className={route.page === 'tokens' ? 'current' : ''}>
                  API tokens
                </Link>
              </li>
            ) : null}
            {roleCan(user.role, 'audit:read') ? (
              <li>
                <Link to={{ page: 'audit' }} className={route.page === 'audit' ? 'current' : ''}>
                  Audit log
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <span className="who">
          <Link to={{ page: 'account' }} className={route.page === 'account' ? 'current' : ''}>
            <span data-testid="whoami">
              {user.name} <span className="role">{user.role}</span>
            </span>
            <span className="sr-only"> — your account</span>
          </Link>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      {children}
    </>
  );
}
