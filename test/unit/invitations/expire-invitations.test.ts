import { describe, expect, it } from 'vitest';
import { invitationExpiryPartition } from '../../../shared/data/keys.js';
import { expiredVersionOf, overdueRange } from '../../../shared/invitations/expire-invitations.js';
import type { Invitation } from '../../../shared/invitations/invitation.js';
import { invitationToItem } from '../../../shared/invitations/invitation-repository.js';
import { pendingInvitation } from './fixtures.js';

const invitation = pendingInvitation({
  orgId: '3f1c2a9e-5b7d-4e2a-9c41-8d2f6b1e7a30',
  invitationId: '9b2d4f61-8c3e-4a7b-b5d2-1e6f0a9c3d84',
  deliveryAt: null,
  deliverySendId: null,
});

/** Whether the sweep's Query range at `now` holds the invitation's expiry index entry. */
function inRange(i: Invitation, now: Date): boolean {
  const item = invitationToItem(i);
  const { partition, between } = overdueRange(now);
  const sk = item.GSI3SK as string | undefined;
  return item.GSI3PK === partition && sk !== undefined && sk >= between[0] && sk <= between[1];
}

describe('overdueRange', () => {
  it('reads the expiry index partition the invitation items are written to', () => {
    expect(overdueRange(new Date()).partition).toBe(invitationExpiryPartition(0));
  });

  it('holds invitations due before or exactly at now, and none due a millisecond later', () => {
    const due = Date.parse(invitation.expiresAt);
    expect(inRange(invitation, new Date(due + 3600_000))).toBe(true);
    expect(inRange(invitation, new Date(due))).toBe(true);
    expect(inRange(invitation, new Date(due - 1))).toBe(false);
  });

  it('never holds an invitation that is not pending: it has no expiry index entry', () => {
    for (const status of ['accepted', 'expired', 'revoked'] as const)
      expect(inRange({ ...invitation, status }, new Date('2030-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('expiredVersionOf', () => {
  const later = new Date('2026-12-01T00:00:00.000Z');

  it('marks an overdue pending invitation expired at now, keeping everything else', () => {
    expect(expiredVersionOf(invitation, later)).toEqual({
      ...invitation,
      status: 'expired',
      updatedAt: later.toISOString(),
    });
  });

  it('leaves alone what a resend moved forward, what is gone, and what is no longer pending', () => {
    expect(expiredVersionOf(invitation, new Date('2026-11-30T09:59:59.999Z'))).toBeUndefined();
    expect(expiredVersionOf(undefined, later)).toBeUndefined();
    for (const status of ['accepted', 'expired', 'revoked'] as const)
      expect(expiredVersionOf({ ...invitation, status }, later)).toBeUndefined();
  });
});
