// What both web end-to-end suites share: the app build, the CLI child, Chromium, pages that collect CSP
// violations, sign-in and the screenshot with the checks every page must pass.
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { webRoot } from '../../src/web-root.js';

export const CHROMIUM = '/usr/bin/chromium';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const WEB = here('../../');
export const ARTIFACTS = here('../../test-artifacts/');
export const EXAMPLE = here('../../../../examples/card-fraud-scoring/atlasguard.yaml');
const CLI_CHILD = here('../../../server/src/test-support/serve-child.ts');

export interface Credentials {
  email: string;
  password: string;
}
export const ADMIN: Credentials = { email: 'admin@example.org', password: 'correct horse battery staple' };
export const VIEWER: Credentials = { email: 'viewer@example.org', password: 'viewer passphrase 123' };

/** Whether Chromium is installed; CI must have it, elsewhere the suite named `what` is skipped with a warning. */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium (.ci/services.sh)`);
  console.warn(`skipping ${what}: ${CHROMIUM} is not installed (apt-get install chromium)`);
  return false;
}

/** Newest modification time under a directory (sources of the app). */
async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Builds the app with vite when its build is missing or older than its sources. */
export async function ensureBuilt(): Promise<void> {
  const index = join(webRoot(), 'index.html');
  const sources = Math.max(await newest(join(WEB, 'app')), statSync(join(WEB, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // A child process: vite must build for production (this process runs with NODE_ENV=test).
  const vite = join(WEB, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
  const code = await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (code !== 0) throw new Error(`vite build failed (exit ${String(code)})`);
}

/** Runs a command (stdout ignored) and resolves with its exit code; rejects with its stderr when killed. */
function run(command: string, args: readonly string[], options: SpawnOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === null) reject(new Error(`${command} ${args.join(' ')} was killed:\n${err}`));
      else resolve(code);
    });
  });
}

/** Runs the real CLI from source (`atlasguard ARGS`) and resolves with its exit code. */
export function cli(args: readonly string[]): Promise<number> {
  return run(
    process.execPath,
    ['--conditions=@atlasguard/source', '--import', 'tsx', CLI_CHILD, ...args],
    {},
  );
}

/** Signs in through the API and returns the session cookie (`name=value`). */
export async function apiLogin(base: string, who: Credentials): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

/** Debian's Chromium, headless, without the background traffic a test does not want. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PageOptions {
  /** Viewport width (height 900); 1280 unless told. */
  width?: number;
  acceptDownloads?: boolean;
  /** Grants clipboard read and write to this origin. */
  clipboardOrigin?: string;
}

/**
 * A new context and page; every CSP violation, CSP console message and page error of it is pushed to
 * `problems` (a test asserts that list empty).
 */
export async function openPage(
  browser: Browser,
  problems: string[],
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    ...(options.acceptDownloads === undefined ? {} : { acceptDownloads: options.acceptDownloads }),
  });
  // The whole suite shares two cores in CI: be patient with every wait.
  context.setDefaultTimeout(60_000);
  if (options.clipboardOrigin !== undefined)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: options.clipboardOrigin,
    });
  // Every CSP violation of the page is reported to the console, where the test collects it.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    const text = m.text();
    // Refused API calls (401 before sign-in, a role's 403) are logged by Chromium as errors: not collected.
    if (/CSP violation|Content.Security.Policy|Refused to/i.test(text)) problems.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page };
}

/** Signs in through the sign-in page and waits for the portfolio. */
export async function signIn(page: Page, base: string, who: Credentials): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
}

/** Form controls and buttons of the page that have no accessible name (HTML of each, shortened). */
export const unlabelledControls = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        // `labels` is null for controls that cannot have one (e.g. hidden inputs).
        const labels = (el as HTMLInputElement).labels;
        const labelled = labels === null ? 0 : labels.length;
        const name = el.getAttribute('aria-label') ?? el.textContent.trim();
        return el.tagName === 'BUTTON' ? name === '' : labelled === 0 && name === '';
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );

/** Screenshot of the page into test-artifacts; each page also gets the checks every page must pass (labelled controls). */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
  expect(await unlabelledControls(page), `${name}: controls without a label`).toEqual([]);
}
