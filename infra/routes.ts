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
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/openapi.json', handler: 'meta/get-openapi', auth: 'public', table: 'none' },
  { method: 'GET', path: '/v1/me', handler: 'me/get-me', auth: 'jwt', table: 'read' },
  {
    method: 'POST',
    path: '/v1/orgs',
    handler: 'orgs/create-org',
    auth: 'jwt',
    table: 'readWrite',
    identity: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser'],
  },
  { method: 'GET', path: '/v1/orgs/{orgId}', handler: 'orgs/get-org', auth: 'jwt', table: 'read' },
  { method: 'PATCH', path: '/v1/orgs/{orgId}', handler: 'orgs/update-org', auth: 'jwt', table: 'readWrite' },
];

/** Routes API Gateway must not put behind the JWT authorizer. */
export const SELF_AUTHENTICATED: readonly RouteAuth[] = ['public', 'apiKey', 'scim', 'webhook'];
