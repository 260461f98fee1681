import type { Role } from '../roles.js';

export const MEMBERSHIP_STATUSES = ['active', 'suspended', 'deprovisioned'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const MEMBERSHIP_SOURCES = ['manual', 'invitation', 'join_request', 'scim', 'sso'] as const;
export type MembershipSource = (typeof MEMBERSHIP_SOURCES)[number];

export interface Membership {
  orgId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  status: MembershipStatus;
  source: MembershipSource;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  /** The member's last authorized request in this org, recorded at most hourly (members/last-active.ts). */
  lastActiveAt: string | null;
  /** Bumped by every write (sign-in included); writes are conditioned on the version read. */
  version: number;
  /**
   * The IdP deleted this member's SCIM User while the org keeps the membership (deleteAction
   * `deprovision`): SCIM answers 404 for it and lists it nowhere (RFC 7644 §3.6), and a later
   * POST /Users of the person provisions them again. Absent otherwise.
   */
  scimDeleted?: true;
  /** A new address waiting for its owner to confirm it (an email change outside the org's verified domains). */
  pendingEmail?: string | null;
  /** Tokens issued before this instant are refused in this org only (revoke-sessions of an account the org does not manage). */
  sessionsRevokedAt?: string | null;
}

/** A membership as it is first written: version 1, never signed in, created and updated `now`. */
export function newMembership(
  fields: Pick<Membership, 'orgId' | 'userId' | 'name' | 'email' | 'role' | 'teamId' | 'source'> & {
    status?: MembershipStatus;
  },
  now: Date,
): Membership {
  const at = now.toISOString();
  return {
    ...fields,
    status: fields.status ?? 'active',
    createdAt: at,
    updatedAt: at,
    lastLoginAt: null,
    lastActiveAt: null,
    version: 1,
    pendingEmail: null,
    sessionsRevokedAt: null,
  };
}

/** Only active members hold a seat (pending invitations hold the rest). */
export const holdsSeat = (m: Pick<Membership, 'status'>): boolean => m.status === 'active';

export function membershipView(m: Membership) {
  return {
    orgId: m.orgId,
    userId: m.userId,
    name: m.name,
    email: m.email,
    role: m.role,
    teamId: m.teamId,
    status: m.status,
    source: m.source,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    lastLoginAt: m.lastLoginAt,
    lastActiveAt: m.lastActiveAt,
    pendingEmail: m.pendingEmail ?? null,
  };
}
