import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atlasRelease } from '../../../../test/shared-paths.js';
import { Catalog } from './catalog.js';
import { parseAtlasYaml } from './parse-atlas-yaml.js';
import { catalogStats } from './stats.js';

// Older releases load too (users diff against them and pin them with `kb update --version`).
describe.each([
  ['5.4.0', { tactics: 16, techniques: 155, subtechniques: 58, mitigations: 35, caseStudies: 52 }],
  ['5.5.0', { tactics: 16, techniques: 167, subtechniques: 66, mitigations: 35, caseStudies: 57 }],
  ['5.6.0', { tactics: 16, techniques: 170, subtechniques: 69, mitigations: 35, caseStudies: 57 }],
])('ATLAS %s', (version, expected) => {
  const path = atlasRelease(version);
  const catalog = new Catalog(parseAtlasYaml(readFileSync(path, 'utf8'), path));

  it('parses with the expected counts', () => {
    expect(catalog.version).toBe(version);
    const stats = catalogStats(catalog);
    expect({
      tactics: stats.tactics,
      techniques: stats.techniques,
      subtechniques: stats.subtechniques,
      mitigations: stats.mitigations,
      caseStudies: stats.caseStudies,
    }).toEqual(expected);
  });

  it('has no broken cross-reference', () => {
    expect(catalog.warnings.filter((w) => w.code === 'broken-reference' || w.code === 'broken-link')).toEqual(
      [],
    );
    for (const t of catalog.techniques) expect(t.tactics.length).toBeGreaterThan(0);
  });
});
