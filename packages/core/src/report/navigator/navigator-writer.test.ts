import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { fixtureAssessment } from '../matrix/test-support/assessment-fixture.js';
import {
  navigatorLayerFileSchema,
  navigatorLayerSchema,
  type NavigatorLayer,
} from './navigator-layer-schema.js';
import { navigatorLayers, writeNavigator } from './navigator-writer.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'citizen-assistant.layers.json');
const catalog = testCatalog('5.6.0');
const assessment = fixtureAssessment(catalog);
const output = writeNavigator(assessment, catalog);
const layers = JSON.parse(output) as NavigatorLayer[];

describe('Navigator writer', () => {
  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, output);
    }
    expect(output).toBe(readFileSync(golden, 'utf8'));
  });

  it('parses as a Navigator multi-layer file with the five assessment layers', () => {
    expect(() => navigatorLayerFileSchema.parse(layers)).not.toThrow();
    expect(layers.map((l) => l.metadata?.find((m) => 'name' in m && m.name === 'layer'))).toEqual(
      ['applicability', 'inherent', 'residual', 'mitigation-coverage', 'case-study-frequency'].map(
        (value) => ({
          name: 'layer',
          value,
        }),
      ),
    );
  });

  it('uses the atlas-atlas domain and never sets versions.attack', () => {
    for (const layer of layers) {
      expect(layer.domain).toBe('atlas-atlas');
      expect(Object.keys(layer.versions).sort()).toEqual(['layer', 'navigator']);
    }
  });

  it('names only catalog techniques, with tactic shortnames from the catalog on top-level entries only', () => {
    const shortnames = new Map(catalog.tactics.map((t) => [t.id, t.shortname]));
    for (const layer of layers) {
      for (const entry of layer.techniques) {
        const technique = catalog.technique(entry.techniqueID);
        expect(technique, entry.techniqueID).toBeDefined();
        if (technique?.parent !== undefined) {
          expect(entry.tactic, entry.techniqueID).toBeUndefined();
          expect(entry.showSubtechniques).toBeUndefined();
        } else {
          const allowed = technique?.tactics.map((id) => shortnames.get(id)) ?? [];
          expect(allowed, entry.techniqueID).toContain(entry.tactic);
        }
      }
      // One entry per (top-level technique, tactic) plus one per sub-technique: 180 + 69 in 5.6.0.
      const top = catalog.techniques.filter((t) => t.parent === undefined);
      const expected =
        top.reduce((n, t) => n + t.tactics.length, 0) + (catalog.techniques.length - top.length);
      expect(layer.techniques).toHaveLength(expected);
      expect(new Set(layer.techniques.map((e) => e.techniqueID)).size).toBe(170);
    }
  });

  it('keeps scores inside each layer’s gradient', () => {
    for (const layer of layers)
      for (const entry of layer.techniques)
        if (entry.score !== undefined) {
          expect(entry.score).toBeGreaterThanOrEqual(layer.gradient?.minValue ?? 0);
          expect(entry.score).toBeLessThanOrEqual(layer.gradient?.maxValue ?? 100);
        }
  });

  it('disables not-applicable techniques and scores applicable ones', () => {
    const residual = layers[2]!;
    const byId = (id: string) => residual.techniques.find((e) => e.techniqueID === id);
    expect(byId('AML.T0000')?.enabled).toBe(false);
    expect(byId('AML.T0051')?.score).toBe(
      assessment.ledger.find((e) => e.techniqueId === 'AML.T0051')?.residual?.score,
    );
    expect(byId('AML.T0051')?.showSubtechniques).toBe(true);
    expect(byId('AML.T0051')?.links).toEqual([
      { label: 'ATLAS', url: 'https://atlas.mitre.org/techniques/AML.T0051' },
    ]);
    const coverage = layers[3]!;
    expect(coverage.techniques.find((e) => e.techniqueID === 'AML.T0070')?.color).toBe('#8e24aa');
  });

  it('counts case studies per technique from the catalog', () => {
    const layer = layers[4]!;
    const t0065 = catalog.technique('AML.T0065')!;
    const n =
      t0065.caseStudies.incidents.length +
      t0065.caseStudies.exercises.length +
      t0065.caseStudies.other.length;
    expect(layer.techniques.find((e) => e.techniqueID === 'AML.T0065')?.score).toBe(n);
    expect(layer.gradient?.maxValue).toBeGreaterThanOrEqual(n);
  });

  it('accepts configured versions and rejects a layer carrying versions.attack', () => {
    const [first] = navigatorLayers(assessment, catalog, { layer: '4.3', navigator: '4.6.4' });
    expect(first?.versions).toEqual({ layer: '4.3', navigator: '4.6.4' });
    expect(
      navigatorLayerSchema.safeParse({ ...first, versions: { layer: '4.5', attack: '5.6' } }).success,
    ).toBe(false);
  });

  it('schema accepts the documented example layer (research notes §8.3) and rejects broken ones', () => {
    const example = {
      name: 'Claims-triage LLM — residual risk',
      versions: { layer: '4.5', navigator: '5.3.2' },
      domain: 'atlas-atlas',
      description: 'Generated from ATLAS data 5.6.0 on 2026-06-01',
      metadata: [{ name: 'atlas_data_version', value: '5.6.0' }],
      techniques: [
        {
          techniqueID: 'AML.T0051',
          tactic: 'execution',
          score: 82,
          comment: 'Applies',
          showSubtechniques: true,
        },
        { techniqueID: 'AML.T0051.001', score: 82 },
        { techniqueID: 'AML.T0020', tactic: 'persistence', enabled: false, comment: 'Not applicable' },
      ],
      gradient: { colors: ['#ffffff', '#f44336'], minValue: 0, maxValue: 100 },
      legendItems: [{ label: 'Residual risk (0–100)', color: '#f44336' }],
    };
    expect(navigatorLayerFileSchema.safeParse(example).success).toBe(true);
    expect(navigatorLayerFileSchema.safeParse([example, example]).success).toBe(true);
    expect(navigatorLayerSchema.safeParse({ ...example, domain: undefined }).success).toBe(false);
    expect(
      navigatorLayerSchema.safeParse({
        ...example,
        techniques: [{ techniqueID: 'T1059', tactic: 'execution' }],
      }).success,
    ).toBe(false);
    expect(
      navigatorLayerSchema.safeParse({ ...example, gradient: { colors: ['#fff'], minValue: 1, maxValue: 0 } })
        .success,
    ).toBe(false);
  });
});
