import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { assessModel, exampleModel, EXAMPLES } from '../../assess/test-support/examples.js';
import {
  NAVIGATOR_LAYER_KINDS,
  navigatorLayerWriter,
  navigatorLayers,
  writeNavigator,
} from './navigator-writer.js';
import { navigatorLoadCheck, type LoadFinding } from './test-support/navigator-load-check.js';

// Our layers held to the rules the Navigator's own loading code enforces (test-support/navigator-load-check.ts
// restates them from mitre-attack/attack-navigator 5.x and the ATLAS Navigator fork; docs/reports.md).

const catalog = testCatalog('5.6.0');
const serious = (f: readonly LoadFinding[]) => f.filter((x) => x.severity !== 'warning');

describe.each(EXAMPLES)('Navigator layers of %s as the Navigator loads them', (name) => {
  const assessment = assessModel(exampleModel(name), catalog);

  it('the multi-layer file loads in the ATT&CK Navigator 5.x with no error, loss or warning', () => {
    expect(navigatorLoadCheck(JSON.parse(writeNavigator(assessment, catalog)), catalog)).toEqual([]);
  });

  it.each(NAVIGATOR_LAYER_KINDS)(
    'the single %s layer loads in the 4.3 ATLAS Navigator fork, with only the layer-version notice',
    (kind) => {
      const layer: unknown = JSON.parse(navigatorLayerWriter(kind)(assessment, catalog));
      expect(Array.isArray(layer)).toBe(false);
      const findings = navigatorLoadCheck(layer, catalog, 'atlas-navigator-4.3');
      expect(serious(findings)).toEqual([]);
      expect(findings.map((f) => f.where)).toEqual(['layer.versions.layer']);
      expect(navigatorLoadCheck(layer, catalog)).toEqual([]);
    },
  );

  it('every annotation lands on a cell: one entry per (technique, tactic) of the catalog, none overwritten', () => {
    for (const layer of navigatorLayers(assessment, catalog)) {
      const topLevel = catalog.techniques.filter((t) => t.parent === undefined);
      const placements = topLevel.reduce((n, t) => n + t.tactics.length, 0);
      const subs = catalog.techniques.length - topLevel.length;
      expect(layer.techniques).toHaveLength(placements + subs);
    }
  });
});

describe('the load check enforces each rule (it is not vacuous)', () => {
  const assessment = assessModel(exampleModel('citizen-llm-assistant'), catalog);
  const base = () => structuredClone(navigatorLayers(assessment, catalog)[2]) as Record<string, unknown>;
  const techniques = (l: Record<string, unknown>) => l.techniques as Array<Record<string, unknown>>;
  const check = (l: unknown, flavour?: 'attack-navigator-5' | 'atlas-navigator-4.3') =>
    navigatorLoadCheck(l, catalog, flavour).map((f) => `${f.severity}: ${f.message}`);

  it('refuses a multi-layer file in the 4.3 fork', () => {
    expect(check([base()], 'atlas-navigator-4.3')).toEqual([
      'error: multi-layer files are not read: an unnamed, empty layer opens, with no alert',
    ]);
  });
  it('versions.attack set to an ATLAS version makes the domain invalid', () => {
    const l = base();
    l.versions = { layer: '4.5', attack: '5.6' };
    expect(check(l)).toContain("error: 'atlas-atlas' (v5) is an invalid domain");
  });
  it('a domain other than atlas-atlas is invalid', () => {
    const l = base();
    l.domain = 'atlas';
    expect(check(l)).toContain("error: 'atlas' (v4) is an invalid domain");
  });
  it('a layer version 3.x stops the 5.x loader; 4.3 is only out of date', () => {
    const l = base();
    l.versions = { layer: '3.0' };
    expect(check(l).some((x) => x.startsWith('error: layer version 3.0'))).toBe(true);
    l.versions = { layer: '4.3' };
    expect(check(l)).toEqual(['warning: layer version 4.3 is out of date']);
    expect(check(l, 'atlas-navigator-4.3')).toEqual([]);
  });
  it('a tactic the technique is not under loses the annotation', () => {
    const l = base();
    const first = techniques(l)[0] as Record<string, unknown>;
    first.tactic = 'ai-attack-adaptation';
    expect(check(l).some((x) => x.startsWith('dropped:') && x.includes('ai-attack-adaptation'))).toBe(true);
  });
  it('an unknown technique without tactic is ignored; a duplicate overwrites', () => {
    const l = base();
    techniques(l).push({ techniqueID: 'AML.T9999' });
    techniques(l).push({ ...(techniques(l)[0] as Record<string, unknown>) });
    const found = check(l);
    expect(found.some((x) => x.includes('AML.T9999 is not a technique'))).toBe(true);
    expect(found.some((x) => x.includes('overwrites'))).toBe(true);
  });
  it('wrong field types, colours and empty metadata are caught', () => {
    const l = base();
    const t = techniques(l)[0] as Record<string, unknown>;
    t.score = '5';
    t.color = 'reddish';
    t.enabled = 'no';
    t.metadata = [{ name: 'assets', value: '' }];
    t.links = [{ label: 'ATLAS', url: '' }];
    l.gradient = { colors: ['#fff'], minValue: 10, maxValue: 0 };
    l.legendItems = [{ label: 'x' }];
    l.layout = { layout: 'grid' };
    l.sorting = 'name';
    const found = check(l);
    for (const expected of [
      'error: not a number',
      'error: not a color-string',
      'error: not a boolean',
      'dropped: metadata without a non-empty name and value is dropped',
      'dropped: link without a non-empty label and url is dropped',
      'error: a gradient needs two colours',
      'error: maxValue must exceed minValue',
      'error: label and color required',
      'error: unknown layout',
    ])
      expect(found, expected).toContain(expected);
  });
});
