import { describe, expect, it } from 'vitest';
import {
  detectFindingsFormat,
  guessFindingsKind,
  MAX_UPLOAD_BYTES,
  offsetOf,
  parseScanFile,
} from './upload.js';

describe('scan uploads', () => {
  it('tells SARIF 2.1 from other JSON by content, not by name', () => {
    expect(detectFindingsFormat({ version: '2.1.0', runs: [] })).toBe('sarif');
    expect(detectFindingsFormat({ version: '2.1.0', runs: {} })).toBe('json');
    expect(detectFindingsFormat({ version: '1.0', runs: [] })).toBe('json');
    expect(detectFindingsFormat([{ version: '2.1.0', runs: [] }])).toBe('json');
    expect(detectFindingsFormat(null)).toBe('json');
  });

  it('guesses the scanner from whole words of the file name only', () => {
    expect(guessFindingsKind('scan-model.sarif')).toBe('scan-model');
    expect(guessFindingsKind('deps.sarif')).toBe('scan-deps');
    expect(guessFindingsKind('nightly_data_scan.json')).toBe('scan-data');
    expect(guessFindingsKind('monitor-report.json')).toBe('monitor');
    expect(guessFindingsKind('results.json')).toBeNull();
    expect(guessFindingsKind('remodelling.json')).toBeNull();
    expect(guessFindingsKind('metadata.sarif')).toBeNull();
  });

  it('parses JSON within the server limit and explains failures', () => {
    expect(parseScanFile('{"a":1}', 7)).toEqual({ ok: true, document: { a: 1 } });
    const bad = parseScanFile('{"a":', 5);
    expect(bad.ok).toBe(false);
    expect(parseScanFile('{}', MAX_UPLOAD_BYTES + 1)).toEqual({
      ok: false,
      message: 'the file is larger than 16 MiB, the server limit',
    });
  });

  it('finds the offset of line:col, clamped to the text', () => {
    const text = 'ab\ncdef\n\ng';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(5);
    expect(offsetOf(text, 2, 99)).toBe(7);
    expect(offsetOf(text, 4, 1)).toBe(9);
    expect(offsetOf(text, 40, 1)).toBe(text.length);
    expect(offsetOf(text, 1, 0)).toBe(0);
  });
});
