import type { Operation } from '../operation.js';
import { SEAL_MAIL_LINKS } from '../secrets/secrets-env.js';
import { orgPathParams } from '../schemas.js';
import { meResponse, setMfaBody, setMfaResponse } from '../me/schemas.js';
import { createOrgBody, orgResponse, seatRecountResponse, updateOrgBody } from './schemas.js';

export const getMe = {
  method: 'GET',
  handler: 'me/get-me',
  path: '/v1/me',
  summary: 'The signed-in user and their memberships',
  auth: { kind: 'signedIn' },
  response: { status: 200, schema: meResponse },
  grants: { table: { access: 'read', families: ['ORG', 'USER'] } },
} satisfies Operation;

export const leaveOrg = {
  method: 'DELETE',
  handler: 'me/leave-org',
  path: '/v1/me/memberships/{orgId}',
  summary: 'Leave an org (the last active admin cannot); audit event member.left in that org',
  auth: { kind: 'orgMember', visitor: true },
  params: orgPathParams,
  response: { status: 204 },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'USER'] } },
} satisfies Operation;

export const setMfa = {
  method: 'PUT',
  handler: 'me/set-mfa',
  path: '/v1/me/mfa',
  summary:
    "Turn the caller's authenticator-app factor on (after Cognito's VerifySoftwareToken) or off; mfaRequired orgs follow on the next request",
  auth: { kind: 'signedIn' },
  body: setMfaBody,
  response: { status: 200, schema: setMfaResponse },
  grants: {
    table: { access: 'readWrite', families: ['EMAIL', 'ORG', 'USER'] },
    identity: ['cognito-idp:AdminSetUserMFAPreference'],
  },
} satisfies Operation;

export const createOrg = {
  method: 'POST',
  handler: 'orgs/create-org',
  path: '/v1/orgs',
  summary: 'Create an org and its first admin (platform_admin)',
  auth: { kind: 'platformAdmin' },
  body: createOrgBody,
  response: { status: 201, schema: orgResponse },
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] },
    secrets: SEAL_MAIL_LINKS,
  },
} satisfies Operation;

export const getOrg = {
  method: 'GET',
  handler: 'orgs/get-org',
  path: '/v1/orgs/{orgId}',
  summary: 'An org, its settings and seats',
  auth: { kind: 'orgMember', platformAdmin: true },
  params: orgPathParams,
  response: { status: 200, schema: orgResponse },
  // Nothing beyond what the pipeline reads: the caller, the org and the membership.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

export const reconcileSeats = {
  method: 'POST',
  handler: 'orgs/reconcile-seats',
  path: '/v1/orgs/{orgId}/seats/reconcile',
  summary: "Recount the org's seats and repair drift (platform_admin)",
  auth: { kind: 'platformAdmin' },
  params: orgPathParams,
  response: { status: 200, schema: seatRecountResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] } },
} satisfies Operation;

export const updateOrg = {
  method: 'PATCH',
  handler: 'orgs/update-org',
  path: '/v1/orgs/{orgId}',
  summary: 'Change org settings (maxSeats: platform_admin)',
  auth: { kind: 'orgMember', permission: 'org:manage', platformAdmin: true },
  params: orgPathParams,
  body: updateOrgBody,
  response: { status: 200, schema: orgResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const orgOperations = [getMe, leaveOrg, setMfa, createOrg, getOrg, reconcileSeats, updateOrg];
