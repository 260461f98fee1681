import type * as z from 'zod/mini';
import type { PartitionFamily } from './data/keys.js';
import type { Permission } from './roles.js';
import type { SecretGrant } from './secrets/secrets-env.js';

/**
 * One API operation, declared once in its area (`shared/<area>/operations.ts`): the route table
 * (infra/routes.ts, read by CDK and the local server), the OpenAPI document and the function's
 * pipeline all read it. Pure data, types only here: operation files must stay free of side
 * effects so each function's bundle keeps only its own operation.
 */
export interface Operation {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/orgs/{orgId}`. */
  readonly path: string;
  /** Function module under functions/, without extension; it exports `handler`. Its file name is the operation id. */
  readonly handler: string;
  readonly summary: string;
  readonly auth: OperationAuth;
  readonly params?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  /** The JSON body (or, with `bodyContentType`, the documented body the function reads itself). */
  readonly body?: z.ZodMiniType;
  /** The body's media type when it is not JSON (the CSV upload: `text/csv`); the pipeline then leaves it to the function, as with `rawBody`. */
  readonly bodyContentType?: string;
  /** The JSON body may be left out: an absent or empty body reads as `{}` (every field optional; approving a join request). */
  readonly bodyOptional?: true;
  /** The function reads the body byte for byte (a signature over it): the pipeline neither parses nor validates it. */
  readonly rawBody?: true;
  /** Body cap in bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /**
   * What the OpenAPI document shows as the body when the function reads more leniently than it
   * documents: SCIM resources are validated as any JSON object and read attribute by attribute.
   */
  readonly documentedBody?: z.ZodMiniType;
  /** The success answer, 200 without a body when omitted (refusals are derived from the rest, see shared/api/openapi.ts). */
  readonly response?: { readonly status: number; readonly schema?: z.ZodMiniType; readonly contentType?: string };
  /** What the function is granted, and nothing more. */
  readonly grants: OperationGrants;
  /** The fair-use budget a request spends before the function runs (shared/limits.ts); none when omitted. */
  readonly limit?: OperationLimit;
}

/**
 * "At most `limit` requests per `windowSeconds`" for one org or one client, counted by the
 * pipeline with one conditional UpdateItem (shared/data/rate-limit.ts); past it, 429 with
 * Retry-After. HTTP APIs have no usage plans or WAF, so per-tenant fairness lives here.
 */
export interface OperationLimit {
  /**
   * Whose budget: `org` — the caller's org once authorized (the SCIM token's or API key's, else
   * the path's `orgId`), so one tenant's storm cannot starve another's; `source` — the client IP
   * API Gateway saw, counted before any credential is read (the public token routes).
   */
  readonly scope: 'org' | 'source';
  /** The budget's name: operations naming the same bucket share one count. */
  readonly bucket: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call an operation, checked by the pipeline (API Gateway checks the JWT first where there is one). */
export type OperationAuth =
  /** No credentials (the OpenAPI document, token-bearing links). */
  | { readonly kind: 'public' }
  /** Public; a bearer access token, when sent, is verified and the signed-in user is the caller (accepting an invitation). */
  | { readonly kind: 'optionalBearer' }
  /** HMAC-signed IdP webhook: public to the pipeline, the function checks the signature. */
  | { readonly kind: 'webhook' }
  /** Any signed-in identity, even one Roster has no record of yet. */
  | { readonly kind: 'signedIn' }
  /** Members of the Cognito group platform_admin. */
  | { readonly kind: 'platformAdmin' }
  /**
   * An active member of the path's org holding `permission` (any active member when omitted);
   * `selfParam` also admits the member the path names; `platformAdmin` admits operators;
   * `visitor` admits any signed-in person, member or not (asking to join), with no checks on
   * a membership they may hold. `targetParam` names the path parameter of the member the
   * operation acts on: the authorization's one BatchGetItem reads that member's membership and
   * user record too, so the operation starts with them (DESIGN.md section 5's round trips).
   */
  | {
      readonly kind: 'orgMember';
      readonly permission?: Permission;
      readonly selfParam?: string;
      readonly targetParam?: string;
      readonly platformAdmin?: boolean;
      readonly visitor?: boolean;
    }
  /** An org API key in the `x-api-key` header (public API); the org is the key's, never the path's. */
  | { readonly kind: 'apiKey' }
  /**
   * An org SCIM token as `Authorization: Bearer`; the org is the token's, never the path's. SCIM
   * media type and errors. `targetParam`: the path's user, whose user record the token's
   * BatchGetItem reads too (as orgMember's).
   */
  | { readonly kind: 'scimToken'; readonly targetParam?: string };

export interface OperationGrants {
  /**
   * Table access the function needs: `none`, or item reads (`read`) or reads and writes
   * (`readWrite`) narrowed to the partition-key families its use case touches, beyond what the
   * pipeline reads for the operation's auth and limit (shared/data/table-access.ts adds those).
   */
  readonly table: TableGrant;
  /** Identity-provider calls the function makes; none when omitted. */
  readonly identity?: readonly IdentityAction[];
  /** Access to the exports bucket: `presignExports` signs download links (s3:GetObject on the exports prefix). */
  readonly objectStore?: 'presignExports';
  /** The secrets key (shared/secrets): `seal` generates data keys (kms:GenerateDataKey), `open` decrypts them (kms:Decrypt), under one purpose's encryption context. */
  readonly secrets?: SecretGrant;
}

/**
 * What a function's IAM policy lets it touch in the table, declared with the function (its
 * operation object, its consumer entry in shared/async/consumers.ts, its trigger entry in
 * shared/identity/sign-in-triggers.ts): nothing, or item reads (and writes, `readWrite`) on the
 * partition-key families it names, which IAM narrows with `dynamodb:LeadingKeys` and the local
 * stack enforces (local/table-access-guard.ts). Families are required: a forgotten list does not
 * compile, it never widens to the whole table. The whole table (a function that scans: IAM cannot
 * narrow a Scan) must say why. Families are whole partitions: `ORG` is every item of an org, its
 * webhook config and SSO connections included (IAM sees no sort key).
 */
export type TableGrant =
  | 'none'
  | {
      readonly access: TableAccessLevel;
      readonly families: readonly PartitionFamily[];
      readonly wholeTable?: never;
    }
  | {
      readonly access: TableAccessLevel;
      /** Why no family list will do; no function needs this today. */
      readonly wholeTable: { readonly reason: string };
      readonly families?: never;
    };

/** Item reads (GetItem, BatchGetItem, Query, ConditionCheckItem), or those and item writes. No Scan either way. */
export type TableAccessLevel = 'read' | 'readWrite';

/** Cognito admin actions a function may call through the identity port. */
export type IdentityAction =
  | 'cognito-idp:AdminCreateUser'
  | 'cognito-idp:AdminGetUser'
  | 'cognito-idp:AdminDisableUser'
  | 'cognito-idp:AdminEnableUser'
  | 'cognito-idp:AdminUserGlobalSignOut'
  | 'cognito-idp:AdminSetUserPassword'
  | 'cognito-idp:AdminSetUserMFAPreference'
  | 'cognito-idp:AdminUpdateUserAttributes'
  | 'cognito-idp:AdminLinkProviderForUser'
  | 'cognito-idp:CreateIdentityProvider'
  | 'cognito-idp:UpdateIdentityProvider'
  | 'cognito-idp:DeleteIdentityProvider'
  | 'cognito-idp:DescribeIdentityProvider'
  | 'cognito-idp:ListIdentityProviders'
  | 'cognito-idp:DescribeUserPoolClient'
  | 'cognito-idp:UpdateUserPoolClient';

/**
 * A route API Gateway picks only when no operation matches the path: any method under a greedy
 * path variable (`{proxy+}`). No operation of the API (no OpenAPI entry, no bench scenario).
 */
export interface FallbackOperation extends Pick<Operation, 'path' | 'handler' | 'auth' | 'grants' | 'limit'> {
  readonly method: 'ANY';
}
