import { describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core/errors';
import { defaultDataDir } from './data-dir.js';
import { redactUrl, resolveDatabaseTarget } from './open-database.js';

describe('defaultDataDir', () => {
  it('prefers ATLASGUARD_DATA_DIR, then an absolute XDG_DATA_HOME, then ~/.local/share', () => {
    expect(defaultDataDir({ ATLASGUARD_DATA_DIR: '/d', XDG_DATA_HOME: '/x' }, '/home/u')).toBe('/d');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, '/home/u')).toBe('/x/atlasguard');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/share/atlasguard');
    expect(defaultDataDir({}, '/home/u')).toBe('/home/u/.local/share/atlasguard');
  });
});

describe('resolveDatabaseTarget', () => {
  it('defaults to the SQLite file in the data dir', () => {
    expect(resolveDatabaseTarget(undefined, { ATLASGUARD_DATA_DIR: '/d' }, '/cwd')).toEqual({
      dialect: 'sqlite',
      location: '/d/atlasguard.sqlite',
    });
  });
  it('reads postgres URLs, sqlite: paths and plain paths', () => {
    expect(resolveDatabaseTarget('postgresql://u@h/db', {}, '/cwd').dialect).toBe('postgres');
    expect(resolveDatabaseTarget('postgres://u@h/db', {}, '/cwd').dialect).toBe('postgres');
    expect(resolveDatabaseTarget('sqlite:ws.db', {}, '/cwd')).toEqual({
      dialect: 'sqlite',
      location: '/cwd/ws.db',
    });
    expect(resolveDatabaseTarget('/abs/x.sqlite', {}, '/cwd').location).toBe('/abs/x.sqlite');
    expect(resolveDatabaseTarget('sqlite::memory:', {}, '/cwd').location).toBe(':memory:');
  });
  it('refuses other schemes and empty paths as usage errors', () => {
    expect(() => resolveDatabaseTarget('mysql://u:secret@h/db', {}, '/cwd')).toThrow(AtlasGuardError);
    expect(() => resolveDatabaseTarget('mysql://u:secret@h/db', {}, '/cwd')).not.toThrow(/secret/);
    expect(() => resolveDatabaseTarget('sqlite:', {}, '/cwd')).toThrow(AtlasGuardError);
  });
  it('redacts passwords from URLs', () => {
    expect(redactUrl('postgres://user:pw@host:5432/db')).toBe('postgres://user:***@host:5432/db');
    expect(redactUrl('postgres://user@host/db')).toBe('postgres://user@host/db');
  });
});
