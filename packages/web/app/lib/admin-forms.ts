import { ApiFailure } from '../api/http.js';
import { API_ACTIONS, type ApiAction, type AuditEntry, type Role } from '../api/schemas.js';
import { endOfDayIso } from './format.js';

/** The server's password rule (12–256 characters), checked before sending so the field says it at once. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `at least ${String(PASSWORD_MIN)} characters`;
  if (password.length > PASSWORD_MAX) return `at most ${String(PASSWORD_MAX)} characters`;
  return null;
}

/** Errors of a form: one per field it names, plus what belongs to no field. */
export interface FormErrors {
  fields: Partial<Record<string, string>>;
  general: string | null;
}

/**
 * Puts the server's answer next to the field it is about: a `400` names fields in its details
 * (`[{path, message}]`); a `409` (e.g. a duplicate email) goes to `conflictField` when the form has one.
 */
export function formErrors(error: unknown, fields: readonly string[], conflictField?: string): FormErrors {
  if (!(error instanceof ApiFailure)) {
    return { fields: {}, general: error instanceof Error ? error.message : 'something went wrong' };
  }
  const out: FormErrors = { fields: {}, general: null };
  if (error.status === 409 && conflictField !== undefined && fields.includes(conflictField)) {
    out.fields[conflictField] = error.message;
    return out;
  }
  const unplaced: string[] = [];
  if (error.status === 400 && Array.isArray(error.details)) {
    for (const issue of error.details as unknown[]) {
      if (typeof issue !== 'object' || issue === null) continue;
      const path = 'path' in issue && typeof issue.path === 'string' ? issue.path : '';
      const message = 'message' in issue && typeof issue.message === 'string' ? issue.message : '';
      if (message === '') continue;
      const field = path.split('.')[0] ?? '';
      if (fields.includes(field)) out.fields[field] ??= message;
      else unplaced.push(path === '' ? message : `${path}: ${message}`);
    }
  }
  const placed = Object.keys(out.fields).length > 0;
  if (!placed || unplaced.length > 0) {
    const base = `${error.message}${error.status > 0 ? ` (${String(error.status)} ${error.code})` : ''}`;
    out.general = unplaced.length > 0 ? `${base}: ${unplaced.join('; ')}` : base;
  }
  return out;
}

/** What an API token may never carry, whoever creates it (the server's `TOKEN_FORBIDDEN`). */
const TOKEN_FORBIDDEN: ReadonlySet<ApiAction> = new Set<ApiAction>([
  'users:manage',
  'tokens:manage',
  'workspace:export',
  'workspace:import',
]);
const READ: readonly ApiAction[] = ['systems:read', 'reports:read'];
/** A mirror of the server's role table over every action, used only to offer the grantable ones. */
const ROLE_API_ACTIONS: Readonly<Record<Role, ReadonlySet<ApiAction>>> = {
  admin: new Set(API_ACTIONS),
  security: new Set(
    API_ACTIONS.filter((a) => a !== 'users:manage' && a !== 'workspace:export' && a !== 'workspace:import'),
  ),
  engineer: new Set<ApiAction>([...READ, 'answers:write', 'evidence:write', 'findings:write']),
  risk: new Set<ApiAction>([...READ, 'risks:write', 'risks:accept']),
  viewer: new Set<ApiAction>(READ),
};

export function roleHasAction(role: Role, action: ApiAction): boolean {
  return ROLE_API_ACTIONS[role].has(action);
}

/** The actions a user of this role may put on a token: their own, minus what no token may carry. */
export function grantableActions(role: Role): ApiAction[] {
  return API_ACTIONS.filter((a) => ROLE_API_ACTIONS[role].has(a) && !TOKEN_FORBIDDEN.has(a));
}

export interface TokenForm {
  name: string;
  actions: readonly ApiAction[];
  /** `all`: every system; `some`: only `systems`. */
  scope: 'all' | 'some';
  systems: readonly string[];
  /** `<input type=date>` value or ''. */
  expires: string;
}

export type TokenBody = {
  name: string;
  actions: ApiAction[];
  systems: string[] | null;
  expiresAt: string | null;
};

/** The request body for `POST /api/tokens`, or the form's errors by field. */
export function tokenBody(
  form: TokenForm,
  role: Role,
  now: Date = new Date(),
): { ok: true; body: TokenBody } | { ok: false; errors: FormErrors } {
  const fields: Partial<Record<string, string>> = {};
  const name = form.name.trim();
  if (name === '') fields.name = 'give the token a name (e.g. the CI job that uses it)';
  else if (name.length > 200) fields.name = 'at most 200 characters';
  const grantable = new Set(grantableActions(role));
  const actions = [...new Set(form.actions)];
  if (actions.length === 0) fields.actions = 'choose at least one action';
  else if (actions.some((a) => !grantable.has(a))) {
    fields.actions = `your role cannot grant: ${actions.filter((a) => !grantable.has(a)).join(', ')}`;
  }
  const systems = [...new Set(form.systems)];
  if (form.scope === 'some' && systems.length === 0) fields.systems = 'choose at least one system';
  let expiresAt: string | null = null;
  if (form.expires !== '') {
    expiresAt = endOfDayIso(form.expires);
    if (expiresAt === null) fields.expiresAt = 'not a date';
    else if (new Date(expiresAt).getTime() <= now.getTime()) fields.expiresAt = 'must be in the future';
  }
  if (Object.keys(fields).length > 0) return { ok: false, errors: { fields, general: null } };
  return {
    ok: true,
    body: { name, actions, systems: form.scope === 'all' ? null : systems, expiresAt },
  };
}

/** A token's state for the list. */
export function tokenState(
  t: { revokedAt: string | null; expiresAt: string | null },
  now: Date = new Date(),
): 'active' | 'revoked' | 'expired' {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && new Date(t.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export interface AuditFilter {
  /** An action (`user.create`) or its family (`user`); '' for all. */
  action: string;
  actorKind: '' | AuditEntry['actorKind'];
  /** Matched against actor, resource and detail, case-insensitively. */
  text: string;
}

/** The audit API pages by limit/offset only: the filters narrow the loaded page in the browser. */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const text = filter.text.trim().toLowerCase();
  return entries.filter((e) => {
    if (filter.action !== '' && e.action !== filter.action && !e.action.startsWith(`${filter.action}.`))
      return false;
    if (filter.actorKind !== '' && e.actorKind !== filter.actorKind) return false;
    if (text === '') return true;
    const hay = [e.actorId ?? '', e.resourceType, e.resourceId ?? '', e.action, JSON.stringify(e.detail)]
      .join(' ')
      .toLowerCase();
    return hay.includes(text);
  });
}

/** The families (`user`, `token`, …) and actions present, for the filter's choices. */
export function auditActionChoices(entries: readonly AuditEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    const family = e.action.split('.')[0] ?? e.action;
    out.add(family);
    out.add(e.action);
  }
  return [...out].sort();
}
