import * as z from 'zod/mini';
import { apiKeyOperations } from '../api-keys/operations.js';
import { auditOperations } from '../audit/operations.js';
import { memberExportOperations } from '../members/export-operations.js';
import { credentialOperations } from '../credentials/schemas.js';
import { joinRequestOperations } from '../join-requests/schemas.js';
import { invitationOperations } from '../invitations/operations.js';
import { mailOperations } from '../mail/operations.js';
import { importOperations } from '../imports/operations.js';
import { memberOperations } from '../members/operations.js';
import { orgOperations } from '../orgs/operations.js';
import { scimOperations } from '../scim/operations.js';
import { teamOperations } from '../teams/operations.js';
import { webhookOperations } from '../webhooks/operations.js';
import type { OperationDoc } from './operation-doc.js';

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
});

/**
 * Every operation, each area's list described with the very schemas that validate its
 * requests; GET /openapi.json is generated from it, so the document cannot drift from the code.
 */
export const OPERATIONS: OperationDoc[] = [
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: 'none', response: { status: 200 } },
  ...orgOperations,
  ...memberOperations,
  ...credentialOperations,
  ...joinRequestOperations,
  ...memberExportOperations,
  ...teamOperations,
  ...auditOperations,
  ...apiKeyOperations,
  ...invitationOperations,
  ...mailOperations,
  ...scimOperations,
  ...webhookOperations,
  ...importOperations,
  // area operation lists go here, one spread per area
];

type JsonSchema = Record<string, unknown>;
const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function parametersOf(schema: z.ZodMiniType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s }));
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const security = { bearer: [{ cognito: [] }], bearerOptional: [{}, { cognito: [] }], none: [], apiKey: [{ apiKey: [] }], scim: [{ scimToken: [] }], webhook: [] }[op.auth];
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      security,
      parameters: [...parametersOf(op.params, 'path'), ...parametersOf(op.query, 'query')],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input') } } } } : {}),
      responses: {
        [String(op.response?.status ?? 200)]: {
          description: 'Success',
          ...(op.response?.schema ? { content: { [op.response.contentType ?? 'application/json']: { schema: toSchema(op.response.schema, 'output') } } } : {}),
        },
        default: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Roster API', version: '1.0.0', description: 'Organization member management' },
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output') },
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        scimToken: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
