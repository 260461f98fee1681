import type { Role } from '../roles.js';

export const INVITATION_STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** Where the invitation mail stands: queued with the change; the mailer records the outcome. */
export const DELIVERY_STATES = ['queued', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Invitation {
  orgId: string;
  invitationId: string;
  /** Normalized (trimmed, lower-case). */
  email: string;
  role: Role;
  teamId: string | null;
  message: string | null;
  status: InvitationStatus;
  invitedBy: { userId: string; email: string; name: string | null };
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  delivery: DeliveryState;
  /** SHA-256 of the live token; the raw token is never stored. */
  tokenHash: string;
  acceptedBy: string | null;
  /** Bumped by every write; writes are conditioned on the version read. */
  version: number;
}

/** The invitation as the admin API shows it: never the token nor its hash. */
export function invitationView(i: Invitation) {
  return {
    invitationId: i.invitationId,
    email: i.email,
    role: i.role,
    teamId: i.teamId,
    status: i.status,
    invitedBy: { userId: i.invitedBy.userId, email: i.invitedBy.email },
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    delivery: i.delivery,
  };
}
export type InvitationView = ReturnType<typeof invitationView>;

/** A pending invitation whose clock ran out is expired, whether or not the sweep has run. */
export const isOverdue = (i: Pick<Invitation, 'expiresAt'>, now: Date): boolean => Date.parse(i.expiresAt) <= now.getTime();

/** The lifetime an org gives new and resent invitations. */
export const expiryFrom = (now: Date, ttlHours: number): string => new Date(now.getTime() + ttlHours * 3600_000).toISOString();
