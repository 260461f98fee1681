import { tokenPathParams } from '../credentials/schemas.js';
import type { OperationDoc } from '../http/operation-doc.js';
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

const base = '/v1/orgs/{orgId}/invitations';
export const invitationOperations: OperationDoc[] = [
  {
    method: 'get',
    path: base,
    summary: "List the org's invitations, newest first",
    auth: 'bearer',
    params: orgPathParams,
    query: listInvitationsQuery,
    response: { status: 200, schema: invitationPage },
  },
  {
    method: 'post',
    path: base,
    summary: 'Invite one or many emails; each is created or refused with a reason',
    auth: 'bearer',
    params: orgPathParams,
    body: createInvitationsBody,
    response: { status: 200, schema: createInvitationsResponse },
  },
  {
    method: 'post',
    path: `${base}/{invitationId}/resend`,
    summary: 'Mail a pending invitation again with a new link; the old link dies',
    auth: 'bearer',
    params: invitationPathParams,
    response: { status: 200, schema: invitationResponse },
  },
  {
    method: 'delete',
    path: `${base}/{invitationId}`,
    summary: 'Revoke a pending invitation and free its seat',
    auth: 'bearer',
    params: invitationPathParams,
    response: { status: 204 },
  },
  {
    method: 'get',
    path: '/v1/invitations/{token}',
    summary: 'What an invitation link invites to',
    auth: 'none',
    params: tokenPathParams,
    response: { status: 200, schema: invitationPreviewResponse },
  },
  {
    method: 'post',
    path: '/v1/invitations/{token}/accept',
    summary:
      'Accept an invitation: as a new user with a name and a password, or as the invited signed-in user with Authorization: Bearer <access token> and no body',
    auth: 'bearerOptional',
    params: tokenPathParams,
    body: acceptInvitationBody,
    response: { status: 201, schema: memberResponse },
  },
];
