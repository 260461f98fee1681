import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey, orgKey, userKey } from '../data/keys.js';
import { membershipFromItem } from '../members/membership-repository.js';
import { orgFromItem } from '../orgs/org-repository.js';
import { recordPlatformOperator, userFromItem } from '../users/user-repository.js';
import type { Caller } from '../caller.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { ROSTER_USER_ID_CLAIM, rosterUserIdOf } from '../identity/identity-port.js';
import type { OperationAuth } from '../operation.js';
import type { Org } from '../orgs/org.js';
import type { Membership } from '../members/membership.js';
import type { User } from '../users/user.js';
import type { KnownAccount, KnownTarget } from '../members/end-access.js';
import { managingOrg } from '../users/account-management.js';
import {
  authenticateApiKey,
  authenticateScimToken,
  type ApiKeyCaller,
  type ScimCaller,
} from '../org-credential-authenticators.js';
import { PLATFORM_ADMIN_GROUP, roleGrants } from '../roles.js';
import { rejectRevokedSession } from '../users/session-revocation.js';
import { headerValue } from './parse.js';
import type { ApiEvent } from './types.js';

/** Who may call a route: the operation's `auth` (see shared/operation.ts). */
export type AuthRequirement = OperationAuth;

/** A bearer token sent to an `optionalBearer` route, for its use case to verify (API Gateway has not: the route is public). */
export interface BearerCaller {
  bearer: string;
  userId?: undefined;
  user?: undefined;
}

export type Authorized<A extends AuthRequirement> = A extends { kind: 'public' | 'webhook' }
  ? undefined
  : A extends { kind: 'optionalBearer' }
    ? BearerCaller | undefined
    : A extends { kind: 'apiKey' }
      ? ApiKeyCaller
      : A extends { kind: 'scimToken' }
        ? ScimCaller
        : A extends { kind: 'orgMember' }
          ? Caller & { org: Org; target?: TargetMember }
          : Caller;

/**
 * The member an operation acts on (its `targetParam`), as the authorization's strongly
 * consistent read found them: undefined items were not there. A change still conditions its
 * writes on the versions it read, so a target changed since is refused, not overwritten.
 */
export interface TargetMember {
  userId: string;
  membership: Membership | undefined;
  user: User | undefined;
}

interface Claims {
  sub: string;
  issuedAtMs: number;
  /** The precision of issuedAtMs: 1000 for Cognito's whole-second `iat`, 1 when the token carries milliseconds. */
  precisionMs: number;
  groups: string[];
  tokenUse: string | undefined;
}

/** Milliseconds of issue, where a token carries them (the local issuer's tokens do; Cognito's carry whole seconds only). */
export const ISSUED_AT_MS_CLAIM = 'roster_iat_ms';

/**
 * The JWT's claims as API Gateway passes them (already verified there): numbers may arrive as
 * strings and `cognito:groups` as the string "[a b]" rather than an array.
 */
export function claimsOf(event: ApiEvent): Claims | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  // The Roster user: the sub, or the user id claim of an identity created for an existing Roster user (lazy identities).
  const sub = claims && rosterUserIdOf(claims, ROSTER_USER_ID_CLAIM);
  if (!claims || !sub) return undefined;
  const iat = Number(claims.iat);
  const rawGroups = claims['cognito:groups'];
  const groups = Array.isArray(rawGroups)
    ? rawGroups.map(String)
    : typeof rawGroups === 'string'
      ? rawGroups
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  const iatMs = Number(claims[ISSUED_AT_MS_CLAIM]);
  const precise = Number.isFinite(iatMs) && iatMs > 0;
  const tokenUse = typeof claims.token_use === 'string' ? claims.token_use : undefined;
  return {
    sub,
    issuedAtMs: precise ? iatMs : Number.isFinite(iat) ? iat * 1000 : 0,
    precisionMs: precise ? 1 : 1000,
    groups,
    tokenUse,
  };
}

/**
 * Authorization in one strongly consistent BatchGetItem: the caller's user record, and for
 * org routes the org and the caller's membership in it. The org id comes only from the path.
 */
export async function authorize<A extends AuthRequirement>(
  db: Database,
  event: ApiEvent,
  requirement: A,
): Promise<Authorized<A>> {
  if (requirement.kind === 'public' || requirement.kind === 'webhook') return undefined as Authorized<A>;
  if (requirement.kind === 'optionalBearer') return optionalBearerOf(event) as Authorized<A>;
  if (requirement.kind === 'apiKey')
    return (await authenticateApiKey(db, headerValue(event, 'x-api-key'))) as Authorized<A>;
  if (requirement.kind === 'scimToken') {
    const targetId = targetIdOf(event, requirement.targetParam);
    return (await authenticateScimToken(db, bearerToken(event), targetId)) as Authorized<A>;
  }
  const claims = claimsOf(event);
  if (!claims) throw new UnauthorizedError('unauthorized', 'A valid bearer token is required');
  // An ID token is for the app, not an API credential (API Gateway's authorizer accepts both: its audience is the client id).
  if (claims.tokenUse !== 'access')
    throw new UnauthorizedError('access_token_required', 'Send the access token, not the ID token');
  const isPlatformAdmin = claims.groups.includes(PLATFORM_ADMIN_GROUP);
  if (requirement.kind === 'platformAdmin' && !isPlatformAdmin)
    throw new ForbiddenError('Only platform operators may do this', 'platform_admin_required');

  const orgId = requirement.kind === 'orgMember' ? event.pathParameters?.orgId : undefined;
  if (requirement.kind === 'orgMember' && !orgId) throw new ForbiddenError('No organization in the path');
  const targetId = requirement.kind === 'orgMember' ? targetIdOf(event, requirement.targetParam) : undefined;
  // The target's items, unless they are the caller's own (BatchGetItem refuses a key twice).
  const targetKeys =
    orgId && targetId && targetId !== claims.sub ? [membershipKey(orgId, targetId), userKey(targetId)] : [];
  const keys = [
    userKey(claims.sub),
    ...(orgId ? [orgKey(orgId), membershipKey(orgId, claims.sub)] : []),
    ...targetKeys,
  ];
  const items = await batchGetConsistent(db, keys);
  const find = (key: { PK: string; SK: string }) => items.find((i) => i.PK === key.PK && i.SK === key.SK);

  const userItem = find(userKey(claims.sub));
  const user = userItem ? userFromItem(userItem) : undefined;
  rejectRevokedSession(user, claims.issuedAtMs, claims.precisionMs);
  // The first time their token says so.
  if (isPlatformAdmin && user && !user.platformOperator) await recordPlatformOperator(db, claims.sub);
  const caller: Caller = { userId: claims.sub, isPlatformAdmin, user };
  if (requirement.kind !== 'orgMember' || !orgId) return caller as Authorized<A>;

  const orgItem = find(orgKey(orgId));
  const membershipItem = find(membershipKey(orgId, claims.sub));
  const membership = membershipItem ? membershipFromItem(membershipItem) : undefined;
  const operatorAdmitted = requirement.platformAdmin === true && isPlatformAdmin;
  // Unknown org and foreign org answer alike, so org ids cannot be probed.
  if (!orgItem || (!membership && !operatorAdmitted && !requirement.visitor))
    throw new ForbiddenError('You are not a member of this organization', 'not_a_member');
  const org = orgFromItem(orgItem);
  if (!operatorAdmitted && !requirement.visitor && membership) {
    // Sessions ended in this org only (revoke-sessions of an account the org does not manage).
    rejectRevokedSession(membership, claims.issuedAtMs, claims.precisionMs);
    if (membership.status !== 'active')
      throw new ForbiddenError(`Your membership is ${membership.status}`, 'membership_inactive');
    if (org.settings.mfaRequired && !user?.mfaEnabled) {
      throw new ForbiddenError(
        'This organization requires multi-factor authentication; enrol a factor, then sign in again',
        'mfa_enrollment_required',
      );
    }
    const isSelf = requirement.selfParam !== undefined && event.pathParameters?.[requirement.selfParam] === claims.sub;
    if (requirement.permission && !isSelf && !roleGrants(org.customRoles, membership.role, requirement.permission)) {
      throw new ForbiddenError('Your role does not allow this', 'insufficient_role');
    }
  }
  const target: TargetMember | undefined =
    targetId === undefined
      ? undefined
      : {
          userId: targetId,
          membership: itemOf(find(membershipKey(orgId, targetId)), membershipFromItem),
          user: itemOf(find(userKey(targetId)), userFromItem),
        };
  return { ...caller, org, ...(membership ? { membership } : {}), ...(target ? { target } : {}) } as Authorized<A>;
}

/** The target the authorization read, as the use cases take it (undefined when the operation names none). */
export function knownTarget(caller: { org: Org; target?: TargetMember }): KnownTarget | undefined {
  return caller.target
    ? { org: managingOrg(caller.org), membership: caller.target.membership, user: caller.target.user }
    : undefined;
}

/** The org and the target's user record a SCIM token's read found (a SCIM change reads the membership itself). */
export function knownAccount(caller: ScimCaller): KnownAccount | undefined {
  return caller.target ? { org: managingOrg(caller.org), user: caller.target.user } : undefined;
}

/**
 * The path's target id, when it can be an id Roster issued: authorization runs before the
 * path is validated, and a key DynamoDB would refuse (too long) must not fail the read of the
 * caller's own items. Anything else is left to the operation (whose validation answers 400).
 */
function targetIdOf(event: ApiEvent, param: string | undefined): string | undefined {
  const value = param ? event.pathParameters?.[param] : undefined;
  return value !== undefined && ISSUED_ID.test(value) ? value : undefined;
}

const ISSUED_ID = /^[A-Za-z0-9-]{1,128}$/;

const itemOf = <T>(item: Record<string, unknown> | undefined, from: (item: Record<string, unknown>) => T) =>
  item ? from(item) : undefined;

/** No Authorization header: no caller; one that is not `Bearer <token>`: 401. */
function optionalBearerOf(event: ApiEvent): BearerCaller | undefined {
  if (headerValue(event, 'authorization') === undefined) return undefined;
  const bearer = bearerToken(event);
  if (!bearer)
    throw new UnauthorizedError('invalid_access_token', 'The Authorization header must be "Bearer <access token>"');
  return { bearer };
}

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export function bearerToken(event: ApiEvent): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headerValue(event, 'authorization') ?? '')?.[1];
}
