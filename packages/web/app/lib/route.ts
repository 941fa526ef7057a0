/** The pages of the app and their URLs (client-side routes under `/`). */
export const SYSTEM_TABS = [
  'matrix',
  'checklist',
  'elements',
  'scenarios',
  'history',
  'findings',
  'model',
  'reports',
] as const;
export type SystemTab = (typeof SYSTEM_TABS)[number];

export type Route =
  | { page: 'portfolio' }
  | { page: 'risks' }
  | { page: 'account' }
  | { page: 'accounts' }
  | { page: 'tokens' }
  | { page: 'audit' }
  | { page: 'system'; id: string; tab: SystemTab; technique: string | null }
  | { page: 'not-found'; path: string };

const isTab = (s: string): s is SystemTab => (SYSTEM_TABS as readonly string[]).includes(s);

/** Parses a pathname (and the `technique` search parameter on the matrix). */
export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { page: 'portfolio' };
  if (parts.length === 1 && parts[0] === 'risks') return { page: 'risks' };
  if (parts.length === 1 && parts[0] === 'account') return { page: 'account' };
  if (parts.length === 2 && parts[0] === 'admin') {
    if (parts[1] === 'accounts') return { page: 'accounts' };
    if (parts[1] === 'tokens') return { page: 'tokens' };
    if (parts[1] === 'audit') return { page: 'audit' };
  }
  if (parts[0] === 'systems' && parts[1] !== undefined && parts.length <= 3) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1]);
    } catch {
      return { page: 'not-found', path: pathname };
    }
    // System ids are UUIDs: anything else (`..`, `.`, a decoded `/`) would change the API path it goes into.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return { page: 'not-found', path: pathname };
    const tab = parts[2] ?? 'matrix';
    if (!isTab(tab)) return { page: 'not-found', path: pathname };
    const technique = new URLSearchParams(search).get('technique');
    return {
      page: 'system',
      id,
      tab,
      technique: technique !== null && /^AML\.T\d{4}(\.\d{3})?$/.test(technique) ? technique : null,
    };
  }
  return { page: 'not-found', path: pathname };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'portfolio':
      return '/';
    case 'risks':
      return '/risks';
    case 'account':
      return '/account';
    case 'accounts':
      return '/admin/accounts';
    case 'tokens':
      return '/admin/tokens';
    case 'audit':
      return '/admin/audit';
    case 'system': {
      const base = `/systems/${encodeURIComponent(route.id)}/${route.tab}`;
      return route.technique === null ? base : `${base}?technique=${encodeURIComponent(route.technique)}`;
    }
    case 'not-found':
      return route.path;
  }
}
