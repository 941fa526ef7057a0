import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../../../../test/golden.js';
import { runCli } from '../../../../test/run-cli.js';
import { atlasRelease } from '../../../../test/shared-paths.js';
import { closedPortUrl, startReleaseServer, type ReleaseServer } from '../../../../test/release-server.js';

// Every kb command through the real CLI entry point, with ATLAS_DATA=5.6.0 (test/setup.ts) unless a test
// says otherwise. Text outputs are compared with golden files (regenerate with UPDATE_GOLDEN=1).

const latest = atlasRelease('5.6.0');
const golden = (name: string, text: string): void => {
  expectGolden(import.meta.url, name, text);
};
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON shape it expects
const json = <T>(stdout: string): T => JSON.parse(stdout) as T;
/** Widest line, URLs aside (they are never split, so that they can be copied whole). */
const maxLineWidth = (text: string): number =>
  Math.max(
    ...text
      .split('\n')
      .filter((l) => !/^\s*<?https?:\/\/\S+>?$/.test(l))
      .map((l) => Array.from(l).length),
  );

describe('kb info', () => {
  it('reports the 5.6.0 facts as JSON', async () => {
    const result = await runCli(['kb', 'info', '--json']);
    expect(result.code).toBe(0);
    const info = json<{
      version: string;
      origin: string;
      official: boolean;
      sha256: string;
      counts: Record<string, number>;
      maturity: Record<string, number>;
      warnings: { count: number; byCode: Record<string, number> };
    }>(result.stdout);
    expect(info.version).toBe('5.6.0');
    expect(info.counts).toMatchObject({
      tactics: 16,
      techniques: 170,
      subtechniques: 69,
      topLevelTechniques: 101,
      mitigations: 35,
      caseStudies: 57,
      incidents: 17,
      exercises: 40,
    });
    expect(info.maturity).toEqual({ realized: 64, demonstrated: 89, feasible: 17, unspecified: 0 });
    expect(info.warnings.count).toBe(2);
    expect(info.warnings.byCode).toEqual({ 'misplaced-technique-use': 2 });
    expect(info.origin).toBe('env');
    expect(info.official).toBe(true);
    expect(info.sha256).toBe('8a5693df51135721796607b8f29cba8ed33d745d5592ed80efbaaab0fba978f2');
    expect((await runCli(['kb', 'info', '--format', 'json'])).stdout).toBe(result.stdout);
  });

  it('prints text (golden), warnings on request', async () => {
    const result = await runCli(['kb', 'info']);
    expect(result.code).toBe(0);
    golden('kb-info.txt', result.stdout.replace(latest, '<ATLAS_DATA>'));
    const withWarnings = await runCli(['kb', 'info', '--warnings']);
    expect(withWarnings.stdout).toMatch(/misplaced-technique-use: mitigation AML\.M0018/);
  });

  it('takes --atlas-data over ATLAS_DATA', async () => {
    const result = await runCli(['--atlas-data', atlasRelease('5.5.0'), 'kb', 'info', '--json']);
    expect(json<{ version: string; origin: string }>(result.stdout)).toMatchObject({
      version: '5.5.0',
      origin: 'flag',
    });
    const after = await runCli(['kb', 'info', '--json', '--atlas-data', atlasRelease('5.4.0')]);
    expect(json<{ version: string }>(after.stdout).version).toBe('5.4.0');
  });

  it('rejects --json with --format text as a usage error', async () => {
    const result = await runCli(['kb', 'info', '--json', '--format', 'text']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/--json conflicts with --format text/);
    expect((await runCli(['kb', 'info', '--format', 'yaml'])).code).toBe(4);
  });
});

describe('kb show', () => {
  it.each(['AML.T0051', 'AML.TA0002', 'AML.M0015', 'AML.CS0009'])('shows %s (golden text)', async (id) => {
    const result = await runCli(['kb', 'show', id]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`${id}  `)).toBe(true);
    expect(maxLineWidth(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).not.toMatch(/\]\(\/(techniques|tactics|mitigations|studies)\//);
    golden(`kb-show-${id}.txt`, result.stdout);
  });

  it('technique JSON: tactics, maturity, mitigations with use, case studies, ATT&CK and URL', async () => {
    const result = await runCli(['kb', 'show', 'AML.T0051', '--json']);
    const view = json<{
      atlasVersion: string;
      kind: string;
      id: string;
      url: string;
      maturity: string;
      tactics: Array<{ id: string }>;
      subtechniques: Array<{ id: string }>;
      mitigations: Array<{ id: string; name: string; use: string }>;
      caseStudies: { incidents: unknown[]; exercises: unknown[] };
    }>(result.stdout);
    expect(view).toMatchObject({
      atlasVersion: '5.6.0',
      kind: 'technique',
      id: 'AML.T0051',
      maturity: 'realized',
      url: 'https://atlas.mitre.org/techniques/AML.T0051',
    });
    expect(view.subtechniques).toHaveLength(3);
    expect(view.mitigations.length).toBeGreaterThan(0);
    expect(view.mitigations.every((m) => m.use.length > 0 && m.name.length > 0)).toBe(true);
  });

  it.each([
    ['AML.TA0002', 'tactic'],
    ['AML.M0015', 'mitigation'],
    ['AML.CS0009', 'case-study'],
    ['reconnaissance', 'tactic'],
    ['aml.t0051.001', 'technique'],
  ])('JSON for %s is a %s', async (id, kind) => {
    const result = await runCli(['kb', 'show', id, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(json<{ kind: string }>(result.stdout).kind).toBe(kind);
  });

  it('shows a sub-technique with its parent and wraps at --width', async () => {
    const result = await runCli(['kb', 'show', 'AML.T0051.000', '--width', '60']);
    expect(result.stdout).toMatch(/Parent\s+AML\.T0051 LLM Prompt Injection/);
    expect(maxLineWidth(result.stdout)).toBeLessThanOrEqual(60);
  });

  it('exits 2 with "did you mean" for an unknown ID', async () => {
    const result = await runCli(['kb', 'show', 'AML.T0515']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/unknown ATLAS ID "AML\.T0515"/);
    expect(result.stderr).toMatch(/did you mean AML\.T0015 \(Evade AI Model\)/);
    const byName = await runCli(['kb', 'show', 'prompt injection']);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toMatch(/did you mean AML\.T0051 \(LLM Prompt Injection\)/);
  });

  it('needs an ID (usage error)', async () => {
    expect((await runCli(['kb', 'show'])).code).toBe(4);
  });
});

describe('kb search', () => {
  it('puts AML.T0020 among the first results for "poisoning"', async () => {
    const result = await runCli(['kb', 'search', 'poisoning', '--json']);
    expect(result.code).toBe(0);
    const found = json<{
      query: string;
      total: number;
      results: Array<{
        rank: number;
        id: string;
        kind: string;
        name: string;
        score: number;
        snippet: string;
        url: string;
      }>;
    }>(result.stdout);
    expect(found.query).toBe('poisoning');
    expect(found.results).toHaveLength(10);
    expect(found.total).toBeGreaterThan(10);
    expect(found.results.slice(0, 3).map((r) => r.id)).toContain('AML.T0020');
    expect(found.results[0]).toMatchObject({ rank: 1, kind: 'technique' });
  });

  it('prints ranked text (golden)', async () => {
    const result = await runCli(['kb', 'search', 'poisoning', '--limit', '5']);
    expect(result.code).toBe(0);
    expect(maxLineWidth(result.stdout)).toBeLessThanOrEqual(80);
    golden('kb-search-poisoning.txt', result.stdout);
  });

  it('joins several words, filters kinds and limits', async () => {
    const result = await runCli([
      'kb',
      'search',
      'prompt',
      'injection',
      '--kind',
      'mitigation',
      '--limit',
      '3',
      '--json',
    ]);
    const found = json<{ query: string; results: Array<{ kind: string }> }>(result.stdout);
    expect(found.query).toBe('prompt injection');
    expect(found.results.length).toBeLessThanOrEqual(3);
    expect(found.results.every((r) => r.kind === 'mitigation')).toBe(true);
  });

  it('says so when nothing matches, and checks its options', async () => {
    const none = await runCli(['kb', 'search', 'xyzzyplugh']);
    expect([none.code, none.stdout]).toEqual([0, 'No match for "xyzzyplugh" in ATLAS 5.6.0.\n']);
    expect((await runCli(['kb', 'search', 'x', '--limit', '0'])).code).toBe(4);
    expect((await runCli(['kb', 'search', 'x', '--kind', 'planet'])).code).toBe(4);
  });
});

describe('kb matrix', () => {
  it('is readable at 120 columns (golden)', async () => {
    const result = await runCli(['kb', 'matrix']);
    expect(result.code).toBe(0);
    expect(maxLineWidth(result.stdout)).toBeLessThanOrEqual(120);
    expect(result.stdout).toMatch(/^Reconnaissance {2,}Resource Development/m);
    golden('kb-matrix.txt', result.stdout);
  });

  it('lists sub-techniques on request and fits --width', async () => {
    const result = await runCli(['kb', 'matrix', '--subtechniques', '--width', '80']);
    expect(maxLineWidth(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/\.000 Direct/);
    golden('kb-matrix-subtechniques-80.txt', result.stdout);
  });

  it('gives the matrix as JSON', async () => {
    const result = await runCli(['kb', 'matrix', '--json', '--subtechniques']);
    const matrix = json<{
      atlasVersion: string;
      tactics: Array<{
        tactic: { id: string; shortname: string };
        techniques: Array<{ id: string; subtechniques: unknown[] }>;
      }>;
    }>(result.stdout);
    expect(matrix.tactics).toHaveLength(16);
    expect(matrix.tactics[0]?.tactic.shortname).toBe('reconnaissance');
    const techniques = new Set(matrix.tactics.flatMap((t) => t.techniques.map((x) => x.id)));
    expect(techniques.size).toBe(101);
  });
});

describe('kb diff', () => {
  it('5.5.0 → 5.6.0 lists the three new techniques (text golden)', async () => {
    const result = await runCli(['kb', 'diff', atlasRelease('5.5.0'), latest]);
    expect(result.code).toBe(0);
    for (const id of ['AML.T0002.002', 'AML.T0095.000', 'AML.T0052.001'])
      expect(result.stdout).toContain(`+ ${id}`);
    golden('kb-diff-5.5.0-5.6.0.txt', result.stdout);
  });

  it('gives JSON with both releases identified', async () => {
    const result = await runCli(['kb', 'diff', atlasRelease('5.4.0'), atlasRelease('5.5.0'), '--json']);
    const diff = json<{
      from: { version: string; sha256: string };
      to: { version: string };
      techniques: { added: Array<{ id: string }> };
      maturity: unknown[];
      caseStudies: { added: unknown[] };
      summary: { techniquesAdded: number };
    }>(result.stdout);
    expect(diff.from.version).toBe('5.4.0');
    expect(diff.to.version).toBe('5.5.0');
    expect(diff.summary.techniquesAdded).toBe(12);
    expect(diff.maturity).toHaveLength(9);
    expect(diff.caseStudies.added).toHaveLength(5);
  });

  it('says a release against itself has no changes', async () => {
    const result = await runCli(['kb', 'diff', latest, latest]);
    expect(result.stdout).toMatch(/No changes\./);
  });

  it('exits 2 for a version that is not cached', async () => {
    const result = await runCli(['kb', 'diff', '5.1.0', latest]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ATLAS 5\.1\.0 is not in the cache/);
    expect(result.stderr).toMatch(/kb update --version 5\.1\.0 --fetch-only/);
  });
});

describe('kb update and the cache (local release server)', () => {
  let server: ReleaseServer;
  let bytes560: Buffer;
  beforeAll(async () => {
    server = await startReleaseServer();
    bytes560 = await readFile(latest);
    for (const v of ['5.4.0', '5.5.0', '5.6.0'])
      server.routes.set(`/v${v}/ATLAS.yaml`, { body: await readFile(atlasRelease(v)) });
  });
  afterAll(async () => {
    await server.close();
  });

  /** A user with an empty cache, online through the local server, and no ATLAS_DATA. */
  async function user(): Promise<NodeJS.ProcessEnv> {
    const cache = await mkdtemp(join(tmpdir(), 'ag-cli-cache-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ATLASGUARD_CACHE_DIR: cache,
      ATLASGUARD_ATLAS_URL: server.url('/v{version}/ATLAS.yaml'),
    };
    delete env.ATLAS_DATA;
    delete env.ATLASGUARD_OFFLINE;
    return env;
  }

  it('fetches the pinned release, verifies it, and kb info then reads the cache', async () => {
    const env = await user();
    const update = await runCli(['kb', 'update', '--json'], { env });
    expect(update.code).toBe(0);
    const stored = json<{
      version: string;
      verification: string;
      current: boolean;
      alreadyPresent: boolean;
      path: string;
    }>(update.stdout);
    expect(stored).toMatchObject({
      version: '5.6.0',
      verification: 'official',
      current: true,
      alreadyPresent: false,
    });
    expect(update.stderr).toMatch(/downloading ATLAS 5\.6\.0 from http:\/\/127\.0\.0\.1/);
    const offline = { ...env, ATLASGUARD_ATLAS_URL: await closedPortUrl() };
    const info = await runCli(['kb', 'info', '--json'], { env: offline });
    expect(json<{ origin: string; version: string }>(info.stdout)).toMatchObject({
      origin: 'cache',
      version: '5.6.0',
    });
    const again = await runCli(['kb', 'update', '--json'], { env });
    expect(json<{ alreadyPresent: boolean }>(again.stdout).alreadyPresent).toBe(true);
  });

  it('text output (golden, paths normalized)', async () => {
    const env = await user();
    const result = await runCli(['kb', 'update'], { env });
    expect(result.code).toBe(0);
    golden(
      'kb-update.txt',
      result.stdout
        .replaceAll(env.ATLASGUARD_CACHE_DIR!, '<CACHE>')
        .replaceAll(server.url(''), 'http://<SERVER>'),
    );
  });

  it('fetches another version without switching to it, then diffs cached versions', async () => {
    const env = await user();
    expect((await runCli(['kb', 'update'], { env })).code).toBe(0);
    const old = await runCli(['kb', 'update', '--version', '5.5.0', '--fetch-only', '--json'], { env });
    expect(json<{ version: string; current: boolean }>(old.stdout)).toMatchObject({
      version: '5.5.0',
      current: false,
    });
    expect(json<{ version: string }>((await runCli(['kb', 'info', '--json'], { env })).stdout).version).toBe(
      '5.6.0',
    );
    const diff = await runCli(['kb', 'diff', '5.5.0', 'v5.6.0', '--json'], { env });
    expect(diff.code).toBe(0);
    expect(
      json<{ techniques: { added: Array<{ id: string }> } }>(diff.stdout).techniques.added.map((t) => t.id),
    ).toEqual(['AML.T0002.002', 'AML.T0052.001', 'AML.T0095.000']);
    // Without --fetch-only the fetched release becomes the default.
    await runCli(['kb', 'update', '--version', '5.4.0'], { env });
    expect(json<{ version: string }>((await runCli(['kb', 'info', '--json'], { env })).stdout).version).toBe(
      '5.4.0',
    );
  });

  it('refuses a download whose digest is not the official one (exit 2)', async () => {
    const env = await user();
    server.routes.set('/evil/5.6.0', { body: Buffer.concat([bytes560, Buffer.from('# changed\n')]) });
    const result = await runCli(['kb', 'update', '--url', server.url('/evil/5.6.0')], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing ATLAS 5\.6\.0 .*is not the official/);
    const info = await runCli(['kb', 'info'], { env: { ...env, ATLASGUARD_OFFLINE: '1' } });
    expect(info.code).toBe(2);
  });

  it('records the digest of a release it does not know, and refuses a changed copy later', async () => {
    const env = await user();
    const future = bytes560.toString('utf8').replace(/^version: 5\.6\.0$/m, 'version: 5.7.0');
    server.routes.set('/v5.7.0/ATLAS.yaml', { body: future });
    const first = await runCli(['kb', 'update', '--version', '5.7.0', '--json'], { env });
    expect(first.code).toBe(0);
    expect(json<{ verification: string }>(first.stdout).verification).toBe('recorded');
    server.routes.set('/v5.7.0/ATLAS.yaml', { body: `${future}\n# changed upstream\n` });
    const second = await runCli(['kb', 'update', '--version', '5.7.0'], { env });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/differs from the [0-9a-f]{64} recorded when it was first fetched/);
  });

  it('refuses a file that holds another version than asked for', async () => {
    const env = await user();
    const result = await runCli(
      ['kb', 'update', '--version', '5.8.0', '--url', server.url('/v5.6.0/ATLAS.yaml')],
      { env },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds ATLAS 5\.6\.0, not 5\.8\.0/);
  });

  it('imports a local copy offline with --from', async () => {
    const env = { ...(await user()), ATLASGUARD_OFFLINE: '1' };
    const result = await runCli(['kb', 'update', '--from', atlasRelease('5.5.0'), '--json'], { env });
    expect(result.code).toBe(0);
    expect(json<{ version: string; verification: string }>(result.stdout)).toMatchObject({
      version: '5.5.0',
      verification: 'official',
    });
    const info = await runCli(['kb', 'info', '--json'], { env });
    expect(json<{ origin: string; version: string }>(info.stdout)).toMatchObject({
      origin: 'cache',
      version: '5.5.0',
    });
    // A modified copy of a known release is refused.
    const dir = await mkdtemp(join(tmpdir(), 'ag-import-'));
    const modified = join(dir, 'ATLAS.yaml');
    await writeFile(modified, Buffer.concat([bytes560, Buffer.from('# local edit\n')]));
    const refused = await runCli(['kb', 'update', '--from', modified], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not the official/);
  });

  it('offline with no data at all: exit 2 and the three ways', async () => {
    const env = { ...(await user()), ATLASGUARD_ATLAS_URL: await closedPortUrl() };
    const result = await runCli(['kb', 'info'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no ATLAS data/);
    expect(result.stderr).toContain('--atlas-data PATH');
    expect(result.stderr).toContain('ATLAS_DATA=PATH');
    expect(result.stderr).toContain('atlasguard kb update');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const update = await runCli(['kb', 'update'], { env });
    expect(update.code).toBe(2);
    expect(update.stderr).toMatch(/cannot reach/);
  });

  it('says so when the cache cannot be written (exit 2)', async () => {
    const env = await user();
    const blocked = join(env.ATLASGUARD_CACHE_DIR!, 'file-not-dir');
    await writeFile(blocked, 'x');
    const result = await runCli(['kb', 'update'], { env: { ...env, ATLASGUARD_CACHE_DIR: blocked } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot write the ATLAS cache at .*file-not-dir/);
    expect(result.stderr).toMatch(/hint: set ATLASGUARD_CACHE_DIR/);
  });

  it('a bad version is a usage error', async () => {
    const result = await runCli(['kb', 'update', '--version', '../../etc'], { env: await user() });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/not an ATLAS release version/);
  });
});

describe('kb itself', () => {
  it('lists its subcommands; without one it is a usage error', async () => {
    const help = await runCli(['kb', '--help']);
    expect(help.code).toBe(0);
    for (const sub of ['info', 'show', 'search', 'matrix', 'diff', 'update'])
      expect(help.stdout).toContain(sub);
    const bare = await runCli(['kb']);
    expect(bare.code).toBe(4);
    expect(bare.stderr).toMatch(/Usage: atlasguard kb/);
    expect((await runCli(['kb', 'frobnicate'])).code).toBe(4);
  });

  it('--version still reports the CLI version, and kb update --version is the release', async () => {
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/-V, --version/);
  });
});

describe('colours', () => {
  it('are off when stdout is not a terminal', async () => {
    const env = { ...process.env };
    delete env.NO_COLOR;
    const result = await runCli(['kb', 'show', 'AML.T0051'], { env });
    expect(result.stdout).not.toContain('\u001b[');
  });
});
