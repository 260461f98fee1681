import { tokenPathParams } from '../credentials/schemas.js';
import type { Operation } from '../operation.js';
import { SEAL_MAIL_LINKS } from '../secrets/secrets-env.js';
import { memberResponse } from '../members/schemas.js';
import { orgPathParams } from '../schemas.js';
import {
  acceptInvitationBody,
  createInvitationsBody,
  createInvitationsResponse,
  invitationPage,
  invitationPathParams,
  invitationPreviewResponse,
  invitationResponse,
  listInvitationsQuery,
} from './schemas.js';
import { LIMITS } from '../limits.js';

const base = '/v1/orgs/{orgId}/invitations';
export const listInvitations = {
  method: 'GET',
  handler: 'invitations/list-invitations',
  path: base,
  summary: "List the org's invitations, newest first",
  auth: { kind: 'orgMember', permission: 'invitations:manage' },
  params: orgPathParams,
  query: listInvitationsQuery,
  response: { status: 200, schema: invitationPage },
  grants: { table: { access: 'read', families: ['ORG', 'TOKEN'] } },
} satisfies Operation;

export const createInvitations = {
  method: 'POST',
  handler: 'invitations/create-invitations',
  path: base,
  summary: 'Invite one or many emails; each is created or refused with a reason',
  auth: { kind: 'orgMember', permission: 'invitations:manage' },
  params: orgPathParams,
  body: createInvitationsBody,
  response: { status: 200, schema: createInvitationsResponse },
  limit: LIMITS.bulk,
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] },
    secrets: SEAL_MAIL_LINKS,
  },
} satisfies Operation;

export const resendInvitation = {
  method: 'POST',
  handler: 'invitations/resend-invitation',
  path: `${base}/{invitationId}/resend`,
  summary: 'Mail a pending invitation again with a new link; the old link dies',
  auth: { kind: 'orgMember', permission: 'invitations:manage' },
  params: invitationPathParams,
  response: { status: 200, schema: invitationResponse },
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] },
    secrets: SEAL_MAIL_LINKS,
  },
} satisfies Operation;

export const revokeInvitation = {
  method: 'DELETE',
  handler: 'invitations/revoke-invitation',
  path: `${base}/{invitationId}`,
  summary: 'Revoke a pending invitation and free its seat',
  auth: { kind: 'orgMember', permission: 'invitations:manage' },
  params: invitationPathParams,
  response: { status: 204 },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] } },
} satisfies Operation;

export const previewInvitation = {
  method: 'GET',
  handler: 'invitations/preview-invitation',
  path: '/v1/invitations/{token}',
  summary: 'What an invitation link invites to',
  auth: { kind: 'public' },
  params: tokenPathParams,
  response: { status: 200, schema: invitationPreviewResponse },
  limit: LIMITS.invitationToken,
  grants: { table: { access: 'read', families: ['ORG', 'TOKEN'] } },
} satisfies Operation;

export const acceptInvitation = {
  method: 'POST',
  handler: 'invitations/accept-invitation',
  path: '/v1/invitations/{token}/accept',
  summary:
    'Accept an invitation: as a new user with a name and a password, or as the invited signed-in user with Authorization: Bearer <access token> and no body',
  auth: { kind: 'optionalBearer' },
  params: tokenPathParams,
  body: acceptInvitationBody,
  response: { status: 201, schema: memberResponse },
  limit: LIMITS.invitationToken,
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'TOKEN', 'USER'] },
    identity: [
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminUpdateUserAttributes',
    ],
  },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const invitationOperations = [
  listInvitations,
  createInvitations,
  resendInvitation,
  revokeInvitation,
  previewInvitation,
  acceptInvitation,
];
