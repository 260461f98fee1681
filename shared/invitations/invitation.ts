import type { Role } from '../roles.js';

export const INVITATION_STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** Where the invitation mail stands: queued with the change; the mailer records the outcome. */
export const DELIVERY_STATES = ['queued', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** The attributes the mailer writes on an invitation (and the only ones its IAM grant lets it update). */
export const DELIVERY_ATTRIBUTES = ['delivery', 'deliveryAt', 'deliveryError', 'deliverySendId'] as const;

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
  /** When the delivery state last changed (queued: when the mail was queued). */
  deliveryAt: string | null;
  /** A short reason when delivery failed; null otherwise. */
  deliveryError: string | null;
  /**
   * The outbox message of the current send: the mailer records its outcome only for this send,
   * so a resend's new mail is never overwritten by the old mail's result.
   */
  deliverySendId: string | null;
  /** SHA-256 of the live token; the raw token is never stored. */
  tokenHash: string;
  acceptedBy: string | null;
  /**
   * Bumped by every write but the mailer's delivery updates (which are conditioned on their
   * send instead), so recording a delivery never fails an admin's revoke or resend.
   */
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
    deliveryAt: i.deliveryAt,
    deliveryError: i.deliveryError,
  };
}
export type InvitationView = ReturnType<typeof invitationView>;

/** A pending invitation whose clock ran out is expired, whether or not the sweep has run. */
export const isOverdue = (i: Pick<Invitation, 'expiresAt'>, now: Date): boolean =>
  Date.parse(i.expiresAt) <= now.getTime();

/** The lifetime an org gives new and resent invitations. */
export const expiryFrom = (now: Date, ttlHours: number): string =>
  new Date(now.getTime() + ttlHours * 3600_000).toISOString();
