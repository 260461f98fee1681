import { describe, expect, it } from 'vitest';
import type { Database } from '../../../shared/data/dynamo-client.js';
import {
  acceptInvitationStep,
  invitationTokenFromItem,
  pendingInvitationWriteStep,
} from '../../../shared/invitations/invitation-repository.js';
import { pendingInvitation } from './fixtures.js';

// Builds requests only; nothing here sends one.
const db = { tableName: 't', client: undefined } as unknown as Database;

const pending = pendingInvitation();

function updateOf(step: ReturnType<typeof pendingInvitationWriteStep>) {
  const update = step.item.Update;
  if (!update) throw new Error('expected an Update');
  const names = Object.values(update.ExpressionAttributeNames ?? {});
  return { update, names };
}

describe('invitation writes', () => {
  it('a revoke or expiry updates everything but the delivery fields, at the version read, and leaves the expiry index', () => {
    const { update, names } = updateOf(pendingInvitationWriteStep(db, { ...pending, status: 'revoked' }, 3));
    expect(update.ConditionExpression).toBe('#status = :pending AND version = :seen');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':seen': 3 });
    expect(names).toEqual(expect.arrayContaining(['status', 'version', 'GSI1PK', 'GSI2PK']));
    for (const field of ['delivery', 'deliveryAt', 'deliveryError', 'deliverySendId', 'PK', 'SK'])
      expect(names).not.toContain(field);
    expect(update.UpdateExpression).toMatch(/ REMOVE GSI3PK, GSI3SK$/);
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toContain('ORG#org-1#INV#revoked');
  });

  it('a resend starts a new send: it writes the delivery fields too, and keeps the expiry index', () => {
    const { update, names } = updateOf(
      pendingInvitationWriteStep(db, { ...pending, deliverySendId: 'send-2' }, 3, undefined, undefined, {
        delivery: true,
      }),
    );
    expect(names).toEqual(expect.arrayContaining(['delivery', 'deliverySendId', 'GSI3PK', 'GSI3SK']));
    expect(update.UpdateExpression).not.toContain('REMOVE');
  });

  it('accept is conditioned on pending, this token and the clock, moves the list key and drops the expiry key', () => {
    const step = acceptInvitationStep(
      db,
      { orgId: 'org-1', invitationId: 'inv-1', tokenHash: 'h', acceptedBy: 'u-9' },
      new Date('2026-11-24T00:00:00.000Z'),
      () => {
        throw new Error('unused');
      },
    );
    const update = step.item.Update!;
    expect(update.ConditionExpression).toBe('#status = :pending AND tokenHash = :hash AND expiresAt > :now');
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':hash': 'h',
      ':now': '2026-11-24T00:00:00.000Z',
      ':list': 'ORG#org-1#INV#accepted',
      ':by': 'u-9',
    });
    expect(update.UpdateExpression).toContain('REMOVE GSI3PK, GSI3SK');
  });

  it('reads what a token item says, and nothing from items of another kind', () => {
    expect(
      invitationTokenFromItem({
        kind: 'invitation',
        orgId: 'o',
        invitationId: 'i',
        email: 'a@b.test',
        role: 'member',
        teamId: null,
        expiresAt: 'x',
      }),
    ).toEqual({
      orgId: 'o',
      invitationId: 'i',
      email: 'a@b.test',
      role: 'member',
      teamId: null,
      expiresAt: 'x',
    });
    expect(invitationTokenFromItem({ kind: 'password_reset', orgId: 'o' })).toBeUndefined();
    expect(invitationTokenFromItem({ revokedAt: 'x' })).toBeUndefined();
  });
});
