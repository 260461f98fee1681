import type { IdentityAction, Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import {
  createSsoConnectionBody,
  listSsoConnectionsQuery,
  ssoConnectionPage,
  ssoConnectionPathParams,
  ssoConnectionResponse,
  ssoDiscoveryBody,
  ssoDiscoveryResponse,
  updateSsoConnectionBody,
} from './schemas.js';
import { LIMITS } from '../limits.js';

/**
 * What the SSO connection functions, and only they, may do at the pool: manage its identity
 * providers and the SPA client's list of them (manage-connections.ts).
 */
export const SSO_CONNECTION_ACTIONS = [
  'cognito-idp:CreateIdentityProvider',
  'cognito-idp:UpdateIdentityProvider',
  'cognito-idp:DeleteIdentityProvider',
  'cognito-idp:DescribeIdentityProvider',
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
] as const satisfies readonly IdentityAction[];

const base = '/v1/orgs/{orgId}/sso-connections';
const manage = { kind: 'orgMember', permission: 'sso:manage' } as const;

export const listSsoConnections = {
  method: 'GET',
  handler: 'sso/list-sso-connections',
  path: base,
  summary: "List the org's SSO connections (client secrets are never returned)",
  auth: manage,
  params: orgPathParams,
  query: listSsoConnectionsQuery,
  response: { status: 200, schema: ssoConnectionPage },
  grants: { table: { access: 'read', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

export const createSsoConnection = {
  method: 'POST',
  handler: 'sso/create-sso-connection',
  path: base,
  summary: 'Create an SSO connection (OIDC or SAML) for verified domains of the org',
  auth: manage,
  params: orgPathParams,
  body: createSsoConnectionBody,
  // SAML metadata documents run to tens of kilobytes.
  maxBodyBytes: 256 * 1024,
  response: { status: 201, schema: ssoConnectionResponse },
  grants: {
    table: {
      access: 'readWrite',
      families: ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
    },
    identity: SSO_CONNECTION_ACTIONS,
  },
} satisfies Operation;

export const getSsoConnection = {
  method: 'GET',
  handler: 'sso/get-sso-connection',
  path: `${base}/{connectionId}`,
  summary: 'One SSO connection',
  auth: manage,
  params: ssoConnectionPathParams,
  response: { status: 200, schema: ssoConnectionResponse },
  grants: { table: { access: 'read', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

export const updateSsoConnection = {
  method: 'PATCH',
  handler: 'sso/update-sso-connection',
  path: `${base}/{connectionId}`,
  summary: 'Change an SSO connection (fields left out keep their value; a left-out clientSecret is kept)',
  auth: manage,
  params: ssoConnectionPathParams,
  body: updateSsoConnectionBody,
  maxBodyBytes: 256 * 1024,
  response: { status: 200, schema: ssoConnectionResponse },
  grants: {
    table: {
      access: 'readWrite',
      families: ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
    },
    identity: SSO_CONNECTION_ACTIONS,
  },
} satisfies Operation;

export const deleteSsoConnection = {
  method: 'DELETE',
  handler: 'sso/delete-sso-connection',
  path: `${base}/{connectionId}`,
  summary: 'Delete an SSO connection and its identity provider',
  auth: manage,
  params: ssoConnectionPathParams,
  response: { status: 204 },
  grants: {
    table: {
      access: 'readWrite',
      families: ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
    },
    identity: SSO_CONNECTION_ACTIONS,
  },
} satisfies Operation;

export const discoverSso = {
  method: 'POST',
  handler: 'sso/discover-sso',
  path: '/v1/sso/discovery',
  summary: "Where an email signs in: its domain's SSO connection (idpIdentifier) or a password; rate-limited per IP",
  auth: { kind: 'public' },
  body: ssoDiscoveryBody,
  response: { status: 200, schema: ssoDiscoveryResponse },
  limit: LIMITS.ssoDiscovery,
  grants: { table: { access: 'readWrite', families: ['ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const ssoOperations = [
  listSsoConnections,
  createSsoConnection,
  getSsoConnection,
  updateSsoConnection,
  deleteSsoConnection,
  discoverSso,
];
