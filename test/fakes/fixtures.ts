import { DEFAULT_ORG_SETTINGS, type Org } from '../../shared/orgs/org.js';
import type { Membership } from '../../shared/members/membership.js';
import type { User } from '../../shared/users/user.js';
import type { AuditContext } from '../../shared/audit/audit-event.js';

const AT = '2026-11-01T09:00:00.000Z';

/** An org for rule tests; counters as given (a test arranges them to agree with its memberships). */
export function anOrg(orgId: string, overrides: Partial<Org> = {}): Org {
  return {
    orgId,
    name: `Org ${orgId}`,
    maxSeats: 10,
    seatsUsed: 0,
    activeAdminCount: 0,
    memberCount: 0,
    scimDeletedCount: 0,
    settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: [] },
    customRoles: {},
    rolesVersion: 0,
    roleHolders: {},
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export function aUser(userId: string, overrides: Partial<User> = {}): User {
  return {
    userId,
    email: `${userId}@example.test`,
    name: userId,
    authSource: { kind: 'password' },
    mfaEnabled: false,
    sessionsRevokedAt: null,
    lastLoginAt: null,
    createdAt: AT,
    updatedAt: AT,
    createdByOrgId: null,
    platformOperator: false,
    ...overrides,
  };
}

export function aMembership(orgId: string, userId: string, overrides: Partial<Membership> = {}): Membership {
  return {
    orgId,
    userId,
    name: userId,
    email: `${userId}@example.test`,
    role: 'member',
    teamId: null,
    status: 'active',
    source: 'manual',
    createdAt: AT,
    updatedAt: AT,
    lastLoginAt: null,
    lastActiveAt: null,
    version: 1,
    pendingEmail: null,
    sessionsRevokedAt: null,
    ...overrides,
  };
}

/** An admin's request at `now`. */
export function anAudit(now: Date, actorId = 'admin'): AuditContext {
  return { actor: { type: 'user', id: actorId, email: null }, ip: null, userAgent: null, requestId: 'req', now };
}
