import { ADMIN_ROLE, roleManagesOrg, type CustomRoles, type Role } from '../roles.js';

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
  /**
   * The member's role is a custom role holding `org:manage` (org_admin is known by its key): counted
   * as an admin by last-admin protection. Set with the role (withRole); a role in use never gains
   * or loses `org:manage` (shared/roles/role-repository.ts), so it stays true to the role.
   */
  managesOrg?: true;
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

/** The membership given `role`, with the admin mark that goes with it in an org with these custom roles. */
export function withRole<M extends Pick<Membership, 'role' | 'managesOrg'>>(
  m: M,
  role: Role,
  customRoles: CustomRoles | undefined,
): M {
  const { managesOrg: _dropped, ...rest } = m;
  const custom = role !== ADMIN_ROLE && roleManagesOrg(customRoles, role);
  return { ...rest, role, ...(custom ? { managesOrg: true as const } : {}) } as M;
}

/** Whether the membership's role holds `org:manage` (its holders are the org's admins). */
export const holdsOrgManage = (m: Pick<Membership, 'role' | 'managesOrg'>): boolean =>
  m.role === ADMIN_ROLE || m.managesOrg === true;
