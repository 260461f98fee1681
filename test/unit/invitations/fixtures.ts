import type { Invitation } from '../../../shared/invitations/invitation.js';

/** A pending invitation for unit tests; each test overrides what it is about. */
export function pendingInvitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    orgId: 'org-1',
    invitationId: 'inv-1',
    email: 'ann@acme.test',
    role: 'member',
    teamId: null,
    message: null,
    status: 'pending',
    invitedBy: { userId: 'u-1', email: 'admin@acme.test', name: 'Admin' },
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-30T10:00:00.000Z',
    delivery: 'queued',
    deliveryAt: '2026-11-23T10:00:00.000Z',
    deliveryError: null,
    deliverySendId: 'send-1',
    tokenHash: 'a'.repeat(64),
    acceptedBy: null,
    version: 3,
    ...overrides,
  };
}
