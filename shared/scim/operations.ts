import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import {
  createdScimTokenResponse,
  createScimTokenBody,
  listScimTokensQuery,
  scimDiscoveryIdParams,
  scimIdParams,
  scimResourceQuery,
  scimListQuery,
  scimTokenPage,
  scimTokenPathParams,
  scimGroupBody,
  scimGroupList,
  scimGroupResource,
  scimPatchBody,
  scimResourceType,
  scimResourceTypeList,
  scimSchema,
  scimSchemaList,
  scimServiceProviderConfig,
  scimUserBody,
  scimUserList,
  scimUserResource,
} from './schemas.js';

const tokens = '/v1/orgs/{orgId}/scim-tokens';
const scim = '/scim/v2';
const SCIM = 'application/scim+json';
export const scimOperations: OperationDoc[] = [
  { method: 'get', path: tokens, summary: "List the org's SCIM tokens (no secrets)", auth: 'bearer', params: orgPathParams, query: listScimTokensQuery, response: { status: 200, schema: scimTokenPage } },
  { method: 'post', path: tokens, summary: 'Create a SCIM token; its secret is shown once, in this answer', auth: 'bearer', params: orgPathParams, body: createScimTokenBody, response: { status: 201, schema: createdScimTokenResponse } },
  { method: 'delete', path: `${tokens}/{tokenId}`, summary: 'Revoke a SCIM token (refused from the next request on)', auth: 'bearer', params: scimTokenPathParams, response: { status: 204 } },
  { method: 'get', path: `${scim}/ServiceProviderConfig`, summary: 'SCIM service provider configuration (RFC 7643 §5)', auth: 'scim', response: { status: 200, contentType: SCIM, schema: scimServiceProviderConfig } },
  { method: 'get', path: `${scim}/ResourceTypes`, summary: 'SCIM resource types: User, Group', auth: 'scim', response: { status: 200, contentType: SCIM, schema: scimResourceTypeList } },
  { method: 'get', path: `${scim}/Schemas`, summary: 'SCIM schemas: core User, enterprise extension, core Group', auth: 'scim', response: { status: 200, contentType: SCIM, schema: scimSchemaList } },
  { method: 'get', path: `${scim}/Schemas/{id}`, summary: 'One SCIM schema by its URN', auth: 'scim', params: scimDiscoveryIdParams, response: { status: 200, contentType: SCIM, schema: scimSchema } },
  { method: 'get', path: `${scim}/ResourceTypes/{id}`, summary: 'One SCIM resource type: User or Group', auth: 'scim', params: scimDiscoveryIdParams, response: { status: 200, contentType: SCIM, schema: scimResourceType } },
  { method: 'get', path: `${scim}/Users`, summary: 'SCIM users: filter (userName, externalId, id, work email; eq, and) or a page by name', auth: 'scim', query: scimListQuery, response: { status: 200, contentType: SCIM, schema: scimUserList } },
  { method: 'post', path: `${scim}/Users`, summary: 'Provision a member (role member, source scim)', auth: 'scim', body: scimUserBody, response: { status: 201, contentType: SCIM, schema: scimUserResource } },
  { method: 'get', path: `${scim}/Users/{id}`, summary: 'One SCIM user', auth: 'scim', params: scimIdParams, query: scimResourceQuery, response: { status: 200, contentType: SCIM, schema: scimUserResource } },
  { method: 'put', path: `${scim}/Users/{id}`, summary: 'Replace a SCIM user (name, userName, active)', auth: 'scim', params: scimIdParams, body: scimUserBody, response: { status: 200, contentType: SCIM, schema: scimUserResource } },
  { method: 'patch', path: `${scim}/Users/{id}`, summary: 'Patch a SCIM user (active false deprovisions, true reactivates)', auth: 'scim', params: scimIdParams, body: scimPatchBody, response: { status: 200, contentType: SCIM, schema: scimUserResource } },
  { method: 'delete', path: `${scim}/Users/{id}`, summary: 'Deprovision a SCIM user (row and history kept)', auth: 'scim', params: scimIdParams, response: { status: 204 } },
  { method: 'get', path: `${scim}/Groups`, summary: 'SCIM groups (teams): filter displayName eq, or a page', auth: 'scim', query: scimListQuery, response: { status: 200, contentType: SCIM, schema: scimGroupList } },
  { method: 'post', path: `${scim}/Groups`, summary: 'Create a team from a SCIM group', auth: 'scim', body: scimGroupBody, response: { status: 201, contentType: SCIM, schema: scimGroupResource } },
  { method: 'get', path: `${scim}/Groups/{id}`, summary: 'One SCIM group with its members', auth: 'scim', params: scimIdParams, query: scimResourceQuery, response: { status: 200, contentType: SCIM, schema: scimGroupResource } },
  { method: 'put', path: `${scim}/Groups/{id}`, summary: 'Replace a SCIM group (name and members)', auth: 'scim', params: scimIdParams, body: scimGroupBody, response: { status: 200, contentType: SCIM, schema: scimGroupResource } },
  { method: 'patch', path: `${scim}/Groups/{id}`, summary: 'Rename a SCIM group, add or remove members', auth: 'scim', params: scimIdParams, body: scimPatchBody, response: { status: 204 } },
  { method: 'delete', path: `${scim}/Groups/{id}`, summary: 'Delete the team; its members stay, unassigned', auth: 'scim', params: scimIdParams, response: { status: 204 } },
];
