import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../infra/routes.js';
import { OPERATIONS, openApiDocument } from '../../../shared/http/openapi.js';

describe('GET /openapi.json', () => {
  it('documents exactly the routes the API serves', () => {
    const routes = ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    const documented = OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(documented).toEqual(routes);
  });

  it('is OpenAPI 3.1 with request schemas generated from the validators', () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean; required?: string[] } }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    const createOrg = doc.paths['/v1/orgs']?.post?.requestBody?.content['application/json']?.schema;
    expect(createOrg?.additionalProperties).toBe(false);
    expect(createOrg?.required).toEqual(['name', 'maxSeats', 'admin']);
  });
});
