import type { PartitionFamily } from '../data/keys.js';
import type { FallbackOperation, Operation } from '../operation.js';
import { SEAL_MAIL_LINKS } from '../secrets/secrets-env.js';
import { orgPathParams } from '../schemas.js';
import {
  createdScimTokenResponse,
  createScimTokenBody,
  listScimTokensQuery,
  scimDiscoveryIdParams,
  scimIdParams,
  scimJsonObject,
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
import { LIMITS } from '../limits.js';

const tokens = '/v1/orgs/{orgId}/scim-tokens';
const scim = '/scim/v2';
const SCIM = 'application/scim+json';

/**
 * The SCIM Users and Groups routes share the SCIM user and group modules, so one list (a user's
 * email change may mail a confirmation link: OUTBOX, TOKEN).
 */
const SCIM_RESOURCE_FAMILIES: readonly PartitionFamily[] = ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'];
export const listScimTokens = {
  method: 'GET',
  handler: 'scim/list-scim-tokens',
  path: tokens,
  summary: "List the org's SCIM tokens (no secrets)",
  auth: { kind: 'orgMember', permission: 'scim:manage' },
  params: orgPathParams,
  query: listScimTokensQuery,
  response: { status: 200, schema: scimTokenPage },
  grants: { table: { access: 'read', families: ['AUDIT', 'ORG', 'SCIMTOKEN'] } },
} satisfies Operation;

export const createScimToken = {
  method: 'POST',
  handler: 'scim/create-scim-token',
  path: tokens,
  summary: 'Create a SCIM token; its secret is shown once, in this answer',
  auth: { kind: 'orgMember', permission: 'scim:manage' },
  params: orgPathParams,
  body: createScimTokenBody,
  response: { status: 201, schema: createdScimTokenResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'SCIMTOKEN'] } },
} satisfies Operation;

export const revokeScimToken = {
  method: 'DELETE',
  handler: 'scim/revoke-scim-token',
  path: `${tokens}/{tokenId}`,
  summary: 'Revoke a SCIM token (refused from the next request on)',
  auth: { kind: 'orgMember', permission: 'scim:manage' },
  params: scimTokenPathParams,
  response: { status: 204 },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'SCIMTOKEN'] } },
} satisfies Operation;

export const getServiceProviderConfig = {
  method: 'GET',
  handler: 'scim/get-service-provider-config',
  path: `${scim}/ServiceProviderConfig`,
  summary: 'SCIM service provider configuration (RFC 7643 §5)',
  auth: { kind: 'scimToken' },
  response: { status: 200, contentType: SCIM, schema: scimServiceProviderConfig },
  limit: LIMITS.scim,
  // Nothing beyond what the pipeline reads: the token, its org and the rate limit.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

export const listResourceTypes = {
  method: 'GET',
  handler: 'scim/list-resource-types',
  path: `${scim}/ResourceTypes`,
  summary: 'SCIM resource types: User, Group',
  auth: { kind: 'scimToken' },
  response: { status: 200, contentType: SCIM, schema: scimResourceTypeList },
  limit: LIMITS.scim,
  // Nothing beyond what the pipeline reads: the token, its org and the rate limit.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

export const listSchemas = {
  method: 'GET',
  handler: 'scim/list-schemas',
  path: `${scim}/Schemas`,
  summary: 'SCIM schemas: core User, enterprise extension, core Group',
  auth: { kind: 'scimToken' },
  response: { status: 200, contentType: SCIM, schema: scimSchemaList },
  limit: LIMITS.scim,
  // Nothing beyond what the pipeline reads: the token, its org and the rate limit.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

export const getSchema = {
  method: 'GET',
  handler: 'scim/get-schema',
  path: `${scim}/Schemas/{id}`,
  summary: 'One SCIM schema by its URN',
  auth: { kind: 'scimToken' },
  params: scimDiscoveryIdParams,
  response: { status: 200, contentType: SCIM, schema: scimSchema },
  limit: LIMITS.scim,
  // Nothing beyond what the pipeline reads: the token, its org and the rate limit.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

export const getResourceType = {
  method: 'GET',
  handler: 'scim/get-resource-type',
  path: `${scim}/ResourceTypes/{id}`,
  summary: 'One SCIM resource type: User or Group',
  auth: { kind: 'scimToken' },
  params: scimDiscoveryIdParams,
  response: { status: 200, contentType: SCIM, schema: scimResourceType },
  limit: LIMITS.scim,
  // Nothing beyond what the pipeline reads: the token, its org and the rate limit.
  grants: { table: { access: 'read', families: [] } },
} satisfies Operation;

export const listUsers = {
  method: 'GET',
  handler: 'scim/list-users',
  path: `${scim}/Users`,
  summary: 'SCIM users: filter (userName, externalId, id, work email; eq, and) or a page by name',
  auth: { kind: 'scimToken' },
  query: scimListQuery,
  response: { status: 200, contentType: SCIM, schema: scimUserList },
  limit: LIMITS.scim,
  grants: { table: { access: 'read', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const createUser = {
  method: 'POST',
  handler: 'scim/create-user',
  path: `${scim}/Users`,
  summary: 'Provision a member (role member, source scim)',
  auth: { kind: 'scimToken' },
  body: scimJsonObject,
  documentedBody: scimUserBody,
  response: { status: 201, contentType: SCIM, schema: scimUserResource },
  limit: LIMITS.scim,
  grants: { table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const getUser = {
  method: 'GET',
  handler: 'scim/get-user',
  path: `${scim}/Users/{id}`,
  summary: 'One SCIM user',
  auth: { kind: 'scimToken' },
  params: scimIdParams,
  query: scimResourceQuery,
  response: { status: 200, contentType: SCIM, schema: scimUserResource },
  limit: LIMITS.scim,
  grants: { table: { access: 'read', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const replaceUser = {
  method: 'PUT',
  handler: 'scim/replace-user',
  path: `${scim}/Users/{id}`,
  summary: 'Replace a SCIM user (name, userName, active)',
  auth: { kind: 'scimToken', targetParam: 'id' },
  params: scimIdParams,
  body: scimJsonObject,
  documentedBody: scimUserBody,
  response: { status: 200, contentType: SCIM, schema: scimUserResource },
  limit: LIMITS.scim,
  grants: {
    table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES },
    identity: ['cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminUserGlobalSignOut'],
    secrets: SEAL_MAIL_LINKS,
  },
} satisfies Operation;

export const patchUser = {
  method: 'PATCH',
  handler: 'scim/patch-user',
  path: `${scim}/Users/{id}`,
  summary: 'Patch a SCIM user (active false deprovisions, true reactivates)',
  auth: { kind: 'scimToken', targetParam: 'id' },
  params: scimIdParams,
  body: scimJsonObject,
  documentedBody: scimPatchBody,
  response: { status: 200, contentType: SCIM, schema: scimUserResource },
  limit: LIMITS.scim,
  grants: {
    table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES },
    identity: ['cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminUserGlobalSignOut'],
    secrets: SEAL_MAIL_LINKS,
  },
} satisfies Operation;

export const deleteUser = {
  method: 'DELETE',
  handler: 'scim/delete-user',
  path: `${scim}/Users/{id}`,
  summary: 'Deprovision a SCIM user (row and history kept)',
  auth: { kind: 'scimToken', targetParam: 'id' },
  params: scimIdParams,
  response: { status: 204 },
  limit: LIMITS.scim,
  grants: {
    table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES },
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
} satisfies Operation;

export const listGroups = {
  method: 'GET',
  handler: 'scim/list-groups',
  path: `${scim}/Groups`,
  summary: 'SCIM groups (teams): filter displayName eq, or a page',
  auth: { kind: 'scimToken' },
  query: scimListQuery,
  response: { status: 200, contentType: SCIM, schema: scimGroupList },
  limit: LIMITS.scim,
  grants: { table: { access: 'read', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const createGroup = {
  method: 'POST',
  handler: 'scim/create-group',
  path: `${scim}/Groups`,
  summary: 'Create a team from a SCIM group',
  auth: { kind: 'scimToken' },
  body: scimJsonObject,
  documentedBody: scimGroupBody,
  response: { status: 201, contentType: SCIM, schema: scimGroupResource },
  limit: LIMITS.scim,
  grants: { table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const getGroup = {
  method: 'GET',
  handler: 'scim/get-group',
  path: `${scim}/Groups/{id}`,
  summary: 'One SCIM group with its members',
  auth: { kind: 'scimToken' },
  params: scimIdParams,
  query: scimResourceQuery,
  response: { status: 200, contentType: SCIM, schema: scimGroupResource },
  limit: LIMITS.scim,
  grants: { table: { access: 'read', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const replaceGroup = {
  method: 'PUT',
  handler: 'scim/replace-group',
  path: `${scim}/Groups/{id}`,
  summary: 'Replace a SCIM group (name and members)',
  auth: { kind: 'scimToken' },
  params: scimIdParams,
  body: scimJsonObject,
  documentedBody: scimGroupBody,
  response: { status: 200, contentType: SCIM, schema: scimGroupResource },
  limit: LIMITS.scim,
  grants: { table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const patchGroup = {
  method: 'PATCH',
  handler: 'scim/patch-group',
  path: `${scim}/Groups/{id}`,
  summary: 'Rename a SCIM group, add or remove members',
  auth: { kind: 'scimToken' },
  params: scimIdParams,
  body: scimJsonObject,
  documentedBody: scimPatchBody,
  response: { status: 204 },
  limit: LIMITS.scim,
  grants: { table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

export const deleteGroup = {
  method: 'DELETE',
  handler: 'scim/delete-group',
  path: `${scim}/Groups/{id}`,
  summary: 'Delete the team; its members stay, unassigned',
  auth: { kind: 'scimToken' },
  params: scimIdParams,
  response: { status: 204 },
  limit: LIMITS.scim,
  grants: { table: { access: 'readWrite', families: SCIM_RESOURCE_FAMILIES } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const scimOperations = [
  listScimTokens,
  createScimToken,
  revokeScimToken,
  getServiceProviderConfig,
  listResourceTypes,
  listSchemas,
  getSchema,
  getResourceType,
  listUsers,
  createUser,
  getUser,
  replaceUser,
  patchUser,
  deleteUser,
  listGroups,
  createGroup,
  getGroup,
  replaceGroup,
  patchGroup,
  deleteGroup,
];

/**
 * ANY /scim/v2/{proxy+}: a path no SCIM operation serves answers a SCIM 404 after the token is
 * checked (RFC 7644 §3.12), not API Gateway's `{"message":"Not Found"}` that IdPs cannot read.
 */
export const unknownScimPath = {
  method: 'ANY',
  path: `${scim}/{proxy+}`,
  handler: 'scim/unknown-scim-path',
  auth: { kind: 'scimToken' },
  limit: LIMITS.scim,
  // Nothing beyond what the pipeline reads: the token, its org and the rate limit.
  grants: { table: { access: 'read', families: [] } },
} satisfies FallbackOperation;
