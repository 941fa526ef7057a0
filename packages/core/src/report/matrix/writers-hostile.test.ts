import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { sarifSchemaPath } from '../../../../../test/shared-paths.js';
import { assessmentSchema } from '../../assess/assessment-types.js';
import { csvRecord } from '../csv/csv-encode.js';
import { writeCsv } from '../csv/csv-writer.js';
import { writeHtml } from '../html/html-writer.js';
import { writeMarkdown } from '../markdown/markdown-writer.js';
import { navigatorLayerFileSchema } from '../navigator/navigator-layer-schema.js';
import { writeNavigator } from '../navigator/navigator-writer.js';
import { writeSarifAssessment } from '../sarif-assess/sarif-assess-writer.js';
import { fixtureAssessment } from './test-support/assessment-fixture.js';
import { PAYLOAD, poison } from './test-support/poison.js';

// Every free-text field of the assessment (names, IDs, reasons, narratives, evidence, warnings) carries
// markup, Markdown, CSV separators and a spreadsheet formula. No writer may let any of it through live.
const catalog = testCatalog('5.6.0');
const assessment = poison(fixtureAssessment(catalog));

describe('writers on a fully poisoned assessment', () => {
  it('still has the assessment shape', () => {
    expect(() => assessmentSchema.parse(assessment)).not.toThrow();
    expect(assessment.system.name).toContain(PAYLOAD);
    expect(assessment.system.assets[0]?.id).toContain(PAYLOAD);
  });

  it('HTML: no live markup', () => {
    const html = writeHtml(assessment, catalog);
    expect(html).not.toMatch(/<(script|img)\b/i);
    // Text is escaped, so every raw `<` must open one of our own well-formed tags with known attributes.
    const tag = /^<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/;
    const allowedTags = new Set(
      'html head meta title style body header nav a main footer section h1 h2 h3 p div span small b strong em code ol ul li table thead tbody tr th td details summary br'.split(
        ' ',
      ),
    );
    const allowedAttrs = new Set([
      'lang',
      'charset',
      'http-equiv',
      'content',
      'name',
      'class',
      'title',
      'id',
      'href',
    ]);
    for (const match of html.matchAll(/</g)) {
      const rest = html.slice(match.index, match.index + 2000);
      if (rest.startsWith('<!doctype html>')) continue;
      const m = tag.exec(rest);
      expect(m, rest.slice(0, 80)).not.toBeNull();
      expect(allowedTags.has(m?.[2] ?? ''), m?.[2]).toBe(true);
      for (const attr of (m?.[3] ?? '').matchAll(/\s+([a-z-]+)(?:="[^"<>]*")?/g))
        expect(allowedAttrs.has(attr[1] ?? ''), attr[1]).toBe(true);
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('Markdown: no raw HTML and no table broken by a pipe or line break', () => {
    const md = writeMarkdown(assessment, catalog);
    expect(md).not.toMatch(/<(script|img)\b/i);
    for (const line of md.split('\n').filter((l) => l.startsWith('|')))
      expect(line.endsWith('|'), line.slice(0, 80)).toBe(true);
    expect(md).not.toMatch(/^# h/m);
  });

  it('CSV: every record parses back to the header width, no live formula', () => {
    const csv = writeCsv(assessment, catalog);
    const header = csvRecord(['x']).length; // sanity: encoder terminates records
    expect(header).toBe(3);
    const width = csv.slice(0, csv.indexOf('\r\n')).split(',').length;
    // Count fields with a minimal RFC 4180 scan.
    let fields = 1;
    let quoted = false;
    let records = 0;
    for (let i = 0; i < csv.length; i++) {
      const c = csv[i];
      if (quoted) {
        if (c === '"' && csv[i + 1] === '"') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === ',') fields++;
      else if (c === '\r' && csv[i + 1] === '\n') {
        expect(fields).toBe(width);
        fields = 1;
        records++;
        i++;
      }
    }
    expect(records).toBe(assessment.risks.length + 1);
    expect(csv).not.toMatch(/(^|,|\r\n)"?[=+@]/);
  });

  it('Navigator: valid layer file, IDs and shortnames from the catalog only', () => {
    const layers = navigatorLayerFileSchema.parse(JSON.parse(writeNavigator(assessment, catalog)));
    const ids = new Set(catalog.techniques.map((t) => t.id));
    for (const layer of Array.isArray(layers) ? layers : [layers])
      for (const t of layer.techniques) expect(ids.has(t.techniqueID)).toBe(true);
  });

  it('SARIF: still valid against the schema', () => {
    const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(writeSarifAssessment(assessment, catalog)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });
});
