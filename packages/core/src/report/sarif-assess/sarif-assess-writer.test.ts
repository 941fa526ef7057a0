import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { sarifSchemaPath } from '../../../../../test/shared-paths.js';
import { fixtureAssessment } from '../matrix/test-support/assessment-fixture.js';
import { unmitigatedRisks, writeSarifAssessment } from './sarif-assess-writer.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'citizen-assistant.sarif');
const catalog = testCatalog('5.6.0');
const assessment = fixtureAssessment(catalog);
const output = writeSarifAssessment(assessment, catalog);

interface SarifResult {
  ruleId: string;
  level: string;
  properties: Record<string, unknown>;
  locations?: Array<{
    physicalLocation: {
      artifactLocation: { uri: string };
      region?: { startLine: number; startColumn?: number };
    };
    logicalLocations?: Array<{ fullyQualifiedName: string }>;
  }>;
}
interface SarifRule {
  id: string;
  helpUri?: string;
  properties: Record<string, unknown>;
}
const log = JSON.parse(output) as {
  runs: Array<{ tool: { driver: { rules: SarifRule[] } }; results: SarifResult[] }>;
};

function sarifValidator() {
  // The OASIS schema is draft-04: drop its $schema and move `id` to `$id` so Ajv (draft-07) compiles it.
  const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('SARIF assessment writer', () => {
  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, output);
    }
    expect(output).toBe(readFileSync(golden, 'utf8'));
  });

  it('validates against the OASIS SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator is not vacuous: a broken log fails.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });

  it('reports exactly the open applicable risks, with security-severity and the model file as location', () => {
    const expected = unmitigatedRisks(assessment);
    expect(expected.length).toBeGreaterThan(0);
    const results = log.runs[0]!.results;
    // one result per asset the risk applies to (one on the file for a risk without assets)
    expect(results.map((r) => r.ruleId)).toEqual(
      expected.flatMap((r) =>
        r.assetRisks.length === 0 ? [r.techniqueId] : r.assetRisks.map(() => r.techniqueId),
      ),
    );
    expect(results.map((r) => r.ruleId)).not.toContain('AML.T0034'); // accepted
    expect(results.map((r) => r.ruleId)).not.toContain('AML.T0020'); // unknown, not applicable yet
    for (const r of results) {
      expect(Number(r.properties['security-severity'])).toBeGreaterThan(0);
      expect(r.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe(
        'examples/citizen%20assistant.atlasguard.yaml',
      );
    }
  });

  it('points each per-asset result at the asset’s declaration in the model file, with that asset’s level', () => {
    const located = log.runs[0]!.results.filter((r) => r.locations?.[0]?.logicalLocations !== undefined);
    expect(located.length).toBeGreaterThan(0);
    const byId = new Map(assessment.system.assets.map((a) => [a.id, a]));
    for (const r of located) {
      const assetId = r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? '';
      const asset = byId.get(assetId);
      expect(asset, assetId).toBeDefined();
      expect(r.locations?.[0]?.physicalLocation.region).toEqual({
        startLine: asset?.location?.line,
        startColumn: asset?.location?.column,
      });
      const risk = assessment.risks.find((x) => x.techniqueId === r.ruleId);
      expect(r.properties.severity).toBe(risk?.assetRisks.find((x) => x.asset === assetId)?.residual.level);
    }
  });

  it('bounds located results: 25 assets per risk, the rest named in one result on the file', () => {
    const big = structuredClone(assessment);
    const risk = unmitigatedRisks(big)[0]!;
    risk.assetRisks = Array.from({ length: 40 }, (_, i) => ({
      asset: `asset-${String(i)}`,
      inherent: { score: 20, level: 'critical' as const },
      residual: { score: 20 - (i % 3), level: 'critical' as const },
    }));
    const results = (
      JSON.parse(writeSarifAssessment(big, catalog)) as {
        runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }>;
      }
    ).runs[0]!.results.filter((r) => r.ruleId === risk.techniqueId);
    expect(results).toHaveLength(26);
    expect(results[25]?.message.text).toMatch(/Also on 15 more assets: asset-25, /);
  });

  it('defines one rule per ATLAS technique of the catalog, linked to its ATLAS page', () => {
    for (const rule of log.runs[0]!.tool.driver.rules) {
      expect(catalog.technique(rule.id), rule.id).toBeDefined();
      expect(rule.helpUri).toBe(`https://atlas.mitre.org/techniques/${rule.id}`);
      expect(rule.properties['security-severity']).toBeDefined();
    }
  });
});
