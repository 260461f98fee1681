import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey, orgKey, userKey } from '../data/keys.js';
import { membershipFromItem } from '../data/membership-repository.js';
import { orgFromItem } from '../data/org-repository.js';
import { userFromItem } from '../data/user-repository.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import type { Org } from '../orgs/org.js';
import { PLATFORM_ADMIN_GROUP, roleGrants, type Permission } from '../roles.js';
import type { User } from '../users/user.js';
import type { ApiEvent } from './types.js';

/** Who may call a route. */
export type AuthRequirement =
  /** No credentials. */
  | { kind: 'public' }
  /** Any signed-in identity, even one Roster has no record of yet. */
  | { kind: 'signedIn' }
  /** Members of the Cognito group platform_admin. */
  | { kind: 'platformAdmin' }
  /**
   * An active member of the path's org holding `permission` (any active member when omitted);
   * `selfParam` also admits the member the path names; `platformAdmin` admits operators.
   */
  | { kind: 'orgMember'; permission?: Permission; selfParam?: string; platformAdmin?: boolean };

/** The verified caller: identity claims plus what the table says of them. */
export interface Caller {
  userId: string;
  isPlatformAdmin: boolean;
  user: User | undefined;
  /** For org routes: the org (consistent read) and the caller's membership, if any. */
  org?: Org;
  membership?: Membership;
}

export type Authorized<A extends AuthRequirement> = A extends { kind: 'public' }
  ? undefined
  : A extends { kind: 'orgMember' }
    ? Caller & { org: Org }
    : Caller;

interface Claims {
  sub: string;
  issuedAtMs: number;
  groups: string[];
}

/**
 * The JWT's claims as API Gateway passes them (already verified there): numbers may arrive as
 * strings and `cognito:groups` as the string "[a b]" rather than an array.
 */
export function claimsOf(event: ApiEvent): Claims | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const iat = Number(claims.iat);
  const rawGroups = claims['cognito:groups'];
  const groups = Array.isArray(rawGroups)
    ? rawGroups.map(String)
    : typeof rawGroups === 'string'
      ? rawGroups.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean)
      : [];
  return { sub: claims.sub, issuedAtMs: Number.isFinite(iat) ? iat * 1000 : 0, groups };
}

/**
 * Authorization in one strongly consistent BatchGetItem: the caller's user record, and for
 * org routes the org and the caller's membership in it. The org id comes only from the path.
 */
export async function authorize<A extends AuthRequirement>(db: Database, event: ApiEvent, requirement: A): Promise<Authorized<A>> {
  if (requirement.kind === 'public') return undefined as Authorized<A>;
  const claims = claimsOf(event);
  if (!claims) throw new UnauthorizedError('unauthorized', 'A valid bearer token is required');
  const isPlatformAdmin = claims.groups.includes(PLATFORM_ADMIN_GROUP);
  if (requirement.kind === 'platformAdmin' && !isPlatformAdmin) throw new ForbiddenError('Only platform operators may do this', 'platform_admin_required');

  const orgId = requirement.kind === 'orgMember' ? event.pathParameters?.orgId : undefined;
  if (requirement.kind === 'orgMember' && !orgId) throw new ForbiddenError('No organization in the path');
  const keys = [userKey(claims.sub), ...(orgId ? [orgKey(orgId), membershipKey(orgId, claims.sub)] : [])];
  const items = await batchGetConsistent(db, keys);
  const find = (key: { PK: string; SK: string }) => items.find((i) => i.PK === key.PK && i.SK === key.SK);

  const userItem = find(userKey(claims.sub));
  const user = userItem ? userFromItem(userItem) : undefined;
  if (user?.sessionsRevokedAt && claims.issuedAtMs < Date.parse(user.sessionsRevokedAt)) {
    throw new UnauthorizedError('session_revoked', 'This session was ended; sign in again');
  }
  const caller: Caller = { userId: claims.sub, isPlatformAdmin, user };
  if (requirement.kind !== 'orgMember' || !orgId) return caller as Authorized<A>;

  const orgItem = find(orgKey(orgId));
  const membershipItem = find(membershipKey(orgId, claims.sub));
  const membership = membershipItem ? membershipFromItem(membershipItem) : undefined;
  const operatorAdmitted = requirement.platformAdmin === true && isPlatformAdmin;
  // Unknown org and foreign org answer alike, so org ids cannot be probed.
  if (!orgItem || (!membership && !operatorAdmitted)) throw new ForbiddenError('You are not a member of this organization', 'not_a_member');
  const org = orgFromItem(orgItem);
  if (!operatorAdmitted && membership) {
    if (membership.status !== 'active') throw new ForbiddenError(`Your membership is ${membership.status}`, 'membership_inactive');
    if (org.settings.mfaRequired && !user?.mfaEnabled) {
      throw new ForbiddenError('This organization requires multi-factor authentication; enrol a factor, then sign in again', 'mfa_enrollment_required');
    }
    const isSelf = requirement.selfParam !== undefined && event.pathParameters?.[requirement.selfParam] === claims.sub;
    if (requirement.permission && !isSelf && !roleGrants(membership.role, requirement.permission)) {
      throw new ForbiddenError('Your role does not allow this', 'insufficient_role');
    }
  }
  return { ...caller, org, ...(membership ? { membership } : {}) } as Authorized<A>;
}

async function batchGetConsistent(db: Database, keys: { PK: string; SK: string }[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let pending: { PK: string; SK: string }[] = keys;
  // Unprocessed keys are rare (throttling); retry them rather than answer on partial data.
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 5) throw new Error('BatchGetItem kept returning unprocessed keys');
    const out = await db.client.send(new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: pending, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[db.tableName] ?? []));
    pending = (out.UnprocessedKeys?.[db.tableName]?.Keys as { PK: string; SK: string }[] | undefined) ?? [];
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
  }
  return found;
}
