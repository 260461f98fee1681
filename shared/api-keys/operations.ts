import type { OperationDoc } from '../http/operation-doc.js';
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
export const apiKeyOperations: OperationDoc[] = [
  {
    method: 'get',
    path: base,
    summary: "List the org's API keys (no secrets)",
    auth: 'bearer',
    params: orgPathParams,
    query: listApiKeysQuery,
    response: { status: 200, schema: apiKeyPage },
  },
  {
    method: 'post',
    path: base,
    summary: 'Create an API key; its secret is shown once, in this answer',
    auth: 'bearer',
    params: orgPathParams,
    body: createApiKeyBody,
    response: { status: 201, schema: createdApiKeyResponse },
  },
  {
    method: 'delete',
    path: `${base}/{keyId}`,
    summary: 'Revoke an API key (refused from the next request on)',
    auth: 'bearer',
    params: apiKeyPathParams,
    response: { status: 204 },
  },
  {
    method: 'get',
    path: '/api/public/v1/org',
    summary: 'The org the x-api-key belongs to, with its seats',
    auth: 'apiKey',
    response: { status: 200, schema: publicOrgResponse },
  },
];
