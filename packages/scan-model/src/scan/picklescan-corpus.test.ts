import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { picklescanCorpus } from '../../../../test/shared-paths.js';
import { Policy } from '../policy/policy.js';
import { DEFAULT_FILE_OPTIONS, scanFile } from './scan-file.js';

// picklescan's public regression corpus, scanned as bytes from ../shared (never copied, never loaded).
// Benign files follow that project's own test expectations; every other file is malicious.
const BENIGN = new Set([
  'data/benign0_v0.pkl',
  'data/benign0_v3.pkl',
  'data/benign0_v4.pkl',
  'data/benign_password_protected.zip',
  'data/new_pytorch_model.bin',
  'data/pytorch_model.bin',
  'data/not_a_pickle.bin',
  'data/bad_pytorch.pt',
  'data2/int_array.npy',
  'data2/int_arrays.npz',
  'data2/int_arrays_compressed.npz',
  'data2/object_array.npy',
  'data2/object_arrays.npz',
  'data2/object_arrays_compressed.npz',
]);

const present = existsSync(join(picklescanCorpus, 'data'));

describe.skipIf(!present)('picklescan corpus', () => {
  const files = present
    ? ['data', 'data2'].flatMap((d) =>
        readdirSync(join(picklescanCorpus, d))
          .sort()
          .map((f) => `${d}/${f}`),
      )
    : [];
  const policy = new Policy();
  const options = { ...DEFAULT_FILE_OPTIONS, policy };

  it('has the 109 files the research notes describe', () => {
    expect(files.length).toBe(109);
    expect(files.filter((f) => BENIGN.has(f)).length).toBe(14);
  });

  it('every malicious file is non-clean and every benign file is clean', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const report = scanFile(join(picklescanCorpus, f), f, options, () => policy);
      const clean = report.verdict === 'clean';
      if (BENIGN.has(f) !== clean)
        wrong.push(`${f}: ${report.verdict} ${report.findings.map((x) => x.ruleId).join(',')}`);
    }
    expect(wrong).toEqual([]);
  });
});
