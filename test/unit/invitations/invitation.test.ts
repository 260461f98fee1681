import { describe, expect, it } from 'vitest';
import { invitationView, isOverdue, type Invitation } from '../../../shared/invitations/invitation.js';
import {
  invitationFromItem,
  invitationToItem,
  unusableError,
} from '../../../shared/invitations/invitation-repository.js';
import { pendingInvitation } from './fixtures.js';

const invitation = pendingInvitation({ message: 'Welcome', deliveryAt: '2026-01-01T00:00:00.000Z', version: 1 });

describe('invitation view', () => {
  it('shows the admin what they need and never the token hash, message or inviter name', () => {
    const view = invitationView(invitation);
    expect(view).toEqual({
      invitationId: 'inv-1',
      email: 'ann@acme.test',
      role: 'member',
      teamId: null,
      status: 'pending',
      invitedBy: { userId: 'u-1', email: 'admin@acme.test' },
      createdAt: '2026-11-23T10:00:00.000Z',
      expiresAt: '2026-11-30T10:00:00.000Z',
      delivery: 'queued',
      deliveryAt: '2026-01-01T00:00:00.000Z',
      deliveryError: null,
    });
    expect(JSON.stringify(view)).not.toContain('aaaa');
    expect(JSON.stringify(view)).not.toContain('send-1');
  });

  it('round-trips through its item, which is in the expiry index only while pending', () => {
    const item = invitationToItem(invitation);
    expect(invitationFromItem(item)).toEqual(invitation);
    expect(item).toMatchObject({
      GSI1PK: 'ORG#org-1#INV#pending',
      GSI2PK: 'ORG#org-1#INV',
      GSI3SK: '2026-11-30T10:00:00.000Z#org-1#inv-1',
    });
    const revoked = invitationToItem({ ...invitation, status: 'revoked' });
    expect(revoked.GSI1PK).toBe('ORG#org-1#INV#revoked');
    expect(revoked).not.toHaveProperty('GSI3PK');
  });
});

describe('what a link holder is told', () => {
  const now = new Date('2026-11-25T10:00:00.000Z');
  const codeOf = (i: Partial<Invitation> | undefined, hash = invitation.tokenHash, at = now) =>
    unusableError(i && { ...invitation, ...i }, hash, at)?.code;

  it('answers each unusable state distinctly', () => {
    expect(codeOf({})).toBeUndefined();
    expect(codeOf(undefined)).toBe('invalid_token');
    expect(codeOf({}, 'b'.repeat(64))).toBe('invalid_token');
    expect(codeOf({ status: 'accepted' })).toBe('invitation_used');
    expect(codeOf({ status: 'revoked' })).toBe('invitation_revoked');
    expect(codeOf({ status: 'expired' })).toBe('invitation_expired');
  });

  it('treats a pending invitation past its expiry as expired, before the sweep runs', () => {
    expect(codeOf({}, invitation.tokenHash, new Date(invitation.expiresAt))).toBe('invitation_expired');
    expect(isOverdue(invitation, new Date('2026-12-01T00:00:00.000Z'))).toBe(true);
  });
});
