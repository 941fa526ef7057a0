import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { assessmentSchema } from '../../assess/assessment-types.js';
import { fixtureAssessment } from '../matrix/test-support/assessment-fixture.js';
import { mdText } from './markdown-escape.js';
import { writeMarkdown } from './markdown-writer.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'citizen-assistant.md');
const catalog = testCatalog('5.6.0');
const assessment = fixtureAssessment(catalog);
const output = writeMarkdown(assessment, catalog);

/** Cells of a Markdown table row, splitting on pipes that are not escaped. */
const cells = (row: string): string[] => row.slice(1, -1).split(/(?<!\\)\|/);

describe('Markdown writer', () => {
  it('renders a schema-valid assessment', () => {
    expect(() => assessmentSchema.parse(assessment)).not.toThrow();
  });

  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, output);
    }
    expect(output).toBe(readFileSync(golden, 'utf8'));
  });

  it('is deterministic', () => {
    expect(writeMarkdown(fixtureAssessment(catalog), catalog)).toBe(output);
  });

  it('neutralises markup and Markdown from the system model', () => {
    expect(output).not.toContain('<script>');
    expect(output).not.toContain('<img');
    expect(output).toContain('# Threat model: Citizen &lt;script&gt;alert("pwned")&lt;/script&gt; Assistant');
    expect(mdText('a|b\n# c [x](y) `z` *w*')).toBe('a\\|b \\# c \\[x\\](y) \\`z\\` \\*w\\*');
  });

  it('keeps every table row at its header’s width even when reasons contain pipes', () => {
    const lines = output.split('\n');
    let width = 0;
    for (const [i, line] of lines.entries()) {
      if (!line.startsWith('|')) {
        width = 0;
        continue;
      }
      if (width === 0) width = cells(line).length;
      else expect(cells(line).length, `line ${String(i + 1)}: ${line}`).toBe(width);
    }
  });

  it('lists every technique in the ledger and every risk in the register', () => {
    for (const t of catalog.techniques) expect(output).toContain(`| \`${t.id}\` |`);
    for (const r of assessment.risks) expect(output).toContain(`| ${String(r.rank)} | \`${r.techniqueId}\``);
  });

  it('has the checklist by persona with pass criteria and the evidence command', () => {
    expect(output).toContain('### Security team');
    expect(output).toContain(
      '- [x] **`Q-AML.M0024-1`** Which logs and metrics detect anomalies in inference?',
    );
    expect(output).toContain('(produced by `atlasguard monitor`)');
  });

  it('summarises the matrix by tactic in catalog order', () => {
    const section = output.slice(output.indexOf('## Matrix by tactic'), output.indexOf('## By element'));
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Tactic') && !l.startsWith('| ---'));
    expect(rows.map((r) => r.split(' | ')[0]?.slice(2))).toEqual(catalog.tactics.map((t) => t.name));
  });

  it('lists risk decisions and flags expired ones', () => {
    expect(output).toContain('## Risk decisions');
    expect(output).toMatch(/`AML.T0034` Cost Harvesting \| accept \| CISO \| .* \| 2027-01-31 \| active \|/);
    const expired = {
      ...assessment,
      ledger: assessment.ledger.map((e) =>
        e.treatment ? { ...e, treatment: { ...e.treatment, active: false } } : e,
      ),
    };
    expect(writeMarkdown(expired, catalog)).toContain('**expired — counts again**');
  });

  it('makes any text inert (random input)', () => {
    let seed = 11;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '<>&|`*_[]#~!\\\n\r\t ab';
    for (let i = 0; i < 500; i++) {
      const input = Array.from({ length: 1 + Math.floor(rand() * 30) }, () =>
        alphabet.charAt(Math.floor(rand() * alphabet.length)),
      ).join('');
      const out = mdText(input);
      expect(out).not.toMatch(/[<>\r\n\t]/);
      // Every Markdown-active character is preceded by a backslash.
      expect(out.replace(/\\[\\`*_[\]|#~!]/g, '')).not.toMatch(/[\\`*_[\]|#~!]/);
    }
  });

  it('shows, per risk, the ATLAS mitigations with status and use text, and the compensating controls in full', () => {
    const plan = output.slice(output.indexOf('## Mitigations per risk'), output.indexOf('## Gaps'));
    expect(plan).toContain('### `AML.T0051` LLM Prompt Injection — residual');
    expect(plan).toMatch(
      /\| `AML.M0024` AI Telemetry Logging \| implemented \| model \| .+ \| runbooks\/gateway\.md\\#limits \|/,
    );
    expect(plan).toContain('No ATLAS mitigation. Compensating controls: `CC-RAG-INGEST-TRUST`');
    const controls = output.slice(output.indexOf('## Compensating controls'));
    expect(controls).toContain(
      '### `CC-RAG-INGEST-TRUST` Trust tiers and screening for RAG and tool-readable content',
    );
    expect(controls).toContain('- What to do: Inventory every source indexed for retrieval');
    expect(controls).toContain('- Owner: Data owners · element data');
  });
});
