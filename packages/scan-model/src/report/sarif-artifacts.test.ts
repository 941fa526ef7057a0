import { describe, expect, it } from 'vitest';
import { callP4 } from '../test-support/pickle-builder.js';
import { scanBytes } from '../test-support/scan-bytes.js';
import { makeZip } from '../test-support/zip-builder.js';
import { buildReport } from './build-report.js';
import { renderSarif } from './sarif-report.js';

describe('SARIF artifacts for archive members', () => {
  it('nests members through parentIndex along the location chain', () => {
    const inner = makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system') }]);
    const outer = makeZip([{ name: 'models/inner.pt', data: inner }]);
    const file = scanBytes(outer, 'dir/outer.zip');
    const report = buildReport([file], { version: '0', atlasVersion: '5.6.0', profiles: ['torch'] });
    const run = renderSarif(report).runs[0] as unknown as {
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
