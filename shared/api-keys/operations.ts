import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import {
  apiKeyPage,
  apiKeyPathParams,
  createApiKeyBody,
  createdApiKeyResponse,
  listApiKeysQuery,
  publicOrgResponse,
} from './schemas.js';

const base = '/v1/orgs/{orgId}/api-keys';
export const listApiKeys = {
  method: 'GET',
  handler: 'api-keys/list-api-keys',
  path: base,
  summary: "List the org's API keys (no secrets)",
  auth: { kind: 'orgMember', permission: 'api-keys:manage' },
  params: orgPathParams,
  query: listApiKeysQuery,
  response: { status: 200, schema: apiKeyPage },
  grants: { table: { access: 'read', families: ['APIKEY', 'AUDIT', 'ORG'] } },
} satisfies Operation;

export const createApiKey = {
  method: 'POST',
  handler: 'api-keys/create-api-key',
  path: base,
  summary: 'Create an API key; its secret is shown once, in this answer',
  auth: { kind: 'orgMember', permission: 'api-keys:manage' },
  params: orgPathParams,
  body: createApiKeyBody,
  response: { status: 201, schema: createdApiKeyResponse },
  grants: { table: { access: 'readWrite', families: ['APIKEY', 'AUDIT', 'ORG'] } },
} satisfies Operation;

export const revokeApiKey = {
  method: 'DELETE',
  handler: 'api-keys/revoke-api-key',
  path: `${base}/{keyId}`,
  summary: 'Revoke an API key (refused from the next request on)',
  auth: { kind: 'orgMember', permission: 'api-keys:manage' },
  params: apiKeyPathParams,
  response: { status: 204 },
  grants: { table: { access: 'readWrite', families: ['APIKEY', 'AUDIT', 'ORG'] } },
} satisfies Operation;

export const getPublicOrg = {
  method: 'GET',
  handler: 'public/get-public-org',
  path: '/api/public/v1/org',
  summary: 'The org the x-api-key belongs to, with its seats',
  auth: { kind: 'apiKey' },
  response: { status: 200, schema: publicOrgResponse },
  // Nothing beyond what the pipeline reads: the key and its org.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const apiKeyOperations = [listApiKeys, createApiKey, revokeApiKey, getPublicOrg];
