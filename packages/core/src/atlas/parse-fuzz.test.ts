import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { atlasRelease } from '../../../../test/shared-paths.js';
import { AtlasGuardError } from '../errors/atlasguard-error.js';
import { isCatalogData } from './catalog-shape.js';
import { parseAtlasYaml } from './parse-atlas-yaml.js';
import { seededRandom as prng } from '../random/seeded-random.js';

// ATLAS.yaml comes from the network or a user's disk: whatever its bytes, loading it ends in a catalog or
// an AtlasGuardError, never another exception, a hang or a polluted prototype.

/** A few tactics, techniques, mitigations and case studies of the real 5.6.0 release, as YAML. */
function sampleDocument(): { text: string; doc: Record<string, unknown> } {
  const full = parse(readFileSync(atlasRelease('5.6.0'), 'utf8')) as {
    matrices: Array<Record<string, unknown[]>>;
    'case-studies': unknown[];
  } & Record<string, unknown>;
  const matrix = full.matrices[0]!;
  const doc = {
    id: full.id,
    name: full.name,
    version: full.version,
    matrices: [
      {
        ...matrix,
        tactics: matrix.tactics!.slice(0, 4),
        techniques: matrix.techniques!.slice(0, 12),
        mitigations: matrix.mitigations!.filter((_, i) => i < 3 || i === 17),
      },
    ],
    'case-studies': full['case-studies'].slice(0, 2),
  };
  return { text: stringify(doc), doc };
}

const SNIPPETS = [
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!int ',
  '!custom ',
  '? ',
  '\n---\n',
  '\n...\n',
  '%YAML 1.1\n',
  '"',
  "'",
  '|\n',
  '>\n',
  '#',
  '\t',
  '\u0000',
  '\uFEFF',
  '\n__proto__: {polluted: 1}\n',
  '\nconstructor: {prototype: {polluted: 1}}\n',
  '\n  - id: AML.T0000\n',
  'AML.T9999',
  'x'.repeat(5000),
  '\n'.repeat(50),
];

function mutateText(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * out.length);
    const kind = random();
    if (kind < 0.35) {
      const snippet = SNIPPETS[Math.floor(random() * SNIPPETS.length)]!;
      out = out.slice(0, at) + snippet + out.slice(at);
    } else if (kind < 0.6) {
      out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 200));
    } else if (kind < 0.8) {
      const end = Math.min(out.length, at + Math.floor(random() * 400));
      out = out.slice(0, end) + out.slice(at, end) + out.slice(end);
    } else {
      out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x250)) + out.slice(at + 1);
    }
  }
  return out;
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  3.5,
  true,
  '',
  'AML.T9999',
  [],
  {},
  [null],
  { id: 7 },
  'y'.repeat(20_000),
  [[[[[[[[[[[]]]]]]]]]]],
  { __proto__: { polluted: 1 } },
];

/** Replaces one random node of the parsed document with an odd value. */
function mutateTree(doc: unknown, random: () => number): unknown {
  const copy: unknown = structuredClone(doc);
  let node: unknown = copy;
  for (let depth = 0; depth < 8; depth++) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[Math.floor(random() * keys.length)]!;
    const child = (node as Record<string, unknown>)[key];
    if (random() < 0.3 || typeof child !== 'object' || child === null) {
      (node as Record<string, unknown>)[key] = ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
      break;
    }
    node = child;
  }
  return copy;
}

function expectCatalogOrAtlasGuardError(text: string, seed: number): 'catalog' | 'error' {
  try {
    const data = parseAtlasYaml(text, 'fuzz.yaml');
    expect(isCatalogData(JSON.parse(JSON.stringify(data))), `seed ${String(seed)}: catalog shape`).toBe(true);
    return 'catalog';
  } catch (error) {
    if (!(error instanceof AtlasGuardError)) {
      throw new Error(`seed ${String(seed)}: ${String(error)}`, { cause: error });
    }
    expect(error.message.length).toBeGreaterThan(0);
    return 'error';
  } finally {
    expect(
      ({} as Record<string, unknown>).polluted,
      `seed ${String(seed)}: prototype polluted`,
    ).toBeUndefined();
  }
}

describe('parseAtlasYaml under fuzzing', () => {
  const { text, doc } = sampleDocument();

  it('loads the unmutated sample', () => {
    expect(expectCatalogOrAtlasGuardError(text, 0)).toBe('catalog');
  });

  it('never crashes on mutated text (250 cases)', () => {
    const outcomes = { catalog: 0, error: 0 };
    for (let seed = 1; seed <= 250; seed++) {
      outcomes[expectCatalogOrAtlasGuardError(mutateText(text, prng(seed)), seed)]++;
    }
    // Both paths are exercised: some mutations still load (with warnings), others are refused.
    expect(outcomes.catalog).toBeGreaterThan(20);
    expect(outcomes.error).toBeGreaterThan(20);
  });

  it('never crashes on mutated structure (150 cases)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const random = prng(seed * 7919);
      let mutated: unknown = doc;
      for (let i = 0; i < 3; i++) mutated = mutateTree(mutated, random);
      expectCatalogOrAtlasGuardError(stringify(mutated), seed);
    }
  });

  it('refuses alias bombs, deep nesting and oversized input with an AtlasGuardError', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) {
      const name = String.fromCharCode(98 + i);
      const prev = String.fromCharCode(97 + i);
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const start = performance.now();
    expect(() => parseAtlasYaml(bomb.join('\n'))).toThrow(AtlasGuardError);
    expect(() => parseAtlasYaml('['.repeat(100_000))).toThrow(AtlasGuardError);
    expect(() => parseAtlasYaml(`${'- '.repeat(20_000)}x`)).toThrow(AtlasGuardError);
    expect(() => parseAtlasYaml(' '.repeat(64 * 1024 * 1024 + 1))).toThrow(/larger than/);
    expect(performance.now() - start).toBeLessThan(20_000);
  });

  it('reports where a YAML error is', () => {
    try {
      parseAtlasYaml('id: ATLAS\nmatrices: [\n', 'broken.yaml');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(AtlasGuardError);
      expect((error as AtlasGuardError).position?.file).toBe('broken.yaml');
      expect((error as AtlasGuardError).position?.line).toBeGreaterThan(0);
    }
  });
});
