import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { repoRoot } from '../../../../../test/shared-paths.js';
import type { Assessment } from '../../assess/assessment-types.js';
import { assessModel, exampleModel, type ExampleName } from '../../assess/test-support/examples.js';
import { residualCounts } from '../matrix/report-digest.js';
import { writeHtml } from './html-writer.js';

// The HTML report rendered by a real browser (Debian's Chromium, headless): the summary numbers and every
// heat-map cell are visible and match the assessment JSON, nothing is fetched and nothing logs an error.
// Screenshots go to test-results/html-report/ (git-ignored); UPDATE_SCREENSHOTS=1 also refreshes the one in
// docs/screenshots/.

const CHROMIUM = '/usr/bin/chromium';
const artifacts = join(repoRoot, 'test-results', 'html-report');
const catalog = testCatalog('5.6.0');
const EXAMPLES: ExampleName[] = ['citizen-llm-assistant', 'card-fraud-scoring'];

interface CellInfo {
  id: string;
  classes: string;
  width: number;
  height: number;
  visible: boolean;
  background: string;
}

describe.skipIf(!existsSync(CHROMIUM))('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
    mkdirSync(artifacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser.close();
  });

  describe.each(EXAMPLES)('%s', (name) => {
    it('shows the summary and the matrix heat map as in the JSON, offline and without errors', async () => {
      const assessment: Assessment = assessModel(exampleModel(name), catalog);
      const file = join(artifacts, `${name}.html`);
      writeFileSync(file, writeHtml(assessment, catalog));
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });

      // the page fetched nothing but itself, and nothing logged an error (a CSP violation would)
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);

      // summary cards: the numbers of the JSON
      const cards = await page.evaluate<Array<{ n: string; l: string; visible: boolean }>>(
        `[...document.querySelectorAll('#summary .card')].map((e) => ({
          n: e.querySelector('.n')?.textContent ?? '',
          l: e.querySelector('.l')?.textContent ?? '',
          visible: e.offsetWidth > 0 && e.offsetHeight > 0,
        }))`,
      );
      const c = assessment.coverage;
      const counts = residualCounts(assessment);
      const card = (label: RegExp) => cards.find((x) => label.test(x.l));
      expect(cards.every((x) => x.visible)).toBe(true);
      expect(card(/ATLAS techniques assessed/)?.n).toBe(String(c.techniques));
      expect(card(/^apply to this system/)?.n).toBe(String(c.applies));
      expect(card(/^unknown/)?.n).toBe(String(c.unknown));
      expect(card(/critical or high residual/)?.n).toBe(String(counts.critical + counts.high));
      expect(card(/applicable without ATLAS mitigation/)?.n).toBe(String(c.gaps));
      expect(card(/verification questions passed/)?.n).toBe(
        `${String(c.questions.passed)}/${String(c.questions.attached)}`,
      );

      // heat map: one visible cell per (technique, tactic) placement, coloured by the ledger's residual level
      await page.locator('#matrix').scrollIntoViewIfNeeded();
      const cells = await page.evaluate<CellInfo[]>(
        `[...document.querySelectorAll('#matrix .matrix .cell, #matrix .matrix .sub')].map((el) => {
          const rect = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return {
            id: el.querySelector('b')?.textContent ?? '',
            classes: el.className,
            width: rect.width,
            height: rect.height,
            visible: style.visibility !== 'hidden' && style.display !== 'none',
            background: style.backgroundColor,
          };
        })`,
      );
      const ledger = new Map(assessment.ledger.map((e) => [e.techniqueId, e]));
      expect(new Set(cells.map((x) => x.id))).toEqual(new Set(catalog.techniques.map((t) => t.id)));
      const colourOf = new Map<string, Set<string>>();
      for (const cell of cells) {
        const entry = ledger.get(cell.id);
        const state =
          entry?.decision === 'not-applicable' ? 'not-applicable' : (entry?.residual?.level ?? 'unscored');
        expect(cell.classes, cell.id).toContain(`h-${state}`);
        expect(cell.visible && cell.width > 20 && cell.height > 10, `${cell.id} visible`).toBe(true);
        colourOf.set(state, (colourOf.get(state) ?? new Set()).add(cell.background));
      }
      // the examples use at least critical, high, medium and not-applicable cells
      expect(colourOf.size).toBeGreaterThanOrEqual(4);
      // each state has one colour, and different states look different
      for (const [state, colours] of colourOf) expect(colours.size, state).toBe(1);
      const distinct = new Set([...colourOf.values()].map((s) => [...s][0]));
      expect(distinct.size).toBe(colourOf.size);
      // the legend swatch of each level has the colour of the cells at that level
      const legend = await page.evaluate<Array<{ cls: string; background: string }>>(
        `[...document.querySelectorAll('#matrix .legend span')].map((e) => ({
          cls: e.className,
          background: getComputedStyle(e).backgroundColor,
        }))`,
      );
      for (const [state, colours] of colourOf) {
        expect(legend.find((l) => l.cls === `h-${state}`)?.background, state).toBe([...colours][0]);
      }

      await page.screenshot({ path: join(artifacts, `${name}-full.png`), fullPage: true });
      await page.locator('#matrix').screenshot({ path: join(artifacts, `${name}-matrix.png`) });
      if (name === 'citizen-llm-assistant' && process.env.UPDATE_SCREENSHOTS === '1') {
        mkdirSync(join(repoRoot, 'docs', 'screenshots'), { recursive: true });
        await page.locator('#summary').screenshot({ path: join(artifacts, `${name}-summary.png`) });
        copyFileSync(
          join(artifacts, `${name}-matrix.png`),
          join(repoRoot, 'docs', 'screenshots', 'html-report-matrix.png'),
        );
      }
      await page.close();
    }, 120_000);
  });
});
