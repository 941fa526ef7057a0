import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { repoRoot } from '../../../../../test/shared-paths.js';
import { assess } from '../../assess/engine.js';
import { parseSystemModelText } from '../../model/parse-model.js';
import { writeCsv } from '../csv/csv-writer.js';
import { writeHtml } from '../html/html-writer.js';
import { writeMarkdown } from '../markdown/markdown-writer.js';
import { navigatorLayerFileSchema } from '../navigator/navigator-layer-schema.js';
import { writeNavigator } from '../navigator/navigator-writer.js';
import { unmitigatedRisks, writeSarifAssessment } from '../sarif-assess/sarif-assess-writer.js';

// The writers on real engine output for every example model (no golden files: the engine owns the numbers).
const catalog = testCatalog('5.6.0');
const examplesDir = join(repoRoot, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join('examples', d.name, 'atlasguard.yaml'));

describe.each(examples)('writers on %s', (path) => {
  const parsed = parseSystemModelText(readFileSync(join(repoRoot, path), 'utf8'), path);
  if (!parsed.ok) throw new Error(`${path}: ${JSON.stringify(parsed.issues)}`);
  const assessment = assess(parsed.value.model, catalog, {
    source: path,
    assessedOn: '2026-11-25',
    toolVersion: '0.1.0',
  });

  it('renders HTML that opens offline and shows every technique in the matrix', () => {
    const html = writeHtml(assessment, catalog);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/url\s*\(|@import/i);
    for (const t of catalog.techniques)
      expect(html).toMatch(
        new RegExp(`<b>(<a href="#risk-[\\w-]+">)?${t.id.replace(/\./g, '\\.')}(</a>)?</b>`),
      );
  });

  it('renders Navigator layers, SARIF, CSV and Markdown consistent with the assessment', () => {
    expect(() =>
      navigatorLayerFileSchema.parse(JSON.parse(writeNavigator(assessment, catalog))),
    ).not.toThrow();
    const sarif = JSON.parse(writeSarifAssessment(assessment, catalog)) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.runs[0]?.results).toHaveLength(unmitigatedRisks(assessment).length);
    expect(writeCsv(assessment, catalog).split('\r\n').length).toBeGreaterThanOrEqual(
      assessment.risks.length + 1,
    );
    const md = writeMarkdown(assessment, catalog);
    for (const r of assessment.risks) expect(md).toContain(`\`${r.techniqueId}\``);
  });
});
