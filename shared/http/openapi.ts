import * as z from 'zod/mini';
import { createOrgBody, orgResponse, updateOrgBody } from '../orgs/schemas.js';
import { orgPathParams } from '../schemas.js';

/**
 * The API's operations with the very schemas that validate their requests; GET /openapi.json
 * is generated from this list, so the document cannot drift from what the code accepts.
 */
interface OperationDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth: 'bearer' | 'none' | 'apiKey' | 'scim' | 'webhook';
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  response?: { status: number; schema?: z.ZodMiniType; contentType?: string };
}

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
});

export const OPERATIONS: OperationDoc[] = [
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: 'none', response: { status: 200 } },
  { method: 'get', path: '/v1/me', summary: 'The signed-in user and their memberships', auth: 'bearer', response: { status: 200 } },
  { method: 'post', path: '/v1/orgs', summary: 'Create an org and its first admin (platform_admin)', auth: 'bearer', body: createOrgBody, response: { status: 201, schema: orgResponse } },
  { method: 'get', path: '/v1/orgs/{orgId}', summary: 'An org, its settings and seats', auth: 'bearer', params: orgPathParams, response: { status: 200, schema: orgResponse } },
  { method: 'patch', path: '/v1/orgs/{orgId}', summary: 'Change org settings (maxSeats: platform_admin)', auth: 'bearer', params: orgPathParams, body: updateOrgBody, response: { status: 200, schema: orgResponse } },
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
    const security = { bearer: [{ cognito: [] }], none: [], apiKey: [{ apiKey: [] }], scim: [{ scimToken: [] }], webhook: [] }[op.auth];
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
