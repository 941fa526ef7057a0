import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { assessmentSchema } from '../../assess/assessment-types.js';
import { assessModel, exampleModel } from '../../assess/test-support/examples.js';
import { writeJson } from './json-writer.js';

const golden = resolve(import.meta.dirname, '__golden__', 'card-fraud-scoring.json');

describe('JSON assessment writer', () => {
  const catalog = testCatalog();
  const assessment = assessModel(exampleModel('card-fraud-scoring'), catalog, {
    source: 'examples/card-fraud-scoring/atlasguard.yaml',
    toolVersion: '0.1.0',
  });
  const text = writeJson(assessment, catalog);

  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('round-trips through the documented schema with schemaVersion 1 and the ranked risks', () => {
    const parsed = assessmentSchema.parse(JSON.parse(text));
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.ledger).toHaveLength(170);
    expect(parsed.risks[0]?.rank).toBe(1);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('refuses to write a malformed assessment', () => {
    const broken = { ...assessment, schemaVersion: 2 } as unknown as typeof assessment;
    expect(() => writeJson(broken, catalog)).toThrow();
  });
});

describe('published JSON Schema of the assessment', () => {
  it('validates a real assessment and rejects a broken one', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const { assessmentJsonSchema } = await import('./assessment-json-schema.js');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(assessmentJsonSchema());
    const catalog = testCatalog();
    const assessment = JSON.parse(
      writeJson(assessModel(exampleModel('internal-coding-agent'), catalog), catalog),
    ) as Record<string, unknown>;
    expect(validate(assessment), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate({ ...assessment, ledger: [{ techniqueId: 'nope' }] })).toBe(false);
  });
});
