import { describe, expect, it } from 'vitest';
import { callP4, torchDataPkl } from '../test-support/pickle-builder.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import { makeZip } from '../test-support/zip-builder.js';

describe('zip CRC-32 checks', () => {
  it('a wrong CRC on data.pkl is reported and the payload is still found', () => {
    for (const method of [0, 8] as const) {
      const zip = makeZip([
        { name: 'archive/data.pkl', data: callP4('os', 'system'), method, crc: 0x12345678 },
        { name: 'archive/version', data: new TextEncoder().encode('3\n') },
      ]);
      const r = scanBytes(zip, 'model.pt');
      const crc = r.findings.find((f) => f.title === 'CRC-32 does not match the member');
      expect(crc?.location?.member).toBe('archive/data.pkl');
      expect(crc?.message).toContain('declares CRC 0x12345678');
      expect(crc?.references?.map((x) => x.label)).toContain('CVE-2025-10156');
      expect(rules(r)).toContain('AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
      expect(r.verdict).toBe('malicious');
    }
  });

  it('a benign checkpoint with a wrong CRC is suspicious, not clean', () => {
    const zip = makeZip([
      { name: 'archive/data.pkl', data: torchDataPkl(['0']), crc: 1 },
      { name: 'archive/data/0', data: new Uint8Array(16) },
    ]);
    expect(scanBytes(zip, 'model.pt').verdict).toBe('suspicious');
  });

  it('hard negative: correct CRCs (stored and deflated) raise nothing', () => {
    const zip = makeZip([
      { name: 'archive/data.pkl', data: torchDataPkl(['0']), method: 8 },
      { name: 'archive/data/0', data: new Uint8Array(16) },
      { name: 'archive/version', data: new TextEncoder().encode('3\n') },
    ]);
    expect(scanBytes(zip, 'model.pt')).toMatchObject({ verdict: 'clean', findings: [] });
  });
});
