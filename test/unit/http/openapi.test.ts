import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../infra/routes.js';
import { OPERATIONS } from '../../../shared/api/operations.js';
import { openApiDocument } from '../../../shared/api/openapi.js';

describe('GET /openapi.json', () => {
  it('documents exactly the routes the API serves', () => {
    const routes = ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    const documented = OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(documented).toEqual(routes);
  });

  it('is OpenAPI 3.1 with request schemas generated from the validators', () => {
    const doc = openApiDocument() as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { additionalProperties?: boolean; required?: string[] } }>;
            };
          }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const createOrg = doc.paths['/v1/orgs']?.post?.requestBody?.content['application/json']?.schema;
    expect(createOrg?.additionalProperties).toBe(false);
    expect(createOrg?.required).toEqual(['name', 'maxSeats', 'admin']);
  });

  it('gives every operation a unique operationId, a servers entry, a license and at least one explicit 4xx', () => {
    const doc = openApiDocument() as {
      servers: unknown[];
      info: { license?: { identifier: string } };
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.every((o) => Object.keys(o.responses).some((code) => /^4\d\d$/.test(code)))).toBe(true);
    expect(doc.servers).toHaveLength(1);
    expect(doc.info.license?.identifier).toBe('Apache-2.0');
  });

  it('describes SCIM as it is: a schema for every 200/201, SCIM Error objects and scim+json request bodies', () => {
    type Content = Record<string, { schema?: { $ref?: string } }>;
    const doc = openApiDocument() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Content }; responses: Record<string, { content?: Content }> }>
      >;
    };
    const scim = Object.entries(doc.paths).filter(([path]) => path.startsWith('/scim/v2'));
    expect(scim.length).toBeGreaterThan(0);
    for (const [path, methods] of scim) {
      for (const [method, op] of Object.entries(methods)) {
        const success = op.responses['200'] ?? op.responses['201'];
        if (success) expect(success.content?.['application/scim+json']?.schema, `${method} ${path}`).toBeDefined();
        expect(op.responses['401']?.content?.['application/scim+json']?.schema?.$ref).toBe(
          '#/components/schemas/ScimError',
        );
        if (op.requestBody) expect(Object.keys(op.requestBody.content)).toEqual(['application/scim+json']);
      }
    }
  });
});
