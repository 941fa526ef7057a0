import { seededRandom } from '@atlasguard/core';
import { describe, expect, it } from 'vitest';
import { parseRoute, routePath, type Route } from './route.js';

describe('routes', () => {
  it('parses every page and prints it back', () => {
    const cases: [string, string, Route][] = [
      ['/', '', { page: 'portfolio' }],
      ['/risks', '', { page: 'risks' }],
      ['/account', '', { page: 'account' }],
      ['/admin/accounts', '', { page: 'accounts' }],
      ['/admin/tokens', '', { page: 'tokens' }],
      ['/admin/audit', '', { page: 'audit' }],
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
      if (path !== '/systems/abc') expect(routePath(route)).toBe(path + search);
    }
    for (const wrong of ['/admin', '/admin/users', '/admin/tokens/x', '/account/password']) {
      expect(parseRoute(wrong).page, wrong).toBe('not-found');
    }
    expect(routePath({ page: 'system', id: 'a-b', tab: 'matrix', technique: 'AML.T0015' })).toBe(
      '/systems/a-b/matrix?technique=AML.T0015',
    );
    expect(parseRoute('/systems/0b6c7e1a-2f3d-4c5b-8a9e-1234567890ab/model')).toMatchObject({
      id: '0b6c7e1a-2f3d-4c5b-8a9e-1234567890ab',
      tab: 'model',
    });
  });

  it('refuses unknown tabs, malformed ids and technique parameters that are not ATLAS IDs', () => {
    expect(parseRoute('/systems/abc/secrets').page).toBe('not-found');
    expect(parseRoute('/systems/%E0%A4%A/matrix').page).toBe('not-found');
    expect(parseRoute('/systems/a/b/c/d').page).toBe('not-found');
    // Ids that would move the API path: dot segments and encoded separators.
    for (const id of ['..', '.', '%2e%2e', 'a%2Fb', 'a%5Cb', 'a%3Fb', 'a b']) {
      expect(parseRoute(`/systems/${id}/matrix`).page, id).toBe('not-found');
    }
    expect(parseRoute('/nope').page).toBe('not-found');
    expect(parseRoute('/systems/abc/matrix', '?technique=<script>')).toMatchObject({ technique: null });
    expect(parseRoute('/systems/abc/matrix', '?technique=AML.M0014')).toMatchObject({ technique: null });
  });

  it('parses any hostile path without throwing, and prints back what it parsed (seeded fuzz)', () => {
    const random = seededRandom(0x7a11);
    const parts = [
      'systems',
      'risks',
      'matrix',
      'history',
      '%',
      '%E0%A4',
      '%2F',
      '..',
      '',
      'AML.T0015',
      '<svg>',
      'ä',
    ];
    const pick = () => parts[Math.floor(random() * parts.length)] ?? '';
    for (let i = 0; i < 3000; i++) {
      const path = '/' + Array.from({ length: Math.floor(random() * 5) }, pick).join('/');
      const search = random() < 0.5 ? `?technique=${pick()}` : '';
      const route = parseRoute(path, search);
      if (route.page === 'system') {
        expect(route.id).not.toBe('');
        expect(route.technique === null || /^AML\.T\d{4}(\.\d{3})?$/.test(route.technique)).toBe(true);
        const back = new URL(routePath(route), 'http://x');
        expect(parseRoute(back.pathname, back.search)).toEqual(route);
      }
    }
  });
});
