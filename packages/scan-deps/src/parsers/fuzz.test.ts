import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core';
import { SourceText } from '../manifest/source-text.js';
import type { Manifest } from '../manifest/types.js';
import { OsvIndexBuilder } from '../osv/build-index.js';
import { cvss3BaseScore } from '../osv/cvss.js';
import { listZipEntries, readZipEntry, ZipError } from '../osv/zip-reader.js';
import { casePath, pairPath } from '../test-support/paths.js';
import { writeZip } from '../test-support/zip-writer.js';
import { parseCondaEnv } from './conda-env.js';
import { parseCycloneDx, parsePurl } from './cyclonedx.js';
import { parsePackageLock } from './package-lock.js';
import { parsePep508 } from './pep508.js';
import { parsePipfileLock } from './pipfile-lock.js';
import { parsePyproject } from './pyproject.js';
import { parsePdmLock, parsePoetryLock, parseUvLock } from './python-locks.js';
import { parseRequirements } from './requirements.js';
import { seededRandom as rng } from '@atlasguard/core';

const ALPHABET =
  'abcdefghijklmnopqrstuvwxyz0123456789 \n\t=<>!~.,;:-_[]{}()"\'#@/\\*+$%&|^`?\r\u00e9\u0430\u0000';
const TOKENS = [
  '[[package]]',
  'name = ',
  'version = ',
  '==',
  '--hash=sha256:',
  '-r ',
  '-c ',
  '--extra-index-url ',
  '{',
  '}',
  '"',
  'dependencies:',
  '  - pip:',
  '"packages"',
  '"node_modules/',
  'pkg:pypi/',
  '\\\n',
  '\n',
];

function mutate(text: string, random: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (s.length + 1));
    const kind = random();
    if (kind < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 20));
    else if (kind < 0.6)
      s = s.slice(0, at) + (TOKENS[Math.floor(random() * TOKENS.length)] ?? '') + s.slice(at);
    else if (kind < 0.8)
      s = s.slice(0, at) + (ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '') + s.slice(at);
    else {
      const from = Math.floor(random() * s.length);
      s = s.slice(0, at) + s.slice(from, from + Math.floor(random() * 200)) + s.slice(at);
    }
  }
  return s;
}

function randomText(random: () => number): string {
  const n = Math.floor(random() * 400);
  let s = '';
  for (let i = 0; i < n; i++) {
    s +=
      random() < 0.2
        ? (TOKENS[Math.floor(random() * TOKENS.length)] ?? '')
        : (ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '');
  }
  return s;
}

type Parse = (source: SourceText) => Manifest | Promise<Manifest>;
/** Includes resolve to a small valid file, or fail like a missing file, depending on the name. */
const noIncludes = (path: string): Promise<SourceText> =>
  path.endsWith('base.txt')
    ? Promise.resolve(new SourceText(path, 'numpy==1.26.4\n'))
    : Promise.reject(new Error(`no such file ${path}`));

const PARSERS: Array<[string, string, Parse]> = [
  [
    'requirements',
    pairPath('requirements', 'new', 'requirements.txt'),
    (s) => parseRequirements(s, noIncludes),
  ],
  [
    'requirements (pinning)',
    casePath('pinning', 'requirements.txt'),
    (s) => parseRequirements(s, noIncludes),
  ],
  ['pyproject', pairPath('pyproject', 'new', 'pyproject.toml'), parsePyproject],
  ['poetry.lock', pairPath('poetry', 'new', 'poetry.lock'), (s) => parsePoetryLock(s, undefined)],
  ['uv.lock', casePath('confusion-uv', 'uv.lock'), (s) => parseUvLock(s, undefined)],
  ['pdm.lock', pairPath('pdm', 'new', 'pdm.lock'), (s) => parsePdmLock(s, undefined)],
  ['Pipfile.lock', pairPath('pipfile', 'new', 'Pipfile.lock'), (s) => parsePipfileLock(s, undefined)],
  ['environment.yml', pairPath('conda', 'new', 'environment.yml'), (s) => parseCondaEnv(s, noIncludes)],
  ['package-lock.json', pairPath('npm', 'new', 'package-lock.json'), parsePackageLock],
  ['CycloneDX', pairPath('cyclonedx', 'new', 'bom.cdx.json'), parseCycloneDx],
];

const ROUNDS = 300;

describe('fuzz: every parser returns a manifest or an AtlasGuardError with the file, never crashes', () => {
  for (const [label, fixture, parse] of PARSERS) {
    it(label, async () => {
      const base = readFileSync(fixture, 'utf8');
      const random = rng(label.length * 7919);
      let parsed = 0;
      let rejected = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const text = i % 4 === 3 ? randomText(random) : mutate(base, random);
        const source = new SourceText('/fuzz/input', text);
        try {
          const m = await parse(source);
          expect(Array.isArray(m.packages)).toBe(true);
          for (const p of m.packages) expect(typeof p.name).toBe('string');
          parsed++;
        } catch (error) {
          if (!(error instanceof AtlasGuardError))
            throw new Error(
              `${label} round ${String(i)} threw ${String(error)}\n---\n${text.slice(0, 500)}`,
              {
                cause: error,
              },
            );
          expect(error.position?.file).toBe('/fuzz/input');
          expect(error.exitCode).toBe(2);
          rejected++;
        }
      }
      // Both outcomes occur: the mutations reach past the first syntax check.
      expect(parsed + rejected).toBe(ROUNDS);
      expect(parsed).toBeGreaterThan(0);
    });
  }

  it('PEP 508, purl and CVSS parsers never throw', () => {
    const random = rng(42);
    for (let i = 0; i < 2000; i++) {
      const text = mutate('torch[cuda,extra]>=2.0,<3 ; python_version >= "3.10"', random);
      const r = parsePep508(text);
      expect(typeof r).toBe('object');
      expect(parsePurl(mutate('pkg:pypi/torch@2.6.0?repository_url=x', random)) ?? null).not.toBeUndefined();
      const score = cvss3BaseScore(mutate('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', random));
      if (score !== undefined) expect(score).toBeGreaterThanOrEqual(0);
    }
  });

  it('OSV records of any shape are indexed or counted invalid', () => {
    const random = rng(7);
    const base = readFileSync(casePath('..', 'osv', 'GHSA-53q9-r3pm-6pq6.json'), 'utf8');
    const builder = new OsvIndexBuilder();
    for (let i = 0; i < 500; i++) {
      let value: unknown;
      try {
        value = JSON.parse(mutate(base, random));
      } catch {
        value = randomText(random);
      }
      builder.add(value, `round ${String(i)}`);
    }
    const index = builder.finish({ digest: 'x', dbTime: new Date(0).toISOString(), source: 'fuzz' });
    expect(index.recordCount + index.invalidCount).toBeGreaterThanOrEqual(500);
  });

  it('mutated zip archives raise ZipError or read consistently', () => {
    const random = rng(99);
    const zip = writeZip([
      { name: 'a.json', data: Buffer.from('{"id":"A","affected":[]}'.repeat(20)) },
      { name: 'b.json', data: Buffer.from('{"id":"B"}'), store: true },
    ]);
    for (let i = 0; i < 1000; i++) {
      const buf = Buffer.from(zip);
      const flips = 1 + Math.floor(random() * 6);
      for (let f = 0; f < flips; f++) buf[Math.floor(random() * buf.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? buf.subarray(0, Math.floor(random() * buf.length)) : buf;
      try {
        for (const entry of listZipEntries(cut)) readZipEntry(cut, entry);
      } catch (error) {
        if (!(error instanceof ZipError))
          throw new Error(`round ${String(i)}: ${String(error)}`, { cause: error });
      }
    }
  });
});
