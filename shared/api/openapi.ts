import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { scimErrorSchema } from '../scim/schemas.js';
import { OPERATIONS } from './operations.js';

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
});

type JsonSchema = Record<string, unknown>;
const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function parametersOf(schema: z.ZodMiniType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

const camelCase = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Each operation's id: its handler's name (`members/list-members` → `listMembers`), the area first where two areas share a name. */
export function operationIds(operations: readonly Operation[] = OPERATIONS): Map<string, string> {
  const names = operations.map((r) => ({
    key: `${r.method} ${r.path}`,
    area: r.handler.split('/')[0] ?? '',
    name: r.handler.split('/').pop() ?? r.handler,
  }));
  const taken = new Map<string, number>();
  for (const { name } of names) taken.set(name, (taken.get(name) ?? 0) + 1);
  return new Map(
    names.map(({ key, area, name }) => [key, camelCase((taken.get(name) ?? 0) > 1 ? `${area}-${name}` : name)]),
  );
}

/**
 * The refusals an operation may answer, each explicit (clients type them): 400 for input it
 * validates, 401 for credentials it checks, 403 for a permission, 404 for a resource in its
 * path, 409 for a write, 429 for any; SCIM's in its own media type and Error schema (RFC 7644 §3.12).
 */
function errorResponses(op: Operation, auth: DocumentedAuth): Record<string, unknown> {
  const scim = auth === 'scim';
  const content = scim
    ? { 'application/scim+json': { schema: { $ref: '#/components/schemas/ScimError' } } }
    : { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  const answer = (description: string) => ({ description, content });
  const writes = op.method !== 'GET';
  return {
    ...(op.params || op.query || op.body ? { '400': answer('Invalid input; the problem names the field') } : {}),
    ...(auth !== 'none' ? { '401': answer('Missing or invalid credentials') } : {}),
    ...(auth === 'bearer' ? { '403': answer('The caller lacks the permission') } : {}),
    ...(op.path.includes('{') || scim ? { '404': answer('No such resource') } : {}),
    ...(writes
      ? { '409': answer('Conflicts with the current state (taken name, seat limit, last admin, concurrent change)') }
      : {}),
    // API Gateway's throttling answers any route.
    '429': answer('Too many requests; retry after the Retry-After header'),
    default: answer(scim ? 'SCIM error' : 'Problem'),
  };
}

/** How the document names an operation's credentials (its security requirement and the refusals it lists). */
type DocumentedAuth = 'bearer' | 'bearerOptional' | 'none' | 'apiKey' | 'scim' | 'webhook';

function documentedAuth(op: Operation): DocumentedAuth {
  switch (op.auth.kind) {
    case 'public':
      return 'none';
    case 'optionalBearer':
      return 'bearerOptional';
    case 'webhook':
      return 'webhook';
    case 'apiKey':
      return 'apiKey';
    case 'scimToken':
      return 'scim';
    default:
      return 'bearer';
  }
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = operationIds();
  for (const op of OPERATIONS) {
    const auth = documentedAuth(op);
    const method = op.method.toLowerCase();
    const security = {
      bearer: [{ cognito: [] }],
      bearerOptional: [{}, { cognito: [] }],
      none: [],
      apiKey: [{ apiKey: [] }],
      scim: [{ scimToken: [] }],
      webhook: [],
    }[auth];
    // SCIM requests and answers are application/scim+json (RFC 7644 §3.1).
    const bodyType = auth === 'scim' ? 'application/scim+json' : 'application/json';
    paths[op.path] ??= {};
    const body = op.documentedBody ?? op.body;
    paths[op.path]![method] = {
      operationId: ids.get(`${op.method} ${op.path}`),
      summary: op.summary,
      security,
      parameters: [...parametersOf(op.params, 'path'), ...parametersOf(op.query, 'query')],
      ...(body
        ? {
            requestBody: {
              required: op.bodyOptional !== true,
              content: { [op.bodyContentType ?? bodyType]: { schema: toSchema(body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(op.response?.status ?? 200)]: {
          description: 'Success',
          ...(op.response?.schema
            ? {
                content: {
                  [op.response.contentType ?? 'application/json']: { schema: toSchema(op.response.schema, 'output') },
                },
              }
            : {}),
        },
        ...errorResponses(op, auth),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Roster API',
      version: '1.0.0',
      description: 'Organization member management',
      license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
    },
    servers: [
      { url: '/', description: 'The origin that serves this document (the console, /v1, /scim/v2 and /api share it)' },
    ],
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output'), ScimError: toSchema(scimErrorSchema, 'output') },
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        scimToken: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
