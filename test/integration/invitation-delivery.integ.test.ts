import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationKey, outboxKey } from '../../shared/data/keys.js';
import { transactWrite } from '../../shared/data/transactions.js';
import {
  getInvitation,
  pendingInvitationWriteStep,
  recordDelivery,
} from '../../shared/invitations/invitation-repository.js';
import { expectInvitationSeatsMatchItems } from '../helpers/assertions.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

/** The mailer through the table stream and the SES emulator: what admins see of each send. */
let local: LocalApi;

beforeAll(async () => {
  // Enough stream retries (200 ms doubling) to outlast the short SES outage the tests make.
  local = await startLocalApi({ mail: true, streamRetryAttempts: 6 });
});

afterAll(async () => {
  await local?.close();
});

const invitations = (org: SeededOrg) => `/v1/orgs/${org.orgId}/invitations`;
const emailOf = (label: string) => `${label}-${uniqueSuffix()}@invitee.test`;

interface InvitationAnswer {
  invitationId: string;
  email: string;
  status: string;
  delivery: string;
  deliveryAt: string | null;
  deliveryError: string | null;
}

async function inviteOne(org: SeededOrg, email: string): Promise<InvitationAnswer> {
  const res = await local.api('POST', invitations(org), {
    token: org.admin.accessToken,
    body: { emails: email, role: 'member' },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json.created, res.text).toHaveLength(1);
  return res.json.created[0] as InvitationAnswer;
}

/** The invitation as the admin's list shows it. */
async function listed(org: SeededOrg, invitationId: string): Promise<InvitationAnswer | undefined> {
  const res = await local.api('GET', `${invitations(org)}?limit=100`, { token: org.admin.accessToken });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as InvitationAnswer[]).find((i) => i.invitationId === invitationId);
}

/** Polls the list until the invitation's delivery is `state` (the mailer runs asynchronously). */
async function waitForDelivery(org: SeededOrg, invitationId: string, state: string): Promise<InvitationAnswer> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = await listed(org, invitationId);
    if (found?.delivery === state || Date.now() > deadline) {
      expect(found?.delivery).toBe(state);
      return found!;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('invitation delivery state', () => {
  it('is queued when created, then sent once SES accepted the mail', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = emailOf('sent');
    const created = await inviteOne(org, email);
    expect(created).toMatchObject({ delivery: 'queued', deliveryError: null });
    expect(created.deliveryAt).toEqual(expect.any(String));

    const sent = await waitForDelivery(org, created.invitationId, 'sent');
    expect(sent.deliveryError).toBeNull();
    expect(Date.parse(sent.deliveryAt!)).toBeGreaterThanOrEqual(Date.parse(created.deliveryAt!));
    const mails = await local.mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.text).toContain('/invitations/');
  });

  it('SES failing: the invitation stays pending with delivery failed and a reason, nothing is lost, and the retry sends it', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = emailOf('outage');
    await local.setSesDown(true);
    let created: InvitationAnswer;
    try {
      created = await inviteOne(org, email);
      const failed = await waitForDelivery(org, created.invitationId, 'failed');
      expect(failed.status).toBe('pending');
      expect(failed.deliveryError).toEqual(expect.any(String));
      expect(failed.deliveryError!.length).toBeGreaterThan(0);
      expect(failed.deliveryError!.length).toBeLessThanOrEqual(200);
      // The mail is still queued: its outbox item (and the link it carries) is kept for the retry.
      const stored = await getInvitation(local.db, org.orgId, created.invitationId);
      const { Item } = await local.db.client.send(
        new GetCommand({
          TableName: local.db.tableName,
          Key: outboxKey(stored!.deliverySendId!),
          ConsistentRead: true,
        }),
      );
      expect(Item?.to).toBe(email);
    } finally {
      await local.setSesDown(false);
    }
    const sent = await waitForDelivery(org, created.invitationId, 'sent');
    expect(sent).toMatchObject({ status: 'pending', deliveryError: null });
    expect(await local.mailTo(email)).toHaveLength(1);
    await expectInvitationSeatsMatchItems(local.db, org.orgId);
  });

  it("a resend starts a new send: the old mail's late outcome does not overwrite it", async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org, emailOf('resend'));
    await waitForDelivery(org, created.invitationId, 'sent');
    const before = await getInvitation(local.db, org.orgId, created.invitationId);

    const resent = await local.api('POST', `${invitations(org)}/${created.invitationId}/resend`, {
      token: org.admin.accessToken,
    });
    expect(resent.status, resent.text).toBe(200);
    expect(resent.json).toMatchObject({ delivery: 'queued', deliveryError: null });
    const after = await getInvitation(local.db, org.orgId, created.invitationId);
    expect(after!.deliverySendId).not.toBe(before!.deliverySendId);

    // The first mail's outcome reported late (a retried record): refused, whatever it says.
    const old = { orgId: org.orgId, invitationId: created.invitationId, sendId: before!.deliverySendId! };
    expect(await recordDelivery(local.db, old, { state: 'failed', reason: 'late' }, new Date())).toBe(false);
    const current = await getInvitation(local.db, org.orgId, created.invitationId);
    expect(current!.delivery === 'queued' || current!.delivery === 'sent').toBe(true);
    await waitForDelivery(org, created.invitationId, 'sent');
    // A failure reported after the send was recorded as sent is refused too.
    expect(
      await recordDelivery(
        local.db,
        { ...old, sendId: after!.deliverySendId! },
        { state: 'failed', reason: 'late' },
        new Date(),
      ),
    ).toBe(false);
    expect((await listed(org, created.invitationId))?.delivery).toBe('sent');
  });

  it('recording a delivery never makes a revoke fail, and the revoke keeps the recorded outcome', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org, emailOf('revoke'));
    await waitForDelivery(org, created.invitationId, 'sent');
    // As a revoke sees it, then the mailer records a send (a retried record: failed, then sent).
    const seen = await getInvitation(local.db, org.orgId, created.invitationId);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: invitationKey(org.orgId, created.invitationId),
        UpdateExpression: 'SET delivery = :failed',
        ExpressionAttributeValues: { ':failed': 'failed' },
      }),
    );
    const ref = { orgId: org.orgId, invitationId: created.invitationId, sendId: seen!.deliverySendId! };
    expect(await recordDelivery(local.db, ref, { state: 'sent' }, new Date())).toBe(true);
    // The revoke's write, at the version it read before the mailer's: it still applies.
    await transactWrite(local.db, [
      pendingInvitationWriteStep(
        local.db,
        { ...seen!, status: 'revoked', updatedAt: new Date().toISOString() },
        seen!.version,
      ),
    ]);
    expect(await listed(org, created.invitationId)).toMatchObject({
      status: 'revoked',
      delivery: 'sent',
      deliveryError: null,
    });
    // No longer pending: nothing more is recorded on it.
    expect(await recordDelivery(local.db, ref, { state: 'failed', reason: 'late' }, new Date())).toBe(false);
  });

  it('a revoke through the API while the mail is in flight is never refused', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org, emailOf('inflight'));
    const revoked = await local.api('DELETE', `${invitations(org)}/${created.invitationId}`, {
      token: org.admin.accessToken,
    });
    expect(revoked.status, revoked.text).toBe(204);
    await expectInvitationSeatsMatchItems(local.db, org.orgId);
  });
});
