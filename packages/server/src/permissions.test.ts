import { describe, expect, it } from 'vitest';
import type { ApiToken, User } from '@atlasguard/storage';
import { ACTIONS, can, type Actor } from './permissions.js';

const user = (role: User['role'], disabled = false): User => ({
  id: `u-${role}`,
  email: `${role}@example.org`,
  name: role,
  role,
  passwordHash: 'x',
  disabled,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const token = (scopes: ApiToken['scopes']): ApiToken => ({
  id: 't',
  name: 'ci',
  tokenHash: '0'.repeat(64),
  userId: 'u',
  scopes,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
});

describe('can()', () => {
  it('refuses anonymous and disabled actors everything', () => {
    for (const action of ACTIONS) {
      expect(can(null, action)).toBe(false);
      expect(can({ kind: 'user', user: user('admin', true) }, action)).toBe(false);
    }
  });

  it('gives admin everything and security everything but accounts and backup/restore', () => {
    const admin: Actor = { kind: 'user', user: user('admin') };
    const security: Actor = { kind: 'user', user: user('security') };
    expect(ACTIONS.filter((a) => !can(admin, a))).toEqual([]);
    expect(ACTIONS.filter((a) => !can(security, a))).toEqual([
      'users:manage',
      'workspace:export',
      'workspace:import',
    ]);
  });

  it('limits engineers, risk managers and viewers to their work', () => {
    const allowed = (role: User['role']) => ACTIONS.filter((a) => can({ kind: 'user', user: user(role) }, a));
    expect(allowed('engineer')).toEqual([
      'systems:read',
      'answers:write',
      'evidence:write',
      'findings:write',
      'reports:read',
    ]);
    expect(allowed('risk')).toEqual(['systems:read', 'risks:write', 'risks:accept', 'reports:read']);
    expect(allowed('viewer')).toEqual(['systems:read', 'reports:read']);
  });

  it('narrows tokens to their actions, their systems and their owner’s role', () => {
    const t: Actor = {
      kind: 'token',
      user: user('engineer'),
      token: token({ actions: ['findings:write', 'risks:write'], systems: ['s1'] }),
    };
    expect(can(t, 'findings:write', { systemId: 's1' })).toBe(true);
    expect(can(t, 'findings:write', { systemId: 's2' })).toBe(false);
    expect(can(t, 'findings:write')).toBe(false);
    expect(can(t, 'risks:write', { systemId: 's1' })).toBe(false); // the engineer owner lacks it
    expect(can(t, 'systems:read', { systemId: 's1' })).toBe(false); // not in the token
    const all: Actor = {
      kind: 'token',
      user: user('admin'),
      token: token({ actions: [...ACTIONS], systems: null }),
    };
    expect(can(all, 'users:manage')).toBe(false);
    expect(can(all, 'tokens:manage')).toBe(false);
    expect(can(all, 'workspace:export')).toBe(false);
    expect(can(all, 'systems:delete', { systemId: 'any' })).toBe(true);
  });
});
