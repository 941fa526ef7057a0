import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { fixtureAssessment } from '../matrix/test-support/assessment-fixture.js';
import { escapeHtml } from './html-escape.js';
import { writeHtml } from './html-writer.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'citizen-assistant.html');
const catalog = testCatalog('5.6.0');
const assessment = fixtureAssessment(catalog);
const html = writeHtml(assessment, catalog);

const count = (text: string, needle: RegExp): number => text.match(needle)?.length ?? 0;

describe('HTML writer', () => {
  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, html);
    }
    expect(html).toBe(readFileSync(golden, 'utf8'));
  });

  it('escapes markup from the system model (a <script> in the system name stays text)', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain(
      '<h1>Citizen &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Assistant</h1>',
    );
    expect(html).toContain('Chat UI &lt;img src=x onerror=alert(1)&gt;');
  });

  it('opens offline: no script, stylesheet, font, image or frame is loaded from anywhere', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|audio|video|source|base)\b/i);
    expect(html).not.toMatch(/@import|url\s*\(|@font-face/i);
    expect(html).not.toMatch(/\b(src|srcset|poster|action|data|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    // In-page navigation only.
    for (const href of html.match(/href="[^"]*"/g) ?? []) {
      expect(href).toMatch(/^href="#/);
      expect(html, href).toContain(` id="${href.slice(7, -1)}"`);
    }
  });

  it('shows the matrix as a heat map: 16 tactic columns in catalog order, every technique, sub-techniques nested', () => {
    const matrix = html.slice(html.indexOf('<section id="matrix">'), html.indexOf('<section id="elements">'));
    expect(count(matrix, /<div class="col">/g)).toBe(16);
    let last = -1;
    for (const tactic of catalog.tactics) {
      const at = matrix.indexOf(`<div class="tactic">${escapeHtml(tactic.name)}<small>`);
      expect(at, tactic.name).toBeGreaterThan(last);
      last = at;
    }
    for (const t of catalog.techniques)
      expect(matrix, t.id).toMatch(
        new RegExp(`<b>(<a href="#risk-[\\w-]+">)?${t.id.replace(/\./g, '\\.')}(</a>)?</b>`),
      );
    expect(matrix).toContain('<div class="sub h-medium" title="AML.T0051.001 Indirect');
    expect(matrix).toContain('<div class="cell h-not-applicable"');
    // In-scope cells link to their register row.
    expect(matrix).toContain('<b><a href="#risk-AML-T0051">AML.T0051</a></b>');
    expect(html).toContain('<tr id="risk-AML-T0051">');
    const cells = count(matrix, /<div class="cell /g);
    const placements = catalog.tactics.reduce(
      (n, t) => n + catalog.techniquesOfTactic(t.id).filter((x) => x.parent === undefined).length,
      0,
    );
    expect(cells).toBe(placements);
  });

  it('has every section the issue asks for', () => {
    for (const id of [
      'summary',
      'matrix',
      'elements',
      'register',
      'scenarios',
      'checklist',
      'case-studies',
      'ledger',
    ])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<h3>Security team (');
    expect(html).toContain('<h3>Risk managers (');
    expect(html).toContain('<section id="decisions">');
    expect(html).toContain('<section id="mitigations">');
    expect(html).toContain('<section id="controls">');
    expect(html).toContain('<strong>What to do:</strong> Inventory every source indexed for retrieval');
    expect(html).toContain('<h3>By tactic</h3>');
  });

  it('is well nested', () => {
    for (const tag of ['div', 'section', 'table', 'tr', 'td', 'ol', 'ul', 'li', 'details', 'p'])
      expect(count(html, new RegExp(`<${tag}[ >]`, 'g')), tag).toBe(
        count(html, new RegExp(`</${tag}>`, 'g')),
      );
  });

  it('escapes any string (random input never leaves raw markup characters)', () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '<>&"\'`=/ abc\u0000\u2028é😀';
    for (let i = 0; i < 500; i++) {
      const input = Array.from(
        { length: 1 + Math.floor(rand() * 40) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      const out = escapeHtml(input);
      expect(out).not.toMatch(/[<>"']/);
      expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
    }
  });
});
