import { FALLBACK_OPERATIONS, OPERATIONS } from '../shared/api/operations.js';
import type { FallbackOperation, IdentityAction, Operation, OperationAuth, TableGrant } from '../shared/operation.js';
import type { SecretGrant } from '../shared/secrets/secrets-env.js';
import { operationTableGrant } from '../shared/data/table-access.js';

export type { IdentityAction };

/**
 * Every HTTP route as one data table: method, path, handler module, auth kind and the access
 * its function is granted, read off the operation objects (shared/<area>/operations.ts, listed
 * in shared/api/operations.ts): nothing here is declared a second time. The CDK API stack and
 * the local server both walk it, and a test checks each row (authorizer present unless the
 * route authenticates itself). No CDK import, so the local server can load it.
 */
export type RouteAuth =
  /** Cognito JWT checked by API Gateway's authorizer, then the pipeline's membership checks. */
  | 'jwt'
  /** No credentials (OpenAPI document, token-bearing links, accepting an invitation with an optional bearer). */
  | 'public'
  /** Org API key in `x-api-key`, checked by the pipeline. */
  | 'apiKey'
  /** Org SCIM bearer token, checked by the pipeline. */
  | 'scim'
  /** HMAC-signed IdP webhook, checked by the function. */
  | 'webhook';

export interface RouteDefinition {
  readonly method: Operation['method'];
  /** API Gateway path syntax: `/v1/orgs/{orgId}`. */
  readonly path: string;
  /** Handler module under functions/, without extension; it exports `handler`. */
  readonly handler: string;
  readonly auth: RouteAuth;
  /**
   * Table access the function is granted: none, or item reads (and writes) narrowed to the
   * partition-key families of its operation and of the pipeline (shared/data/table-access.ts).
   */
  readonly table: TableGrant;
  /** Identity-provider calls the function makes; none when omitted. */
  readonly identity?: readonly IdentityAction[];
  /** Access to the exports bucket: `presignExports` signs download links (s3:GetObject on the exports prefix). */
  readonly objectStore?: 'presignExports';
  /** The secrets key: `seal` (kms:GenerateDataKey) or `open` (kms:Decrypt), under its purpose's encryption context. */
  readonly secrets?: SecretGrant;
}

/** What API Gateway checks before the function: a JWT for every signed-in kind, nothing where the pipeline or function authenticates. */
export function routeAuthOf(auth: OperationAuth): RouteAuth {
  switch (auth.kind) {
    case 'public':
    case 'optionalBearer':
      return 'public';
    case 'webhook':
      return 'webhook';
    case 'apiKey':
      return 'apiKey';
    case 'scimToken':
      return 'scim';
    case 'signedIn':
    case 'platformAdmin':
    case 'orgMember':
      return 'jwt';
  }
}

function routeOf<O extends Operation | FallbackOperation>(op: O): Omit<RouteDefinition, 'method'> & Pick<O, 'method'> {
  return {
    method: op.method,
    path: op.path,
    handler: op.handler,
    auth: routeAuthOf(op.auth),
    table: operationTableGrant(op),
    ...(op.grants.identity ? { identity: op.grants.identity } : {}),
    ...(op.grants.objectStore ? { objectStore: op.grants.objectStore } : {}),
    ...(op.grants.secrets ? { secrets: op.grants.secrets } : {}),
  };
}

export const ROUTES: readonly RouteDefinition[] = OPERATIONS.map(routeOf);

/**
 * A route API Gateway picks only when no row of ROUTES matches the path: any method under a
 * greedy path variable (`{proxy+}`). Kept out of ROUTES: it is no operation of the API
 * (no OpenAPI entry, no bench scenario).
 */
export interface FallbackRouteDefinition extends Omit<RouteDefinition, 'method'> {
  readonly method: 'ANY';
}

export const FALLBACK_ROUTES: readonly FallbackRouteDefinition[] = FALLBACK_OPERATIONS.map(routeOf);

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
