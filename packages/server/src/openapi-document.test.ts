import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/shared-paths.js';
import { OPENAPI_PATH, renderOpenApiDocument } from './openapi-document.js';

describe('checked-in OpenAPI document', () => {
  it('matches what the routes produce (run `npm run gen` after changing a route)', async () => {
    const rendered = await renderOpenApiDocument();
    expect(readFileSync(join(repoRoot, OPENAPI_PATH), 'utf8')).toBe(rendered);
  });

  it('documents the assessment, view and export routes with their responses', async () => {
    const doc = JSON.parse(await renderOpenApiDocument()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, method] of [
      ['/api/portfolio', 'get'],
      ['/api/systems/{id}/matrix', 'get'],
      ['/api/systems/{id}/techniques/{techniqueId}', 'get'],
      ['/api/systems/{id}/checklist', 'get'],
      ['/api/systems/{id}/runs/diff', 'get'],
      ['/api/systems/{id}/models/validate', 'post'],
      ['/api/schemas/system-model.json', 'get'],
      ['/api/systems/{id}/report', 'get'],
      ['/api/risks/export', 'get'],
      ['/api/systems/{id}/assess', 'post'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Portfolio',
        'Matrix',
        'RunSummary',
        'RunDiff',
        'Checklist',
        'TechniqueDetail',
      ]),
    );
  });
});
