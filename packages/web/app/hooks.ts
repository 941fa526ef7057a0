import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { Api } from './api/endpoints.js';
import type { User } from './api/schemas.js';
import type { Route } from './lib/route.js';
import { roleCan, type UiAction } from './lib/roles.js';

export interface Session {
  api: Api;
  user: User;
  navigate: (route: Route) => void;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('useSession outside of a signed-in page');
  return s;
}

/** Whether the signed-in role may do this (the API enforces it; the UI hides what it would refuse). */
export function useCan(action: UiAction): boolean {
  return roleCan(useSession().user.role, action);
}

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads `fn()` when `key` changes; `reload()` fetches again. Stale answers are dropped. */
export function useLoad<T>(fn: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    fn().then(
      (data) => {
        if (live) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (live) setState({ data: null, error, loading: false });
      },
    );
    return () => {
      live = false;
    };
    // `key` names everything fn depends on.
  }, [key, tick]);
  const reload = useCallback(() => {
    setTick((t) => t + 1);
  }, []);
  return { ...state, reload };
}
