import { describe, expect, it } from 'vitest';
import { AtlasGuardError, seededRandom } from '@atlasguard/core';
import { SourceText } from '../manifest/source-text.js';
import { parsePipConf } from '../parsers/pip-conf.js';
import { looksInternal, organisationWords } from './internal-names.js';

const index = (url: string) => ({ url, role: 'extra' as const, file: 'requirements.txt' });

describe('internal-looking package names', () => {
  it('takes organisation words from private index URLs, not the words every index URL has', () => {
    expect(organisationWords([index('https://pypi.acme-corp.example/simple')])).toEqual([
      'acme',
      'acme-corp',
    ]);
    expect(
      organisationWords([index('https://contoso.jfrog.io/artifactory/api/pypi/contoso-python/simple')]),
    ).toEqual(['contoso', 'contoso-python']);
    expect(
      organisationWords([index('https://pkgs.dev.azure.com/fabrikam/_packaging/feed1/pypi/simple/')]),
    ).toEqual(['fabrikam', 'feed1']);
    expect(organisationWords([index('not a url')])).toEqual([]);
  });
  it('matches prefixes, organisation words and internal segments', () => {
    const words = ['acme', 'acme-corp'];
    expect(looksInternal('acme-feature-store', [], words)?.reason).toMatch(/"acme"/);
    expect(looksInternal('acmeclient', [], words)?.reason).toMatch(/"acme"/);
    expect(looksInternal('zz-models', ['zz-'], [])?.reason).toMatch(/--internal-prefix/);
    expect(looksInternal('zz-models', ['ZZ_'], [])?.reason).toMatch(/--internal-prefix/);
    expect(looksInternal('platform-internal-auth', [], [])?.reason).toMatch(/"internal"/);
  });
  it('hard negatives: ordinary names and short organisation words glued to other words', () => {
    const words = ['acme', 'ibm'];
    for (const name of [
      'numpy',
      'torch',
      'requests',
      'academy-tools',
      'ibmq-client',
      'internals',
      'privacy-kit',
    ])
      expect(looksInternal(name, [], words), name).toBeUndefined();
    // `ibm-...` with a separator does match.
    expect(looksInternal('ibm-watson-internal', [], ['ibm'])).toBeDefined();
  });
});

describe('pip.conf', () => {
  it('reads index-url and extra-index-url (continuation lines, [global] and [install])', () => {
    const text = [
      '; comment',
      '[global]',
      'index-url = https://mirror.example/simple',
      'timeout = 60',
      '[install]',
      'extra_index_url =',
      '    https://a.example/simple',
      '    https://b.example/simple https://c.example/simple',
      '[freeze]',
      'extra-index-url = https://ignored.example/simple',
    ].join('\n');
    expect(parsePipConf(new SourceText('pip.conf', text)).map((i) => [i.role, i.url, i.line])).toEqual([
      ['primary', 'https://mirror.example/simple', 3],
      ['extra', 'https://a.example/simple', 7],
      ['extra', 'https://b.example/simple', 8],
      ['extra', 'https://c.example/simple', 8],
    ]);
  });
  it('fails with file:line on lines that are not INI', () => {
    let error: unknown;
    try {
      parsePipConf(new SourceText('pip.conf', '[global]\nthis is not ini'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtlasGuardError);
    expect((error as AtlasGuardError).position).toMatchObject({ file: 'pip.conf', line: 2 });
    expect(() =>
      parsePipConf(new SourceText('pip.conf', '[global]\nextra-index-url = $(curl evil)')),
    ).toThrow(/not an index URL/);
  });
  it('never throws anything but a positioned input error on random text (seeded fuzz)', () => {
    const random = seededRandom(5050);
    const pieces = [
      '[global]',
      '[install]',
      'extra-index-url =',
      'index-url=',
      '    ',
      'https://x.example/simple',
      ';c',
      '#',
      '=',
      'a',
      '\n',
      ' ',
      '[',
      ']',
      '\r\n',
    ];
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 14) },
        () => pieces[Math.floor(random() * pieces.length)] ?? '',
      ).join(random() < 0.5 ? '\n' : '');
      try {
        for (const idx of parsePipConf(new SourceText('pip.conf', text)))
          expect(idx.url).toMatch(/^[a-z][a-z0-9+.-]*:\/\//i);
        parsed++;
      } catch (error) {
        expect(error, text).toBeInstanceOf(AtlasGuardError);
      }
    }
    expect(parsed).toBeGreaterThan(300);
  });
});
