import type { ApiAction, Role } from '../api/schemas.js';

/** The actions the UI shows controls for (a subset of the server's actions, `API_ACTIONS`). */
const ALL = [
  'systems:write',
  'models:write',
  'runs:write',
  'risks:write',
  'risks:accept',
  'answers:write',
  'evidence:write',
  'findings:write',
  'users:manage',
  'tokens:manage',
  'audit:read',
] as const satisfies readonly ApiAction[];

/** What the UI offers each role: a mirror of the server's role table, used only to hide controls. */
export type UiAction = (typeof ALL)[number];

const BY_ROLE: Readonly<Record<Role, ReadonlySet<UiAction>>> = {
  admin: new Set<UiAction>(ALL),
  security: new Set(ALL.filter((a) => a !== 'users:manage')),
  engineer: new Set<UiAction>(['answers:write', 'evidence:write', 'findings:write']),
  risk: new Set<UiAction>(['risks:write', 'risks:accept']),
  viewer: new Set<UiAction>(),
};

export function roleCan(role: Role, action: UiAction): boolean {
  return BY_ROLE[role].has(action);
}

export const UI_ACTIONS = ALL;
