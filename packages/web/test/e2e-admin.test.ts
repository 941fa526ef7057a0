// End-to-end for the administration pages: accounts, API tokens, own password, evidence deletion, audit log.
// The real `atlasguard serve` (temp SQLite, port 0) driven through Debian's Chromium, headless.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../../server/src/test-support/spawn-server.js';
import {
  ADMIN,
  ARTIFACTS,
  apiLogin,
  chromiumAvailable,
  ensureBuilt,
  EXAMPLE,
  launchChromium,
  openPage,
  shot,
  signIn as signInAt,
  VIEWER,
} from './support/browser-harness.js';

const DOC_SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const ENGINEER = { email: 'eng@example.org', password: 'engineer passphrase 1' };
const ENGINEER_NEW = 'a brand new engineer passphrase';

const haveChromium = chromiumAvailable('the admin end-to-end tests');

/** A clean SARIF 2.1.0 log, as a CI job would upload it. */
const cleanSarif = {
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'atlasguard' } }, results: [] }],
};

describe.skipIf(!haveChromium)('administration pages in headless Chromium', () => {
  let server: ChildServer;
  let browser: Browser;
  let dir: string;
  let adminCookie: string;
  /** Two systems: the token is scoped to `a` only. */
  const systems = { a: '', b: '' };
  const cleanups: (() => Promise<void> | void)[] = [];
  const problems: string[] = [];

  const api = async (path: string, init: RequestInit = {}, cookie = adminCookie) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', cookie },
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atlasguard-e2e-admin-'));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureBuilt();
    server = await spawnServer(
      ['--db', `sqlite:${join(dir, 'atlasguard.sqlite')}`, '--admin-email', ADMIN.email],
      { ATLASGUARD_ADMIN_PASSWORD: ADMIN.password, ATLASGUARD_DATA_DIR: dir },
    );
    cleanups.push(() => server.kill('SIGTERM'));
    adminCookie = await apiLogin(server.url, ADMIN);
    for (const [key, slug] of [
      ['a', 'card-fraud-scoring'],
      ['b', 'support-chatbot'],
    ] as const) {
      const res = await api('/api/systems', {
        method: 'POST',
        body: JSON.stringify({ slug, name: slug, description: '', owner: 'Platform' }),
      });
      expect(res.status).toBe(201);
      systems[key] = ((await res.json()) as { id: string }).id;
    }
    // System a gets the example model, so that it has a checklist to attach evidence to.
    const model = await api(`/api/systems/${systems.a}/models`, {
      method: 'POST',
      body: JSON.stringify({ yaml: readFileSync(EXAMPLE, 'utf8') }),
    });
    expect(model.status).toBe(201);
    const viewer = await api('/api/users', {
      method: 'POST',
      body: JSON.stringify({ ...VIEWER, name: 'Vera Viewer', role: 'viewer' }),
    });
    expect(viewer.status).toBe(201);

    browser = await launchChromium();
    cleanups.push(() => browser.close());
  }, 300_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const newPage = (): Promise<{ context: BrowserContext; page: Page }> =>
    openPage(browser, problems, { clipboardOrigin: server.url });

  const signIn = (page: Page, who: { email: string; password: string }): Promise<void> =>
    signInAt(page, server.url, who);

  /** Status of a same-origin API call made by the page itself (its session cookie goes along). */
  const fetchStatus = (page: Page, path: string, body?: unknown) =>
    page.evaluate(
      async ([p, b]) =>
        (
          await fetch(p, {
            method: b === null ? 'GET' : 'POST',
            headers: { 'content-type': 'application/json' },
            ...(b === null ? {} : { body: b }),
          })
        ).status,
      [path, body === undefined ? null : JSON.stringify(body)] as const,
    );

  it('admin creates accounts; a duplicate email and a short password are shown at their field; role change and disable', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create account' }) });

    // Too short: refused at the field before anything is sent.
    await form.getByLabel('Name').fill('Eddie Engineer');
    await form.getByLabel('Email').fill(ENGINEER.email);
    await form.getByLabel('Role').selectOption('engineer');
    await form.getByLabel('Initial password').fill('short');
    await form.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => form.getByLabel('Initial password').getAttribute('aria-invalid')).toBe('true');
    await form.getByText('at least 12 characters').waitFor();

    await form.getByLabel('Initial password').fill(ENGINEER.password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').getByText(`${ENGINEER.email} created as engineer`).waitFor();
    await page.locator(`tr[data-account="${ENGINEER.email}"]`).waitFor();

    // The same email again: the server's 409 goes next to the email field.
    await form.getByLabel('Name').fill('Eddie Again');
    await form.getByLabel('Email').fill(ENGINEER.email.toUpperCase());
    await form.getByLabel('Initial password').fill(ENGINEER.password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    const emailError = await form.locator('.field-error').textContent();
    expect(emailError).toMatch(/already exists/);

    // A third account: its role changed, then disabled (the API refuses its sign-in).
    const temp = { email: 'temp@example.org', password: 'temporary passphrase' };
    await form.getByLabel('Name').fill('Tim Temp');
    await form.getByLabel('Email').fill(temp.email);
    await form.getByLabel('Role').selectOption('risk');
    await form.getByLabel('Initial password').fill(temp.password);
    await form.getByRole('button', { name: 'Create account' }).click();
    const row = page.locator(`tr[data-account="${temp.email}"]`);
    await row.waitFor();
    await row.getByLabel(`Role of ${temp.email}`, { exact: true }).selectOption('viewer');
    await row.getByRole('button', { name: `Change the role of ${temp.email}` }).click();
    await row.getByText('role changed to viewer').waitFor();
    await row.getByRole('button', { name: `Disable ${temp.email}` }).click();
    // The confirmation takes focus; confirming disables the account.
    const confirm = row.getByRole('button', { name: `Disable ${temp.email}`, exact: true });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await row.getByRole('status').getByText('account disabled').waitFor();
    await row.locator('span.status').getByText('disabled', { exact: true }).waitFor();
    const users = (await (await api('/api/users')).json()) as {
      items: { email: string; role: string; disabled: boolean }[];
    };
    expect(users.items.find((u) => u.email === temp.email)).toMatchObject({ role: 'viewer', disabled: true });
    const refused = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(temp),
    });
    expect(refused.status).toBe(401);
    await shot(page, 'admin-01-accounts');
    await context.close();
  });

  it('an engineer sees no admin page and gets 403 from the admin API', async () => {
    const { context, page } = await newPage();
    await signIn(page, ENGINEER);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Risk register' }).waitFor();
    for (const name of ['Accounts', 'API tokens', 'Audit log']) {
      expect(await nav.getByRole('link', { name }).count(), name).toBe(0);
    }
    for (const path of ['/admin/accounts', '/admin/tokens', '/admin/audit']) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { name: 'Not available' }).waitFor();
      expect(await page.getByRole('button', { name: /Create|Revoke|Disable/ }).count(), path).toBe(0);
    }
    expect(await fetchStatus(page, '/api/users')).toBe(403);
    const account = { email: 'x@example.org', name: 'X', role: 'admin', password: 'p'.repeat(16) };
    expect(await fetchStatus(page, '/api/users', account)).toBe(403);
    expect(await fetchStatus(page, '/api/tokens')).toBe(403);
    expect(await fetchStatus(page, '/api/audit')).toBe(403);
    await shot(page, 'admin-02-engineer-forbidden');
    await context.close();
  });

  it('admin creates a CI token scoped to findings:write on one system; it works there only; revoked, it is refused', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    // Only what a token may carry is offered: never accounts or tokens.
    const actions = page.getByRole('group', { name: 'Actions' });
    expect(await actions.getByRole('checkbox').count()).toBeGreaterThan(0);
    await expect.poll(() => actions.getByText('users:manage').count()).toBe(0);
    await expect.poll(() => actions.getByText('tokens:manage').count()).toBe(0);

    await page.getByLabel('Name', { exact: true }).fill('ci-scan-model');
    // Nothing chosen yet: the form says so at the systems.
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('choose at least one system').waitFor();
    // findings:write is ticked by default, and only it.
    const ticked: string[] = [];
    for (const box of await actions.getByRole('checkbox').all()) {
      if (await box.isChecked())
        ticked.push((await box.evaluate((el) => el.parentElement?.textContent)) ?? '');
    }
    expect(ticked).toHaveLength(1);
    expect(ticked[0]).toMatch(/^findings:write/);
    await page
      .getByRole('group', { name: 'Systems' })
      .getByRole('checkbox', { name: /card-fraud-scoring/ })
      .check();
    await page.getByRole('button', { name: 'Create token' }).click();

    const secretBox = page.getByLabel('Token secret');
    await secretBox.waitFor();
    await page.getByText('it will not be shown again').waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^agt_[A-Za-z0-9_-]{40,}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText(/Copied to the clipboard|the secret is selected/).waitFor();
    await page.locator('tr[data-token="ci-scan-model"]').getByText('active').waitFor();
    await shot(page, 'admin-03-tokens');
    mkdirSync(DOC_SHOTS, { recursive: true });
    if (process.env.ATLASGUARD_UPDATE_SCREENSHOTS === '1')
      copyFileSync(join(ARTIFACTS, 'admin-03-tokens.png'), join(DOC_SHOTS, 'web-tokens.png'));

    // The token, from Node as a CI job would use it.
    const bearer = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      });
    const upload = (system: string) =>
      bearer(`/api/systems/${system}/findings`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'scan-model', format: 'sarif', document: cleanSarif }),
      });
    expect((await upload(systems.a)).status).toBe(201);
    expect((await upload(systems.b)).status).toBe(403);
    expect((await bearer(`/api/systems/${systems.b}`)).status).toBe(403);
    // findings:write is all it carries: not even a read of its own system, never the admin API.
    expect((await bearer(`/api/systems/${systems.a}`)).status).toBe(403);
    expect((await bearer('/api/users')).status).toBe(403);

    // Once dismissed, the secret is gone from the page, and the list never holds it.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.reload();
    await page.locator('tr[data-token="ci-scan-model"]').waitFor();
    expect(await page.content()).not.toContain(secret);

    const row = page.locator('tr[data-token="ci-scan-model"]');
    await row.getByRole('button', { name: 'Revoke ci-scan-model' }).click();
    // Cancel first (nothing happens), then revoke for real.
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Revoke ci-scan-model' }).click();
    await row.getByRole('button', { name: 'Revoke ci-scan-model', exact: true }).click();
    await row.getByText('revoked').waitFor();
    expect((await upload(systems.a)).status).toBe(401);
    await context.close();
  });

  it('a user changes their own password and signs in with the new one', async () => {
    const { context, page } = await newPage();
    await signIn(page, ENGINEER);
    await page.getByTestId('whoami').click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByLabel('Current password', { exact: true }).fill('not my password at all');
    await page.getByLabel('New password', { exact: true }).fill(ENGINEER_NEW);
    await page.getByLabel('Repeat the new password', { exact: true }).fill(ENGINEER_NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.getByLabel('Current password', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true');
    await page.getByText('the current password is wrong').waitFor();
    // Still signed in after a wrong attempt.
    await page.getByTestId('whoami').waitFor();

    await page.getByLabel('Current password', { exact: true }).fill(ENGINEER.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').getByText('Password changed').waitFor();
    await shot(page, 'admin-04-account');
    // This session was renewed by the change: it still works.
    expect(await fetchStatus(page, '/api/auth/me')).toBe(200);
    await context.close();

    const old = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ENGINEER),
    });
    expect(old.status).toBe(401);
    const fresh = await newPage();
    await signIn(fresh.page, { email: ENGINEER.email, password: ENGINEER_NEW });
    await fresh.context.close();
  });

  it('evidence deleted from the UI (after confirming) is gone from the API; a viewer gets no delete button', async () => {
    const checklist = (await (await api(`/api/systems/${systems.a}/checklist?persona=all`)).json()) as {
      questions: { id: string }[];
    };
    const question = checklist.questions[0]?.id;
    if (question === undefined) throw new Error('the example model asks no question');
    const added = await api(`/api/systems/${systems.a}/evidence/links`, {
      method: 'POST',
      body: JSON.stringify({
        title: 'Pen-test report 2026',
        url: 'https://example.org/pentest-2026',
        questionId: question,
        expiresAt: null,
      }),
    });
    expect(added.status).toBe(201);
    const evidenceId = ((await added.json()) as { id: string }).id;
    const listed = async () =>
      (
        (await (await api(`/api/systems/${systems.a}/evidence`)).json()) as { items: { id: string }[] }
      ).items.map((e) => e.id);
    expect(await listed()).toContain(evidenceId);

    const viewer = await newPage();
    await signIn(viewer.page, VIEWER);
    await viewer.page.goto(`${server.url}/systems/${systems.a}/checklist`);
    const viewerCard = viewer.page.locator(`article[data-question="${question}"]`);
    await viewerCard.getByRole('link', { name: 'Pen-test report 2026' }).waitFor();
    expect(await viewerCard.getByRole('button', { name: /Delete/ }).count()).toBe(0);
    await viewer.context.close();

    const { context, page } = await newPage();
    await signIn(page, { email: ENGINEER.email, password: ENGINEER_NEW });
    await page.goto(`${server.url}/systems/${systems.a}/checklist`);
    const card = page.locator(`article[data-question="${question}"]`);
    await card.getByRole('link', { name: 'Pen-test report 2026' }).waitFor();
    await card.getByRole('button', { name: 'Delete evidence Pen-test report 2026' }).click();
    // Escape backs out of the confirmation.
    await card.getByRole('group', { name: /Delete “Pen-test report 2026”/ }).waitFor();
    await page.keyboard.press('Escape');
    await card.getByRole('button', { name: 'Delete evidence Pen-test report 2026' }).click();
    await card.getByRole('button', { name: 'Delete Pen-test report 2026', exact: true }).click();
    await card.getByRole('status').getByText('Deleted “Pen-test report 2026”').waitFor();
    await expect.poll(() => card.getByRole('link', { name: 'Pen-test report 2026' }).count()).toBe(0);
    expect(await listed()).not.toContain(evidenceId);
    await shot(page, 'admin-05-evidence-deleted');
    await context.close();
  });

  it('the audit log shows the changes and filters them', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const table = page.locator('table.data');
    for (const action of ['user.create', 'user.update', 'token.create', 'token.revoke', 'evidence.delete']) {
      await table.getByText(action, { exact: true }).first().waitFor();
    }
    await page.getByLabel('Action', { exact: true }).selectOption('token');
    await expect
      .poll(async () => [...new Set(await table.locator('tbody code').allTextContents())].sort())
      .toEqual(['token.create', 'token.revoke']);
    await page.getByLabel('Action', { exact: true }).selectOption('');
    await page.getByLabel('Search').fill('evidence');
    await table.getByText('evidence.delete').first().waitFor();
    await shot(page, 'admin-06-audit');
    await context.close();
  });

  it('no page logged a CSP violation or a script error (and the check itself sees one)', async () => {
    expect(problems).toEqual([]);
    // The probe: an inline style is refused by the policy, and the collector reports it.
    const { context, page } = await newPage();
    await signIn(page, VIEWER);
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML = '<span style="color: red">inline</span>';
      document.body.append(probe);
    });
    await expect.poll(() => problems.some((p) => p.includes('style-src'))).toBe(true);
    await context.close();
  });
});
