import type { ApiToken, Role, User } from '@atlasguard/storage';

/** Everything the API lets someone do; each route names exactly one. */
export const ACTIONS = [
  'systems:read',
  'systems:write',
  'systems:delete',
  'models:write',
  'runs:write',
  'risks:write',
  'risks:accept',
  'answers:write',
  'evidence:write',
  'findings:write',
  'reports:read',
  'audit:read',
  'tokens:manage',
  'users:manage',
  'workspace:export',
  'workspace:import',
] as const;
export type Action = (typeof ACTIONS)[number];

const READ: readonly Action[] = ['systems:read', 'reports:read'];
/** Account and whole-workspace actions: they touch credentials (exports hold password hashes). */
const ADMIN_ONLY: readonly Action[] = ['users:manage', 'workspace:export', 'workspace:import'];

/** What each role may do. admin: all; security: all but accounts and whole-workspace backup/restore. */
export const ROLE_ACTIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  admin: new Set(ACTIONS),
  security: new Set(ACTIONS.filter((a) => !ADMIN_ONLY.includes(a))),
  engineer: new Set<Action>([...READ, 'answers:write', 'evidence:write', 'findings:write']),
  risk: new Set<Action>([...READ, 'risks:write', 'risks:accept']),
  viewer: new Set<Action>(READ),
};

/** Actions an API token can never carry, whatever its owner may do. */
export const TOKEN_FORBIDDEN: ReadonlySet<Action> = new Set<Action>([
  'users:manage',
  'tokens:manage',
  'workspace:export',
  'workspace:import',
]);

export type Actor = { kind: 'user'; user: User } | { kind: 'token'; user: User; token: ApiToken };

/** What an action applies to; `systemId` narrows a token scoped to some systems. */
export interface Resource {
  systemId?: string | undefined;
  /** A workspace-wide list the caller filters down to the token's systems itself. */
  filteredList?: boolean | undefined;
}

/** The one authorization check: the service layer calls it for every request. */
export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
  if (actor === null) return false;
  if (actor.user.disabled) return false;
  if (!ROLE_ACTIONS[actor.user.role].has(action)) return false;
  if (actor.kind === 'user') return true;
  if (TOKEN_FORBIDDEN.has(action)) return false;
  if (!actor.token.scopes.actions.includes(action)) return false;
  const systems = actor.token.scopes.systems;
  if (systems === null) return true;
  // A token limited to some systems can only act on a named one (never on workspace-wide lists).
  if (resource.filteredList === true) return true;
  return resource.systemId !== undefined && systems.includes(resource.systemId);
}

export const isAction = (value: string): value is Action => (ACTIONS as readonly string[]).includes(value);
