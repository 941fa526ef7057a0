import { describe, expect, it } from 'vitest';
import { parseRoute, routePath, type Route } from './route.js';

describe('routes', () => {
  it('parses every page and prints it back', () => {
    const cases: [string, string, Route][] = [
      ['/', '', { page: 'portfolio' }],
      ['/risks', '', { page: 'risks' }],
      ['/systems/abc', '', { page: 'system', id: 'abc', tab: 'matrix', technique: null }],
      ['/systems/abc/history', '', { page: 'system', id: 'abc', tab: 'history', technique: null }],
      [
        '/systems/abc/matrix',
        '?technique=AML.T0051.001',
        { page: 'system', id: 'abc', tab: 'matrix', technique: 'AML.T0051.001' },
      ],
    ];
    for (const [path, search, route] of cases) {
      expect(parseRoute(path, search)).toEqual(route);
    }
    expect(routePath({ page: 'system', id: 'a b', tab: 'matrix', technique: 'AML.T0015' })).toBe(
      '/systems/a%20b/matrix?technique=AML.T0015',
    );
    expect(parseRoute('/systems/a%20b/matrix')).toMatchObject({ id: 'a b' });
  });

  it('refuses unknown tabs, malformed ids and technique parameters that are not ATLAS IDs', () => {
    expect(parseRoute('/systems/abc/secrets').page).toBe('not-found');
    expect(parseRoute('/systems/%E0%A4%A/matrix').page).toBe('not-found');
    expect(parseRoute('/systems/a/b/c/d').page).toBe('not-found');
    expect(parseRoute('/nope').page).toBe('not-found');
    expect(parseRoute('/systems/abc/matrix', '?technique=<script>')).toMatchObject({ technique: null });
    expect(parseRoute('/systems/abc/matrix', '?technique=AML.M0014')).toMatchObject({ technique: null });
  });
});
