import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { writeCsv } from '../csv/csv-writer.js';
import { writeHtml } from '../html/html-writer.js';
import { writeMarkdown } from '../markdown/markdown-writer.js';
import { navigatorLayerFileSchema } from '../navigator/navigator-layer-schema.js';
import { writeNavigator } from '../navigator/navigator-writer.js';
import { writeSarifAssessment } from '../sarif-assess/sarif-assess-writer.js';
import type { AssessmentWriterRegistry } from '../writer-types.js';
import { fixtureAssessment } from './test-support/assessment-fixture.js';
import { deepFreeze, emptyAssessment, foreignIdsAssessment } from './test-support/edge-assessments.js';

// The contract every assessment writer keeps (STYLE.md: one shared suite for swappable implementations).
const WRITERS: AssessmentWriterRegistry = {
  md: writeMarkdown,
  html: writeHtml,
  navigator: writeNavigator,
  csv: writeCsv,
  sarif: writeSarifAssessment,
};

const catalog = testCatalog('5.6.0');
const cases = {
  fixture: fixtureAssessment(catalog),
  empty: emptyAssessment(catalog),
  'foreign IDs': foreignIdsAssessment(catalog),
};

describe.each(Object.entries(WRITERS))('assessment writer %s', (format, write) => {
  it.each(Object.entries(cases))(
    'renders the %s assessment deterministically without mutating it',
    (_name, a) => {
      const frozen = deepFreeze(structuredClone(a));
      const first = write(frozen, catalog);
      expect(first.length).toBeGreaterThan(0);
      expect(first.endsWith('\n')).toBe(true);
      expect(write(frozen, catalog)).toBe(first);
    },
  );

  it('produces machine-readable output where the format is machine-readable', () => {
    for (const a of Object.values(cases)) {
      const out = write(a, catalog);
      if (format === 'navigator') expect(() => navigatorLayerFileSchema.parse(JSON.parse(out))).not.toThrow();
      if (format === 'sarif') expect((JSON.parse(out) as { version: string }).version).toBe('2.1.0');
    }
  });
});

describe('writers on edge cases', () => {
  it('render IDs unknown to this catalog by the name the assessment gives', () => {
    const a = cases['foreign IDs'];
    expect(writeMarkdown(a, catalog)).toContain('`AML.T0999` Future Technique');
    expect(writeHtml(a, catalog)).toContain('<code>AML.T0999</code> Future Technique');
    expect(writeCsv(a, catalog)).toContain('AML.T0999,Future Technique,AML.TA0099');
  });

  it('say so when nothing applies', () => {
    const md = writeMarkdown(cases.empty, catalog);
    expect(md).toContain('No scenario could be built');
    expect(md).toContain('No case study uses an applicable technique.');
    const sarif = JSON.parse(writeSarifAssessment(cases.empty, catalog)) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.runs[0]?.results).toEqual([]);
    expect(writeCsv(cases.empty, catalog).split('\r\n')).toHaveLength(2);
  });
});
