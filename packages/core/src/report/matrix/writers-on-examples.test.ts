import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { repoRoot } from '../../../../../test/shared-paths.js';
import { assetLocationsOf } from '../../assess/asset-locations.js';
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
  const text = readFileSync(join(repoRoot, path), 'utf8');
  const parsed = parseSystemModelText(text, path);
  if (!parsed.ok) throw new Error(`${path}: ${JSON.stringify(parsed.issues)}`);
  const assessment = assess(parsed.value.model, catalog, {
    source: path,
    assessedOn: '2026-11-25',
    toolVersion: '0.1.0',
    assetLocations: assetLocationsOf(parsed.value.model, parsed.value.positions),
  });

  it('SARIF results of a per-asset risk point at the line that declares the asset', () => {
    const lines = text.split('\n');
    const sarif = JSON.parse(writeSarifAssessment(assessment, catalog)) as {
      runs: Array<{
        results: Array<{
          locations: Array<{
            physicalLocation: { region?: { startLine: number; startColumn: number } };
            logicalLocations?: Array<{ fullyQualifiedName: string }>;
          }>;
        }>;
      }>;
    };
    const located = (sarif.runs[0]?.results ?? []).filter((r) => r.locations[0]?.logicalLocations);
    expect(located.length).toBeGreaterThan(0);
    for (const r of located) {
      const asset = r.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? '';
      const region = r.locations[0]?.physicalLocation.region;
      const line = lines[(region?.startLine ?? 0) - 1] ?? '';
      expect(line.slice((region?.startColumn ?? 1) - 1).startsWith(asset), `${asset} at ${line}`).toBe(true);
      expect(line).toMatch(/\bid:/);
    }
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
    // one result per (open risk, asset it applies to); a risk without assets is one result on the file
    expect(sarif.runs[0]?.results).toHaveLength(
      unmitigatedRisks(assessment).reduce(
        (n, r) => n + Math.max(1, Math.min(25, r.assetRisks.length) + (r.assetRisks.length > 25 ? 1 : 0)),
        0,
      ),
    );
    expect(writeCsv(assessment, catalog).split('\r\n').length).toBeGreaterThanOrEqual(
      assessment.risks.length + 1,
    );
    const md = writeMarkdown(assessment, catalog);
    for (const r of assessment.risks) expect(md).toContain(`\`${r.techniqueId}\``);
  });
});
