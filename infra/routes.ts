/**
 * Every HTTP route as one data table: method, path, handler module, auth kind and the access
 * its function is granted. The CDK API stack and the local server both walk it, and a test
 * checks each row (authorizer present unless the route authenticates itself).
 * Pure data: no CDK import, so the local server can load it.
 */
export type RouteAuth =
  /** Cognito JWT checked by API Gateway's authorizer, then the pipeline's membership checks. */
  | 'jwt'
  /** No credentials (OpenAPI document, token-bearing links). */
  | 'public'
  /** Org API key in `x-api-key`, checked by the pipeline. */
  | 'apiKey'
  /** Org SCIM bearer token, checked by the pipeline. */
  | 'scim'
  /** HMAC-signed IdP webhook, checked by the pipeline. */
  | 'webhook';

/** Cognito admin actions a function may call through the identity port. */
export type IdentityAction =
  | 'cognito-idp:AdminCreateUser'
  | 'cognito-idp:AdminGetUser'
  | 'cognito-idp:AdminDisableUser'
  | 'cognito-idp:AdminEnableUser'
  | 'cognito-idp:AdminUserGlobalSignOut'
  | 'cognito-idp:AdminSetUserPassword'
  | 'cognito-idp:AdminSetUserMFAPreference'
  | 'cognito-idp:AdminUpdateUserAttributes';

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `/v1/orgs/{orgId}`. */
  readonly path: string;
  /** Handler module under functions/, without extension; it exports `handler`. */
  readonly handler: string;
  readonly auth: RouteAuth;
  /** Table access the function needs. */
  readonly table: 'read' | 'readWrite' | 'none';
  /** Identity-provider calls the function makes; none when omitted. */
  readonly identity?: readonly IdentityAction[];
  /** Access to the exports bucket: `presignExports` signs download links (s3:GetObject on the exports prefix). */
  readonly objectStore?: 'presignExports';
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/openapi.json', handler: 'meta/get-openapi', auth: 'public', table: 'none' },
  { method: 'GET', path: '/v1/me', handler: 'me/get-me', auth: 'jwt', table: 'read' },
  { method: 'DELETE', path: '/v1/me/memberships/{orgId}', handler: 'me/leave-org', auth: 'jwt', table: 'readWrite' },
  {
    method: 'POST',
    path: '/v1/orgs',
    handler: 'orgs/create-org',
    auth: 'jwt',
    table: 'readWrite',
  },
  { method: 'GET', path: '/v1/orgs/{orgId}', handler: 'orgs/get-org', auth: 'jwt', table: 'read' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}', handler: 'orgs/update-org', auth: 'jwt', table: 'readWrite' },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/mail/redrive',
    handler: 'mail/redrive-mail',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/seats/reconcile',
    handler: 'orgs/reconcile-seats',
    auth: 'jwt',
    table: 'readWrite',
  },

  { method: 'GET', path: '/v1/orgs/{orgId}/members', handler: 'members/list-members', auth: 'jwt', table: 'read' },
  { method: 'POST', path: '/v1/orgs/{orgId}/members', handler: 'members/add-member', auth: 'jwt', table: 'readWrite' },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/members/export',
    handler: 'members/export-members',
    auth: 'jwt',
    table: 'read',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/member-exports',
    handler: 'exports/request-member-export',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/member-exports/{exportId}',
    handler: 'exports/get-member-export',
    auth: 'jwt',
    table: 'read',
    objectStore: 'presignExports',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/bulk-role',
    handler: 'members/bulk-change-role',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/members/{userId}',
    handler: 'members/get-member',
    auth: 'jwt',
    table: 'read',
  },
  {
    method: 'PUT',
    path: '/v1/orgs/{orgId}/members/{userId}',
    handler: 'members/replace-member',
    auth: 'jwt',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUpdateUserAttributes'],
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/members/{userId}',
    handler: 'members/remove-member',
    auth: 'jwt',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/{userId}/suspend',
    handler: 'members/suspend-member',
    auth: 'jwt',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/{userId}/reactivate',
    handler: 'members/reactivate-member',
    auth: 'jwt',
    table: 'readWrite',
  },

  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/{userId}/revoke-sessions',
    handler: 'credentials/revoke-sessions',
    auth: 'jwt',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/{userId}/reset-password',
    handler: 'credentials/reset-password',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/members/{userId}/reset-mfa',
    handler: 'credentials/reset-mfa',
    auth: 'jwt',
    table: 'readWrite',
    identity: ['cognito-idp:AdminSetUserMFAPreference', 'cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'POST',
    path: '/v1/password-resets',
    handler: 'credentials/forgot-password',
    auth: 'public',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/password-resets/{token}',
    handler: 'credentials/complete-password-reset',
    auth: 'public',
    table: 'readWrite',
    identity: [
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminUserGlobalSignOut',
      'cognito-idp:AdminUpdateUserAttributes',
    ],
  },
  {
    method: 'POST',
    path: '/v1/email-confirmations/{token}',
    handler: 'credentials/confirm-email-change',
    auth: 'public',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUpdateUserAttributes'],
  },

  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/join-requests',
    handler: 'join-requests/request-to-join',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/join-requests',
    handler: 'join-requests/list-join-requests',
    auth: 'jwt',
    table: 'read',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/join-requests/{requestId}/approve',
    handler: 'join-requests/approve-join-request',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/join-requests/{requestId}/reject',
    handler: 'join-requests/reject-join-request',
    auth: 'jwt',
    table: 'readWrite',
  },

  { method: 'GET', path: '/v1/orgs/{orgId}/teams', handler: 'teams/list-teams', auth: 'jwt', table: 'read' },
  { method: 'POST', path: '/v1/orgs/{orgId}/teams', handler: 'teams/create-team', auth: 'jwt', table: 'readWrite' },
  {
    method: 'PUT',
    path: '/v1/orgs/{orgId}/teams/{teamId}',
    handler: 'teams/update-team',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/teams/{teamId}',
    handler: 'teams/delete-team',
    auth: 'jwt',
    table: 'readWrite',
  },

  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/invitations',
    handler: 'invitations/list-invitations',
    auth: 'jwt',
    table: 'read',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/invitations',
    handler: 'invitations/create-invitations',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/invitations/{invitationId}/resend',
    handler: 'invitations/resend-invitation',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/invitations/{invitationId}',
    handler: 'invitations/revoke-invitation',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/v1/invitations/{token}',
    handler: 'invitations/preview-invitation',
    auth: 'public',
    table: 'read',
  },
  {
    method: 'POST',
    path: '/v1/invitations/{token}/accept',
    handler: 'invitations/accept-invitation',
    auth: 'public',
    table: 'readWrite',
    identity: [
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminUpdateUserAttributes',
    ],
  },

  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/imports',
    handler: 'imports/create-import',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/imports/{importId}',
    handler: 'imports/get-import',
    auth: 'jwt',
    table: 'read',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/imports/{importId}/commit',
    handler: 'imports/commit-import',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/imports/{importId}/cancel',
    handler: 'imports/cancel-import',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/imports/{importId}/report',
    handler: 'imports/get-import-report',
    auth: 'jwt',
    table: 'read',
  },

  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/audit-events',
    handler: 'audit/list-audit-events',
    auth: 'jwt',
    table: 'read',
  },

  { method: 'GET', path: '/v1/orgs/{orgId}/api-keys', handler: 'api-keys/list-api-keys', auth: 'jwt', table: 'read' },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/api-keys',
    handler: 'api-keys/create-api-key',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/api-keys/{keyId}',
    handler: 'api-keys/revoke-api-key',
    auth: 'jwt',
    table: 'readWrite',
  },
  { method: 'GET', path: '/api/public/v1/org', handler: 'public/get-public-org', auth: 'apiKey', table: 'read' },

  { method: 'GET', path: '/v1/orgs/{orgId}/scim-tokens', handler: 'scim/list-scim-tokens', auth: 'jwt', table: 'read' },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/scim-tokens',
    handler: 'scim/create-scim-token',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/scim-tokens/{tokenId}',
    handler: 'scim/revoke-scim-token',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'GET',
    path: '/scim/v2/ServiceProviderConfig',
    handler: 'scim/get-service-provider-config',
    auth: 'scim',
    table: 'read',
  },
  { method: 'GET', path: '/scim/v2/ResourceTypes', handler: 'scim/list-resource-types', auth: 'scim', table: 'read' },
  { method: 'GET', path: '/scim/v2/Schemas', handler: 'scim/list-schemas', auth: 'scim', table: 'read' },
  { method: 'GET', path: '/scim/v2/Schemas/{id}', handler: 'scim/get-schema', auth: 'scim', table: 'read' },
  {
    method: 'GET',
    path: '/scim/v2/ResourceTypes/{id}',
    handler: 'scim/get-resource-type',
    auth: 'scim',
    table: 'read',
  },
  { method: 'GET', path: '/scim/v2/Users', handler: 'scim/list-users', auth: 'scim', table: 'read' },
  { method: 'POST', path: '/scim/v2/Users', handler: 'scim/create-user', auth: 'scim', table: 'readWrite' },
  { method: 'GET', path: '/scim/v2/Users/{id}', handler: 'scim/get-user', auth: 'scim', table: 'read' },
  {
    method: 'PUT',
    path: '/scim/v2/Users/{id}',
    handler: 'scim/replace-user',
    auth: 'scim',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'PATCH',
    path: '/scim/v2/Users/{id}',
    handler: 'scim/patch-user',
    auth: 'scim',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'DELETE',
    path: '/scim/v2/Users/{id}',
    handler: 'scim/delete-user',
    auth: 'scim',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
  { method: 'GET', path: '/scim/v2/Groups', handler: 'scim/list-groups', auth: 'scim', table: 'read' },
  { method: 'POST', path: '/scim/v2/Groups', handler: 'scim/create-group', auth: 'scim', table: 'readWrite' },
  { method: 'GET', path: '/scim/v2/Groups/{id}', handler: 'scim/get-group', auth: 'scim', table: 'read' },
  { method: 'PUT', path: '/scim/v2/Groups/{id}', handler: 'scim/replace-group', auth: 'scim', table: 'readWrite' },
  { method: 'PATCH', path: '/scim/v2/Groups/{id}', handler: 'scim/patch-group', auth: 'scim', table: 'readWrite' },
  { method: 'DELETE', path: '/scim/v2/Groups/{id}', handler: 'scim/delete-group', auth: 'scim', table: 'readWrite' },

  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/webhook-secret',
    handler: 'webhooks/rotate-webhook-secret',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'PUT',
    path: '/v1/orgs/{orgId}/webhook-config',
    handler: 'webhooks/update-webhook-config',
    auth: 'jwt',
    table: 'readWrite',
  },
  {
    method: 'POST',
    path: '/v1/webhooks/idp/{orgId}',
    handler: 'webhooks/receive-idp-event',
    auth: 'webhook',
    table: 'readWrite',
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
  {
    method: 'GET',
    path: '/v1/webhooks/idp/{orgId}',
    handler: 'webhooks/verify-okta-hook',
    auth: 'webhook',
    table: 'read',
  },
];

/**
 * A route API Gateway picks only when no row of ROUTES matches the path: any method under a
 * greedy path variable (`{proxy+}`). Kept out of ROUTES: it is no operation of the API
 * (no OpenAPI entry, no bench scenario).
 */
export interface FallbackRouteDefinition extends Omit<RouteDefinition, 'method'> {
  readonly method: 'ANY';
}

export const FALLBACK_ROUTES: readonly FallbackRouteDefinition[] = [
  // Unknown SCIM paths answer a SCIM error (RFC 7644 §3.12) rather than API Gateway's
  // `{"message":"Not Found"}`, which IdPs' suites and clients cannot read.
  { method: 'ANY', path: '/scim/v2/{proxy+}', handler: 'scim/unknown-scim-path', auth: 'scim', table: 'read' },
];

/** Routes API Gateway must not put behind the JWT authorizer. */
export const SELF_AUTHENTICATED: readonly RouteAuth[] = ['public', 'apiKey', 'scim', 'webhook'];

/**
 * The scope every `jwt` route requires at API Gateway: Cognito puts it in the `scope` of the
 * access tokens of a user-pool sign-in, and an ID token has no `scope` at all. The JWT
 * authorizer's audience check cannot tell the two apart (an ID token's `aud` and an access
 * token's `client_id` are the same app client id), so without a required scope API Gateway
 * would pass ID tokens. A future OAuth (hosted UI, SSO) app client must allow this scope.
 */
export const API_ACCESS_SCOPE = 'aws.cognito.signin.user.admin';
