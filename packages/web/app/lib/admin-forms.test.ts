import { seededRandom } from '@atlasguard/core';
import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLE_ACTIONS, TOKEN_FORBIDDEN } from '../../../server/src/permissions.js';
import { PASSWORD_MAX as SERVER_MAX, PASSWORD_MIN as SERVER_MIN } from '../../../server/src/passwords.js';
import { ApiFailure } from '../api/http.js';
import { API_ACTIONS, ROLES, type AuditEntry } from '../api/schemas.js';
import {
  auditActionChoices,
  filterAudit,
  formErrors,
  grantableActions,
  passwordProblem,
  PASSWORD_MAX,
  PASSWORD_MIN,
  roleHasAction,
  tokenBody,
  tokenState,
  type TokenForm,
} from './admin-forms.js';

describe('admin forms: mirrors of the server', () => {
  it('know every action and the role table of the server', () => {
    expect(API_ACTIONS).toEqual(ACTIONS);
    for (const role of ROLES) {
      for (const action of API_ACTIONS) {
        expect(roleHasAction(role, action), `${role} ${action}`).toBe(ROLE_ACTIONS[role].has(action));
      }
    }
  });

  it('offer on a token exactly what the creator has and a token may carry', () => {
    for (const role of ROLES) {
      expect(grantableActions(role)).toEqual(
        ACTIONS.filter((a) => ROLE_ACTIONS[role].has(a) && !TOKEN_FORBIDDEN.has(a)),
      );
    }
    expect(grantableActions('security')).toContain('findings:write');
    expect(grantableActions('admin')).not.toContain('users:manage');
    expect(grantableActions('admin')).not.toContain('tokens:manage');
    expect(grantableActions('viewer')).toEqual(['systems:read', 'reports:read']);
  });

  it('check passwords with the same bounds as the server', () => {
    expect([PASSWORD_MIN, PASSWORD_MAX]).toEqual([SERVER_MIN, SERVER_MAX]);
    expect(passwordProblem('x'.repeat(11))).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(12))).toBeNull();
    expect(passwordProblem('x'.repeat(256))).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
  });
});

describe('formErrors', () => {
  const fields = ['name', 'email', 'password'];

  it('puts a 400 validation issue next to the field it names', () => {
    const e = new ApiFailure(400, 'invalid-request', 'the request does not match the API schema', [
      { path: 'email', message: 'not an email address' },
      { path: 'password', message: 'Too small: expected string to have >=12 characters' },
    ]);
    expect(formErrors(e, fields)).toEqual({
      fields: { email: 'not an email address', password: expect.stringMatching(/>=12/) as unknown },
      general: null,
    });
  });

  it('keeps issues about no field of the form as a general error, naming their path', () => {
    const e = new ApiFailure(400, 'invalid-request', 'bad', [
      { path: 'email', message: 'm1' },
      { path: 'extra', message: 'unrecognized key' },
    ]);
    const out = formErrors(e, fields);
    expect(out.fields).toEqual({ email: 'm1' });
    expect(out.general).toContain('extra: unrecognized key');
  });

  it('puts a 409 on the conflict field (a duplicate email), otherwise as general', () => {
    const e = new ApiFailure(409, 'conflict', 'user already exists');
    expect(formErrors(e, fields, 'email')).toEqual({
      fields: { email: 'user already exists' },
      general: null,
    });
    expect(formErrors(e, fields).general).toBe('user already exists (409 conflict)');
  });

  it('reports a 403, a network failure and a non-API error as general', () => {
    expect(formErrors(new ApiFailure(403, 'forbidden', 'no'), fields).general).toBe('no (403 forbidden)');
    expect(formErrors(new ApiFailure(0, 'network', 'unreachable'), fields).general).toBe('unreachable');
    expect(formErrors(new Error('boom'), fields)).toEqual({ fields: {}, general: 'boom' });
    expect(formErrors('??', fields).general).toBe('something went wrong');
  });

  it('reads any hostile details without throwing (seeded fuzz)', () => {
    const random = seededRandom(0xad31);
    const atoms: unknown[] = [
      null,
      1,
      'email',
      [],
      {},
      { path: 3, message: 'x' },
      { path: 'email' },
      { path: 'email', message: 7 },
      { path: 'email.0', message: 'y' },
      { path: '', message: 'z' },
      { path: '__proto__', message: 'p' },
      { message: 'only' },
    ];
    const pick = () => atoms[Math.floor(random() * atoms.length)];
    for (let i = 0; i < 2000; i++) {
      const details = random() < 0.2 ? pick() : Array.from({ length: Math.floor(random() * 6) }, pick);
      const status = [400, 401, 409, 422][Math.floor(random() * 4)] ?? 400;
      const out = formErrors(new ApiFailure(status, 'c', 'm', details), fields, 'email');
      for (const [k, v] of Object.entries(out.fields)) {
        expect(fields).toContain(k);
        expect(typeof v).toBe('string');
      }
      expect(Object.keys(out.fields).length > 0 || out.general !== null).toBe(true);
      expect(Object.prototype.hasOwnProperty.call(out.fields, '__proto__')).toBe(false);
    }
  });
});

describe('tokenBody', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const form: TokenForm = {
    name: '  ci deps ',
    actions: ['findings:write', 'findings:write'],
    scope: 'some',
    systems: ['s1', 's1', 's2'],
    expires: '2026-07-01',
  };

  it('builds the request of POST /api/tokens', () => {
    expect(tokenBody(form, 'security', now)).toEqual({
      ok: true,
      body: {
        name: 'ci deps',
        actions: ['findings:write'],
        systems: ['s1', 's2'],
        expiresAt: '2026-07-01T23:59:59.000Z',
      },
    });
    expect(tokenBody({ ...form, scope: 'all', expires: '' }, 'admin', now)).toMatchObject({
      ok: true,
      body: { systems: null, expiresAt: null },
    });
  });

  it('refuses an empty name, no action, no system, a past expiry, and actions the role lacks', () => {
    const bad = tokenBody(
      { name: ' ', actions: [], scope: 'some', systems: [], expires: '2026-05-31' },
      'admin',
      now,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(Object.keys(bad.errors.fields).sort()).toEqual(['actions', 'expiresAt', 'name', 'systems']);
    const beyond = tokenBody({ ...form, actions: ['models:write'] }, 'engineer', now);
    expect(beyond).toMatchObject({
      ok: false,
      errors: { fields: { actions: expect.stringMatching(/models:write/) as unknown } },
    });
    const forbidden = tokenBody({ ...form, actions: ['tokens:manage'] }, 'admin', now);
    expect(forbidden.ok).toBe(false);
    expect(tokenBody({ ...form, expires: '2026-13-45' }, 'admin', now)).toMatchObject({ ok: false });
    // The expiry is the end of the chosen day: today still counts as the future.
    expect(tokenBody({ ...form, expires: '2026-06-01' }, 'admin', now).ok).toBe(true);
  });

  it('tells a token active, expired or revoked', () => {
    expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-06-01T11:59:59.000Z' }, now)).toBe('expired');
    expect(tokenState({ revokedAt: '2026-01-01T00:00:00.000Z', expiresAt: null }, now)).toBe('revoked');
  });
});

describe('audit filters', () => {
  const entry = (action: string, actorKind: AuditEntry['actorKind'], detail = {}): AuditEntry => ({
    id: action,
    at: '2026-06-01T00:00:00.000Z',
    actorId: actorKind === 'system' ? null : 'u-1',
    actorKind,
    action,
    resourceType: action.split('.')[0] ?? '',
    resourceId: 'r-9',
    detail,
  });
  const log = [
    entry('user.create', 'user', { role: 'engineer' }),
    entry('user.update', 'user'),
    entry('token.create', 'user', { actions: ['findings:write'] }),
    entry('findings.upload', 'token'),
    entry('risk.sync', 'system'),
    entry('usernames.odd', 'user'),
  ];
  const ids = (f: Partial<Parameters<typeof filterAudit>[1]>) =>
    filterAudit(log, { action: '', actorKind: '', text: '', ...f }).map((e) => e.id);

  it('filter by action, family, actor kind and text', () => {
    expect(ids({})).toHaveLength(log.length);
    expect(ids({ action: 'user' })).toEqual(['user.create', 'user.update']);
    expect(ids({ action: 'user.update' })).toEqual(['user.update']);
    expect(ids({ actorKind: 'token' })).toEqual(['findings.upload']);
    expect(ids({ text: 'ENGINEER' })).toEqual(['user.create']);
    expect(ids({ text: 'findings:write', actorKind: 'user' })).toEqual(['token.create']);
    expect(ids({ action: 'nothing' })).toEqual([]);
  });

  it('offer the families and actions present', () => {
    expect(auditActionChoices(log)).toEqual([
      'findings',
      'findings.upload',
      'risk',
      'risk.sync',
      'token',
      'token.create',
      'user',
      'user.create',
      'user.update',
      'usernames',
      'usernames.odd',
    ]);
  });
});
