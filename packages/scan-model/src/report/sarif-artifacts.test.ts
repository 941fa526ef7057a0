import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sarifSchemaPath } from '../../../../test/shared-paths.js';
import { callP4 } from '../test-support/pickle-builder.js';
import { scanBytes } from '../test-support/scan-bytes.js';
import { makeZip, utf8 } from '../test-support/zip-builder.js';
import { buildReport } from './build-report.js';
import { renderSarif } from './sarif-report.js';

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;

function validSarif(log: unknown): void {
  const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
}

describe('SARIF artifacts for archive members', () => {
  it('nests members through parentIndex along the location chain', () => {
    const inner = makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system') }]);
    const outer = makeZip([{ name: 'models/inner.pt', data: inner }]);
    const file = scanBytes(outer, 'dir/outer.zip');
    const report = buildReport([file], { version: '0', atlasVersion: '5.6.0', profiles: ['torch'] });
    const log = renderSarif(report);
    validSarif(log);
    const run = log.runs[0] as unknown as {
      artifacts: Array<{ location: { uri: string }; parentIndex?: number; hashes?: Record<string, string> }>;
      results: Array<{
        ruleId: string;
        locations: Array<{ physicalLocation: { artifactLocation: { index: number }; region?: unknown } }>;
        relatedLocations?: Array<{
          physicalLocation: {
            artifactLocation: { uri: string; index: number };
            region?: { byteOffset: number };
          };
        }>;
      }>;
    };
    expect(run.artifacts.map((a) => [a.location.uri, a.parentIndex])).toEqual([
      ['dir/outer.zip', undefined],
      ['models/inner.pt', 0],
      ['archive/data.pkl', 1],
    ]);
    expect(run.artifacts[0]?.hashes?.['sha-256']).toBe(file.sha256);
    const hit = run.results.find((r) => r.ruleId === 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
    expect(hit?.locations[0]?.physicalLocation.artifactLocation.index).toBe(0);
    expect(hit?.locations[0]?.physicalLocation.region).toBeUndefined();
    const related = hit?.relatedLocations?.[0]?.physicalLocation;
    expect(related?.artifactLocation).toEqual({ uri: 'archive/data.pkl', index: 2 });
    expect(typeof related?.region?.byteOffset).toBe('number');
  });
});

describe('SARIF for findings in Python files named by auto_map', () => {
  it('the .py file is an artifact of its own and the region has line and column', () => {
    const zip = makeZip([
      { name: 'r/config.json', data: utf8('{"auto_map": {"AutoModel": "modeling_x.M"}}') },
      { name: 'r/modeling_x.py', data: utf8('import os\n\nos.system("id")\n') },
    ]);
    const file = scanBytes(zip, 'repo.zip');
    const sibling = { ...file, findings: file.findings.map((f) => ({ ...f })) };
    // A disk scan reports the sibling's own path; emulate it on one finding.
    const hit = sibling.findings.find((f) => f.location?.line !== undefined);
    expect(hit).toBeDefined();
    if (hit?.location) hit.location = { path: 'repo/modeling_x.py', line: 3, column: 1 };
    const report = buildReport([sibling], { version: '0', atlasVersion: '5.6.0', profiles: ['torch'] });
    const log = renderSarif(report);
    validSarif(log);
    const run = log.runs[0] as unknown as {
      artifacts: Array<{ location: { uri: string } }>;
      results: Array<{
        locations: Array<{
          physicalLocation: {
            artifactLocation: { uri: string; index: number };
            region?: Record<string, number>;
          };
        }>;
      }>;
    };
    const located = run.results
      .map((r) => r.locations[0]?.physicalLocation)
      .find((p) => p?.region?.startLine === 3);
    expect(located?.region).toEqual({ startLine: 3, startColumn: 1 });
    expect(located?.artifactLocation.uri).toBe('repo/modeling_x.py');
    expect(run.artifacts[located?.artifactLocation.index ?? -1]?.location.uri).toBe('repo/modeling_x.py');
  });
});
