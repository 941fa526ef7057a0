// Drive a locally built ATLAS Navigator (headless Chromium) and check how it shows AtlasGuard's layers.
// Run by run.sh (see there for what it needs); NOT run in CI. Exit code 0: every check passed; 1: a check
// failed (each failure is printed); 2: usage or set-up error.
//
// What it checks, per single-layer file (`--layer KIND`), loaded once through the `#layerURL=` hash and
// once (the residual layer) through "Open Existing Layer → Upload from local":
// - the layer opens in a tab named after the layer; the only alert is the Navigator's own layer-version
//   notice ("may not be fully restored": we write layer format 4.5, the fork knows 4.3); no page error,
//   no console error;
// - every matrix cell (technique × tactic column, sub-techniques included) has exactly the background the
//   Navigator should give our entry: the entry's `color`, else its `score` through the layer's gradient
//   (computed with the Navigator's own tinygradient/tinycolor), none for disabled or unscored cells, and
//   disabled entries are drawn disabled;
// - every entry of the layer is drawn: an entry with a tactic in that tactic's column, an entry without
//   one (sub-techniques) in at least one column;
// - hovering a scored cell shows our comment in the Navigator's tooltip.
// The multi-layer file is loaded too; the 4.3 fork has no multi-layer files, so what it does with one is
// recorded, not judged. With --flavour attack-navigator-5 (ATT&CK Navigator 5.x, run-attack-navigator.sh)
// the single-layer files must load with no notice at all, and the multi-layer file must open one tab per
// layer, each checked cell by cell as above. Screenshots go to --shots.

import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync, mkdirSync } from 'node:fs';
import { join, extname, resolve, normalize } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    app: { type: 'string' },
    dist: { type: 'string' },
    data: { type: 'string' },
    layers: { type: 'string' },
    shots: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    // atlas-navigator-4.3: the ATLAS fork (hosted ATLAS Navigator); attack-navigator-5: ATT&CK Navigator 5.x
    flavour: { type: 'string', default: 'atlas-navigator-4.3' },
  },
});
for (const k of ['app', 'dist', 'data', 'layers', 'shots']) {
  if (!opt[k]) {
    console.error(`check.mjs: --${k} is required (run scripts/navigator-check/run.sh)`);
    process.exit(2);
  }
}
if (!['atlas-navigator-4.3', 'attack-navigator-5'].includes(opt.flavour)) {
  console.error(`check.mjs: unknown --flavour ${opt.flavour}`);
  process.exit(2);
}
const fork = opt.flavour === 'atlas-navigator-4.3';
mkdirSync(opt.shots, { recursive: true });

// The Navigator's own colour libraries, so expected colours are computed the way it computes them.
const appRequire = createRequire(join(resolve(opt.app), 'package.json'));
const tinygradient = appRequire('tinygradient');
const tinycolor = appRequire('tinycolor2');

const KINDS = ['applicability', 'inherent', 'residual', 'mitigation-coverage', 'case-study-frequency'];
// The fork knows layer format 4.3 and says so for our 4.5 files; 5.x knows 4.5 and must say nothing.
const VERSION_NOTICE = fork ? /may not be fully restored/ : /^$/;

// ---- static server: /data/* and /layers/* from their folders, everything else from the built app ----
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.md': 'text/markdown',
  '.pdf': 'application/pdf',
};
function fileFor(urlPath) {
  const p = normalize(decodeURIComponent(urlPath.split('?')[0]));
  if (p.includes('..')) return undefined;
  const roots = [
    ['/data/', opt.data],
    ['/layers/', opt.layers],
  ];
  for (const [prefix, dir] of roots) {
    if (p.startsWith(prefix)) return join(dir, p.slice(prefix.length));
  }
  const f = join(opt.dist, p === '/' ? 'index.html' : p);
  return existsSync(f) && statSync(f).isFile() ? f : join(opt.dist, 'index.html');
}
const server = createServer((req, res) => {
  const f = fileFor(req.url ?? '/');
  if (!f || !existsSync(f) || !statSync(f).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(f)] ?? 'application/octet-stream' });
  res.end(readFileSync(f));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// ---- expected cell backgrounds from a layer ----
const stix = JSON.parse(readFileSync(join(opt.data, 'stix-atlas.json'), 'utf8'));
// Tactic column headers read "NAME" or, with showID, "AML.TA0000NAME": map both to the shortname.
const tacticShortname = new Map();
for (const o of stix.objects.filter((x) => x.type === 'x-mitre-tactic')) {
  const id = o.external_references.find((r) => r.source_name === 'mitre-atlas')?.external_id ?? '';
  tacticShortname.set(o.name, o.x_mitre_shortname);
  tacticShortname.set(`${id}${o.name}`, o.x_mitre_shortname);
}

function rgb(color) {
  // Cell.emulate_alpha: mix the colour over the light theme's white by its alpha.
  const c = tinycolor(color).clone();
  const alpha = c.getAlpha();
  c.setAlpha(1);
  return tinycolor.mix('#ffffff', c, alpha * 100).toRgbString();
}
function expectedFor(layer) {
  const g = layer.gradient;
  const stops = tinygradient(g.colors).rgb(100);
  const scoreColor = (v) => {
    if (v >= g.maxValue) return stops[stops.length - 1];
    if (v <= g.minValue) return stops[0];
    return stops[Math.round(((v - g.minValue) / (g.maxValue - g.minValue)) * 100)];
  };
  const byTactic = new Map(); // `${id}^${tactic}` -> entry
  const anyTactic = new Map(); // id -> entry (entries without tactic)
  for (const t of layer.techniques) {
    if (t.tactic) byTactic.set(`${t.techniqueID}^${t.tactic}`, t);
    else anyTactic.set(t.techniqueID, t);
  }
  return (id, tactic) => {
    const t = byTactic.get(`${id}^${tactic}`) ?? anyTactic.get(id);
    if (!t) return { entry: undefined, background: '', disabled: false };
    const disabled = t.enabled === false;
    let background = '';
    if (!disabled && t.color) background = rgb(t.color);
    else if (!disabled && t.score) background = rgb(scoreColor(t.score));
    return { entry: t, background, disabled };
  };
}

// ---- browser ----
const browser = await chromium.launch({ executablePath: opt.chromium, args: ['--no-sandbox'] });
const failures = [];
const results = [];
const fail = (what, msg) => failures.push(`${what}: ${msg}`);

async function openPage(label) {
  const page = await browser.newPage({ viewport: { width: 1900, height: 1200 } });
  const events = { alerts: [], errors: [], offline: [] };
  page.on('dialog', async (d) => {
    events.alerts.push(d.message());
    await d.accept();
  });
  page.on('pageerror', (e) => events.errors.push(`page error: ${e.message}`));
  // The sandbox has no network: a failed request to another host (5.x loads an icon font from a font
  // CDN) is not about our layer, so it is noted but not a failure. Anything on the local server is.
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().includes('net::ERR_NAME_NOT_RESOLVED')) events.offline.push(m.text());
    else events.errors.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(base)) events.errors.push(`request failed: ${r.url()}`);
    else events.offline.push(r.url());
  });
  return { page, events, label };
}

async function waitForMatrix(page, layerName) {
  await page.locator('a.tab-title', { hasText: layerName }).first().waitFor({ timeout: 60_000 });
  await page.locator('table.matrix.side .technique-cell').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500); // let Angular finish colouring
  await page.mouse.move(0, 0);
}

/** Every technique cell of the visible matrix: id, tactic shortname, inline background, disabled. */
async function readCells(page) {
  const cells = await page.evaluate(() => {
    const side = document.querySelector('table.matrix.side');
    const names = [...side.querySelectorAll('thead tr.tactic td.tactic.name')].map((td) =>
      td.textContent.trim(),
    );
    const columns = [...side.querySelectorAll(':scope > tbody > tr > td.tactic')];
    const out = [];
    columns.forEach((col, i) => {
      for (const cell of col.querySelectorAll('.technique-cell')) {
        const m = /AML\.[A-Z]+\d+(?:\.\d+)?/.exec(cell.textContent);
        out.push({
          id: m ? m[0] : cell.textContent.trim(),
          tacticName: names[i],
          background: cell.style.backgroundColor,
          disabled: cell.classList.contains('disabled'),
        });
      }
    });
    return out;
  });
  return cells.map((c) => ({ ...c, tactic: tacticShortname.get(c.tacticName) ?? `?${c.tacticName}` }));
}

function compareCells(what, layer, cells) {
  const expected = expectedFor(layer);
  const seen = new Set();
  let coloured = 0;
  let disabled = 0;
  for (const c of cells) {
    if (c.tactic.startsWith('?')) fail(what, `column "${c.tacticName}" is not an ATLAS tactic of the data`);
    const e = expected(c.id, c.tactic);
    if (e.entry) seen.add(e.entry);
    const got = c.background.replace(/\s+/g, '');
    const want = e.background.replace(/\s+/g, '');
    if (got !== want) {
      fail(what, `${c.id} under ${c.tactic}: background "${c.background}", expected "${e.background}"`);
    }
    if (c.disabled !== e.disabled) {
      fail(what, `${c.id} under ${c.tactic}: drawn ${c.disabled ? '' : 'not '}disabled`);
    }
    if (got) coloured += 1;
    if (c.disabled) disabled += 1;
  }
  const drawn = new Set(cells.map((c) => `${c.id}^${c.tactic}`));
  const drawnIds = new Set(cells.map((c) => c.id));
  for (const t of layer.techniques) {
    const shown = t.tactic ? drawn.has(`${t.techniqueID}^${t.tactic}`) : drawnIds.has(t.techniqueID);
    if (!shown) fail(what, `entry ${t.techniqueID}${t.tactic ? ` under ${t.tactic}` : ''} is not drawn`);
  }
  return { cells: cells.length, coloured, disabled, entries: layer.techniques.length };
}

async function checkTooltip(what, page, layer) {
  const t = layer.techniques.find((x) => x.tactic && x.comment && x.enabled !== false);
  if (!t) return 'no commented entry';
  const col = await page.evaluate(
    ({ name }) =>
      [...document.querySelectorAll('table.matrix.side thead tr.tactic td.tactic.name')].findIndex((td) =>
        name.includes(td.textContent.trim()),
      ),
    { name: [...tacticShortname].filter(([, s]) => s === t.tactic).map(([n]) => n) },
  );
  const cell = page
    .locator('table.matrix.side > tbody > tr > td.tactic')
    .nth(col)
    .locator('.technique-cell', { hasText: t.techniqueID })
    .first();
  await cell.hover({ timeout: 10_000 });
  const tip = page.locator('app-tooltip').first();
  await tip.waitFor({ state: 'attached', timeout: 10_000 });
  const text = (await tip.textContent()) ?? '';
  await page.mouse.move(0, 0);
  const snippet = t.comment.slice(0, 40);
  if (!text.replace(/\s+/g, ' ').includes(snippet.replace(/\s+/g, ' '))) {
    fail(what, `tooltip of ${t.techniqueID} does not show the comment ("${snippet}…")`);
  }
  return `${t.techniqueID} under ${t.tactic}`;
}

function checkEvents(what, events) {
  const other = events.alerts.filter((a) => !VERSION_NOTICE.test(a));
  for (const a of other) fail(what, `alert: ${a}`);
  for (const e of events.errors) fail(what, e);
  return events.alerts.filter((a) => VERSION_NOTICE.test(a)).length;
}

try {
  // 0. The Navigator with its own default layers: proves the build, the config and the data work.
  if (fork) {
    const { page, events } = await openPage('default');
    await page.goto(`${base}/`);
    await waitForMatrix(page, 'ATLAS');
    checkEvents('default layers', events);
    await page.screenshot({ path: join(opt.shots, '00-default-layers.png') });
    results.push({ what: "Navigator's own default layers", ok: true });
    await page.close();
  }

  // 1. Each single-layer file through #layerURL=.
  for (const [i, kind] of KINDS.entries()) {
    const file = join(opt.layers, `${kind}.json`);
    const layer = JSON.parse(readFileSync(file, 'utf8'));
    const what = `${kind}.json via #layerURL`;
    const { page, events } = await openPage(what);
    const before = failures.length;
    try {
      await page.goto(`${base}/#layerURL=${encodeURIComponent(`${base}/layers/${kind}.json`)}`);
      await waitForMatrix(page, layer.name);
      const counts = compareCells(what, layer, await readCells(page));
      const tooltip = await checkTooltip(what, page, layer);
      const notices = checkEvents(what, events);
      await page.screenshot({ path: join(opt.shots, `${String(i + 1).padStart(2, '0')}-${kind}.png`) });
      results.push({ what, ok: failures.length === before, ...counts, tooltip, versionNotices: notices });
    } catch (err) {
      checkEvents(what, events);
      fail(what, err instanceof Error ? err.message.split('\n')[0] : String(err));
      results.push({ what, ok: false });
    }
    await page.close();
  }

  // 2. The residual layer through the UI: + tab → Open Existing Layer → Upload from local.
  if (fork) {
    const kind = 'residual';
    const file = join(opt.layers, `${kind}.json`);
    const layer = JSON.parse(readFileSync(file, 'utf8'));
    const what = `${kind}.json via Upload from local`;
    const { page, events } = await openPage(what);
    const before = failures.length;
    await page.goto(`${base}/`);
    await waitForMatrix(page, 'ATLAS');
    await page.locator('a.addTab').click();
    await page.getByText('Open Existing Layer').last().click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload from local' }).last().click();
    await (await chooser).setFiles(file);
    await waitForMatrix(page, layer.name);
    const counts = compareCells(what, layer, await readCells(page));
    const notices = checkEvents(what, events);
    await page.screenshot({ path: join(opt.shots, '06-residual-uploaded.png') });
    results.push({ what, ok: failures.length === before, ...counts, versionNotices: notices });
    await page.close();
  }

  // 3. The multi-layer file in 5.x: one tab per layer, each checked like a single layer.
  if (!fork) {
    const layers = JSON.parse(readFileSync(join(opt.layers, 'layers.json'), 'utf8'));
    const what = 'layers.json (multi-layer) via #layerURL';
    const { page, events } = await openPage(what);
    const before = failures.length;
    await page.goto(`${base}/#layerURL=${encodeURIComponent(`${base}/layers/layers.json`)}`);
    const perLayer = [];
    for (const [i, layer] of layers.entries()) {
      const tab = page.locator('a.tab-title', { hasText: layer.name }).first();
      await tab.waitFor({ timeout: 60_000 });
      await tab.click();
      await waitForMatrix(page, layer.name);
      perLayer.push({ layer: layer.name, ...compareCells(`${what} [${i}]`, layer, await readCells(page)) });
      await page.screenshot({ path: join(opt.shots, `08-multi-${i}.png`) });
    }
    const notices = checkEvents(what, events);
    results.push({ what, ok: failures.length === before, tabs: perLayer, versionNotices: notices });
    await page.close();
  }

  // 3. The multi-layer file in the 4.3 fork, which reads one layer object per file: record what it does.
  if (fork) {
    const what = 'layers.json (multi-layer) via #layerURL';
    const { page, events } = await openPage(what);
    await page.goto(`${base}/#layerURL=${encodeURIComponent(`${base}/layers/layers.json`)}`);
    await page.waitForTimeout(8000);
    const tabs = await page.locator('a.tab-title').allTextContents();
    const cells = (await page.locator('table.matrix.side').count()) > 0 ? await readCells(page) : [];
    await page.screenshot({ path: join(opt.shots, '07-multi-layer.png') });
    results.push({
      what,
      ok: 'recorded',
      alerts: events.alerts,
      errors: events.errors,
      tabs: tabs.map((t) => t.trim()),
      cells: cells.length,
      coloured: cells.filter((c) => c.background).length,
    });
    await page.close();
  }
} catch (err) {
  fail('run', err instanceof Error ? (err.stack ?? err.message) : String(err));
} finally {
  await browser.close();
  server.close();
}

for (const r of results) console.log(JSON.stringify(r));
if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed:`);
  for (const f of failures.slice(0, 200)) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`\nall checks passed; screenshots in ${opt.shots}`);
