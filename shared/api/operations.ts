import { apiKeyOperations } from '../api-keys/operations.js';
import { auditOperations } from '../audit/operations.js';
import { credentialOperations } from '../credentials/operations.js';
import { importOperations } from '../imports/operations.js';
import { invitationOperations } from '../invitations/operations.js';
import { joinRequestOperations } from '../join-requests/operations.js';
import { mailOperations } from '../mail/operations.js';
import { memberExportOperations } from '../members/export-operations.js';
import { memberOperations } from '../members/operations.js';
import type { FallbackOperation, Operation } from '../operation.js';
import { orgOperations } from '../orgs/operations.js';
import { roleOperations } from '../roles/operations.js';
import { scimOperations, unknownScimPath } from '../scim/operations.js';
import { ssoOperations } from '../sso/operations.js';
import { teamOperations } from '../teams/operations.js';
import { webhookOperations } from '../webhooks/operations.js';

/** GET /openapi.json. */
export const getOpenapi = {
  method: 'GET',
  path: '/openapi.json',
  handler: 'meta/get-openapi',
  summary: 'This document',
  auth: { kind: 'public' },
  response: { status: 200 },
  grants: { table: 'none' },
} satisfies Operation;

/**
 * The catalogue of every operation, above the areas: read by the route table (CDK and the local
 * server), the OpenAPI document and tests, never by a function (each imports its own operation,
 * so its bundle holds nothing else). The order is the OpenAPI document's.
 */
export const OPERATIONS: readonly Operation[] = [
  getOpenapi,
  ...orgOperations,
  ...memberOperations,
  ...credentialOperations,
  ...joinRequestOperations,
  ...memberExportOperations,
  ...teamOperations,
  ...roleOperations,
  ...auditOperations,
  ...apiKeyOperations,
  ...invitationOperations,
  ...mailOperations,
  ...scimOperations,
  ...webhookOperations,
  ...importOperations,
  ...ssoOperations,
  // a new area's list goes here, one spread per area
];

/** Routes API Gateway tries only when no operation matches (greedy paths); no OpenAPI entry. */
export const FALLBACK_OPERATIONS: readonly FallbackOperation[] = [unknownScimPath];
