import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { scanFile, DEFAULT_FILE_OPTIONS } from '../scan/scan-file.js';
import { Policy } from '../policy/policy.js';
import { BENIGN_CONFIG, BENIGN_MODELING, MALICIOUS_MODELING } from '../test-support/python-samples.js';
import { scanBytes } from '../test-support/scan-bytes.js';
import { makeZip, utf8 } from '../test-support/zip-builder.js';
import { analysePython } from './python-static.js';

const config = (autoMap: unknown): Uint8Array =>
  utf8(JSON.stringify({ model_type: 'tiny', auto_map: autoMap, hidden_size: 8 }));

describe('static analysis of Python remote code', () => {
  it('benign transformers-style modeling code has no findings', () => {
    const r = analysePython(BENIGN_MODELING);
    expect(r.hits).toEqual([]);
    expect(r.relativeImports).toEqual(['configuration_tiny']);
    expect(analysePython(BENIGN_CONFIG).hits).toEqual([]);
  });

  it('decode-then-exec, aliased subprocess and the import itself, with line and column', () => {
    const r = analysePython(MALICIOUS_MODELING);
    const at = r.hits.map((h) => `${String(h.line)}:${String(h.column)} ${h.severity} ${h.name}`);
    expect(at).toEqual(
      expect.arrayContaining([
        '4:1 medium subprocess',
        '7:1 high exec',
        '7:1 critical exec',
        '12:9 high subprocess.check_output',
      ]),
    );
    expect(r.hits.find((h) => h.severity === 'critical')?.what).toContain('base64.b64decode inside exec');
  });

  it.each([
    ['os.system', 'import os\nos.system("id")\n', 'high'],
    ['from-import', 'from os import system as s\ns("id")\n', 'high'],
    ['getattr', 'import os\ngetattr(os, "system")("id")\n', 'high'],
    ['__import__', 'm = __import__("subprocess")\n', 'high'],
    ['socket', 'import socket\nsocket.create_connection(("h", 1))\n', 'high'],
    ['ctypes', 'from ctypes import CDLL\nCDLL("x.so")\n', 'high'],
    ['pickle', 'import pickle\npickle.loads(b"")\n', 'high'],
    ['rmtree', 'import shutil\nshutil.rmtree("/")\n', 'medium'],
    ['requests', 'import requests\nrequests.get("http://x")\n', 'medium'],
    ['os.exec*', 'import os\nos.execv("/bin/sh", [])\n', 'high'],
    ['semicolons', 'import os; os.popen("id")\n', 'high'],
  ] as const)('%s', (_label, src, severity) => {
    const r = analysePython(src);
    expect(r.hits.some((h) => h.severity === severity)).toBe(true);
  });

  it('seeded fuzz: random and mutated sources end without throwing, in bounded time', () => {
    const rnd = seededRandom(9);
    const alphabet = 'abc_. ()[]{}\'"#\\\n:;=,importfromasexecos1';
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const base = i % 2 === 0 ? MALICIOUS_MODELING : BENIGN_MODELING;
      let s = base.slice(0, Math.floor(rnd() * base.length));
      for (let k = 0; k < 20; k++) {
        const at = Math.floor(rnd() * (s.length + 1));
        s = s.slice(0, at) + (alphabet[Math.floor(rnd() * alphabet.length)] ?? '') + s.slice(at);
      }
      const r = analysePython(s);
      expect(Array.isArray(r.hits)).toBe(true);
    }
    // Deep nesting and an unterminated triple-quoted string.
    expect(analysePython(`${'('.repeat(100_000)}exec(x)`).hits.length).toBeGreaterThan(0);
    expect(analysePython(`x = """${'a'.repeat(100_000)}`).hits).toEqual([]);
    // Many executor calls and many calls inside them stay linear.
    const many = 'exec(f(g(h(x))))\n'.repeat(50_000);
    const t = Date.now();
    expect(analysePython(many).hits.length).toBeGreaterThan(0);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('auto_map: the named Python files are analysed where they sit', () => {
  it('on disk: findings point at modeling_tiny.py:line:col; relative imports are followed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-remote-'));
    try {
      mkdirSync(join(dir, 'repo'));
      writeFileSync(join(dir, 'repo', 'config.json'), config({ AutoModel: 'modeling_tiny.TinyModel' }));
      writeFileSync(join(dir, 'repo', 'modeling_tiny.py'), BENIGN_MODELING);
      writeFileSync(join(dir, 'repo', 'configuration_tiny.py'), MALICIOUS_MODELING);
      const r = scanFile(
        join(dir, 'repo', 'config.json'),
        'repo/config.json',
        { ...DEFAULT_FILE_OPTIONS, policy: new Policy() },
        () => new Policy(),
      );
      const crit = r.findings.find((f) => f.severity === 'critical');
      expect(crit?.location).toMatchObject({ path: 'repo/configuration_tiny.py', line: 7, column: 1 });
      expect(crit?.evidence).toBe('exec(b.b64decode(PAYLOAD))');
      expect(r.verdict).toBe('malicious');
      // The benign pair: only the auto_map notice itself (medium), nothing from the code.
      writeFileSync(join(dir, 'repo', 'configuration_tiny.py'), BENIGN_CONFIG);
      const ok = scanFile(
        join(dir, 'repo', 'config.json'),
        'repo/config.json',
        { ...DEFAULT_FILE_OPTIONS, policy: new Policy() },
        () => new Policy(),
      );
      expect(ok.findings.map((f) => f.title)).toEqual(['Model needs trust_remote_code']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in a zip: the sibling member is read; a missing file and a foreign repo are noted', () => {
    const zip = makeZip([
      {
        name: 'repo/config.json',
        data: config({
          AutoConfig: 'configuration_tiny.TinyConfig',
          AutoModel: 'modeling_tiny.TinyModel',
          AutoTokenizer: ['other/repo--tok.T', null],
        }),
      },
      { name: 'repo/modeling_tiny.py', data: utf8(MALICIOUS_MODELING), method: 8 },
    ]);
    const r = scanBytes(zip, 'repo.zip');
    const crit = r.findings.find((f) => f.severity === 'critical');
    expect(crit?.location).toMatchObject({ member: 'repo/modeling_tiny.py', line: 7, column: 1 });
    expect(r.findings.map((f) => f.title)).toEqual(
      expect.arrayContaining([
        'auto_map points at code in another repository',
        'auto_map code not in the scanned files',
      ]),
    );
  });

  it('a module name with path tricks is high', () => {
    const r = scanBytes(config({ AutoModel: '../../evil.X' }), 'config.json');
    expect(r.findings.find((f) => f.title === 'auto_map module name is not a plain module')?.severity).toBe(
      'high',
    );
  });
});
