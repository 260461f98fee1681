import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateApiTypes } from '../../../console/scripts/generate-api-types.js';

describe('console/src/lib/api-types.ts', () => {
  it('is what `npm run gen:api` generates from the current OpenAPI document (run it and commit when this fails)', async () => {
    const committed = await readFile(new URL('../../../console/src/lib/api-types.ts', import.meta.url), 'utf8');
    expect(committed === (await generateApiTypes()), 'console/src/lib/api-types.ts is stale: npm run gen:api').toBe(
      true,
    );
    // Building the document and its types takes seconds on a loaded machine; this is no speed check.
  }, 60_000);

  it('declares a JSON body for every operation the console reads (no `unknown` answers)', async () => {
    const { openApiDocument } = await import('../../../shared/api/openapi.js');
    const paths = openApiDocument().paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: unknown }> }>
    >;
    const used = [
      '/v1/me',
      '/v1/orgs/{orgId}',
      '/v1/orgs/{orgId}/members',
      '/v1/orgs/{orgId}/members/{userId}',
      '/v1/orgs/{orgId}/teams',
      '/v1/orgs/{orgId}/audit-events',
      '/v1/orgs/{orgId}/invitations',
      '/v1/orgs/{orgId}/join-requests',
    ];
    for (const path of used) expect(paths[path]?.get?.responses['200']?.content, path).toBeDefined();
  });
});
