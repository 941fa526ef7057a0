import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseSystemModelText } from '@atlasguard/core';
import { describe, expect, it } from 'vitest';
import { askStarterOptions } from './init-run.js';

// `atlasguard init` asks for the starter options on a terminal. These tests drive its standard input.

const ANSWERS = [
  'Claims triage',
  'claims-triage',
  'finance',
  'high',
  'classifier',
  'in-house',
  'public-api',
  'pii, pci',
];

async function drive(
  raw: Record<string, unknown>,
  input: string,
): Promise<{ raw: Record<string, unknown>; prompts: string }> {
  const stdin = new PassThrough();
  const out = new PassThrough();
  let prompts = '';
  out.on('data', (chunk: Buffer) => (prompts += chunk.toString('utf8')));
  // everything typed ahead at once: no answer may be lost
  stdin.end(input);
  await askStarterOptions(raw, stdin, out);
  return { raw, prompts };
}

describe('init prompts (stdin driven)', () => {
  it('asks every option in order and takes the answers, typed ahead in one go', async () => {
    const { raw, prompts } = await drive({}, `${ANSWERS.join('\n')}\n`);
    expect(raw).toEqual({
      name: 'Claims triage',
      id: 'claims-triage',
      sector: 'finance',
      criticality: 'high',
      task: 'classifier',
      provenance: 'in-house',
      access: 'public-api',
      dataClasses: ['pii', 'pci'],
    });
    const asked = prompts.split(': ').map((p) => p.replace(/\s*\(.*$|\s*\[.*$/s, ''));
    expect(asked.slice(0, 8)).toEqual([
      'System name',
      'System id',
      'Sector',
      'Business criticality',
      'Main model task',
      'Where the model comes from',
      'Who can query it',
      'Data classes, comma-separated',
    ]);
    // the choices and the default are shown
    expect(prompts).toMatch(/Sector \(finance \| healthcare \| government[^)]*\) \[other\]: /);
  });

  it('does not ask what a flag already gave, and keeps defaults for empty answers and end of input', async () => {
    const { raw, prompts } = await drive({ sector: 'healthcare', task: 'vision' }, 'Imaging\n\n');
    expect(prompts).not.toMatch(/Sector|Main model task/);
    expect(raw).toEqual({ sector: 'healthcare', task: 'vision', name: 'Imaging' });
    expect(prompts.match(/: /g)).toHaveLength(6); // name, id, criticality, provenance, access, data classes
  });

  it('tolerates CRLF line ends and blank padding', async () => {
    const { raw } = await drive({}, '  Fraud scoring \r\n fraud \r\nfinance\r\n');
    expect(raw).toMatchObject({ name: 'Fraud scoring', id: 'fraud', sector: 'finance' });
  });
});

// On a real terminal: `script` gives the child a pseudo-terminal, so `init` takes its interactive path.
const script = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const entry = fileURLToPath(new URL('./test-support/cli-entry.ts', import.meta.url));
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

describe.skipIf(!script || !existsSync(tsx))('init on a terminal', () => {
  it('prompts, writes a model from the answers, and the model validates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlasguard-init-tty-'));
    const file = join(dir, 'atlasguard.yaml');
    const command = [
      process.execPath,
      '--import',
      tsx,
      '--conditions=@atlasguard/source',
      entry,
      'init',
      file,
    ]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      // answer each prompt when it shows: a person at the keyboard
      const prompts = (screen.match(/\]: /g) ?? []).length;
      while (answered < prompts && answered < ANSWERS.length) {
        child.stdin.write(`${ANSWERS[answered] ?? ''}\r`);
        answered++;
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    expect(answered).toBe(ANSWERS.length);
    expect(screen).toContain('System name [My AI system]: ');
    expect(screen).toContain('wrote ');
    const text = readFileSync(file, 'utf8');
    expect(text, screen).toContain('name: "Claims triage"');
    expect(text).toMatch(/sector: finance\b/);
    expect(text).toMatch(/task: classifier\b/);
    expect(text).toMatch(/access: public-api\b/);
    const parsed = parseSystemModelText(text, file);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.model.system.id).toBe('claims-triage');
      expect(parsed.value.model.system.dataClasses).toEqual(['pii', 'pci']);
      expect(parsed.value.model.model[0]?.provenance).toBe('in-house');
    }
  }, 90_000);
});
