import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaOutline } from './schema-outline.js';

const schema: unknown = JSON.parse(
  readFileSync(new URL('../../../../schemas/system-model.schema.json', import.meta.url), 'utf8'),
);

describe('system model schema outline', () => {
  it('lists the sections of the real schema with their fields, required marks and allowed values', () => {
    const outline = schemaOutline(schema);
    expect(outline).not.toBeNull();
    const names = (outline ?? []).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['atlasguard', 'system', 'environment', 'model', 'data']));
    const system = outline?.find((s) => s.name === 'system');
    expect(system?.required).toBe(true);
    expect(system?.fields.find((f) => f.name === 'id')?.required).toBe(true);
    const environment = outline?.find((s) => s.name === 'environment');
    expect(environment?.type).toBe('list of object');
    const exposure = environment?.fields.find((f) => f.name === 'exposure');
    expect(exposure?.values).toEqual(expect.arrayContaining(['partner', 'internal']));
  });

  it('answers null for documents that are not such a schema', () => {
    expect(schemaOutline(null)).toBeNull();
    expect(schemaOutline({ type: 'object' })).toBeNull();
    expect(schemaOutline({ properties: { a: { type: 7 } } })).toBeNull();
    expect(schemaOutline('{}')).toBeNull();
  });
});
