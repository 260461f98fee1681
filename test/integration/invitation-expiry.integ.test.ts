import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/invitations/expire-invitations.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { invitationIndexKeys, invitationKey } from '../../shared/data/keys.js';
import type { Database } from '../../shared/data/dynamo-client.js';
import { EXPIRY_ACTOR, expireInvitations } from '../../shared/invitations/expire-invitations.js';
import { getInvitation } from '../../shared/invitations/invitation-repository.js';
import { auditEventsInTable, expectInvitationSeatsMatchItems } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { onlyQueuedToken } from '../helpers/outbox.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const HOUR = 3600_000;
const invitations = (org: SeededOrg) => `/v1/orgs/${org.orgId}/invitations`;
const emailOf = (label: string) => `${label}-${uniqueSuffix()}@invitee.test`;

async function inviteOne(
  org: SeededOrg,
  email = emailOf('one'),
): Promise<{ invitationId: string; email: string; expiresAt: string }> {
  const res = await local.api('POST', invitations(org), {
    token: org.admin.accessToken,
    body: { emails: email, role: 'member' },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json.created, res.text).toHaveLength(1);
  return res.json.created[0];
}

/** Runs the scheduled handler as the schedule would, with the clock at `now`. */
const sweep = (now: Date = new Date()) =>
  handler({ now: now.toISOString() }, lambdaContext('invitations/expire-invitations', 60_000));

/** Moves an invitation's clock, in the item and in its expiry index entry alike (as a resend would). */
async function setExpiry(orgId: string, invitationId: string, expiresAt: Date): Promise<void> {
  const current = (await getInvitation(local.db, orgId, invitationId))!;
  const { GSI3SK } = invitationIndexKeys({ ...current, expiresAt: expiresAt.toISOString() });
  await local.db.client.send(
    new UpdateCommand({
      TableName: local.db.tableName,
      Key: invitationKey(orgId, invitationId),
      UpdateExpression: 'SET expiresAt = :e, GSI3SK = :sk',
      ExpressionAttributeValues: { ':e': expiresAt.toISOString(), ':sk': GSI3SK },
    }),
  );
}

const statusOf = async (orgId: string, invitationId: string) =>
  (await getInvitation(local.db, orgId, invitationId))?.status;

/** The audit actions about one invitation, oldest first. */
async function actionsOn(orgId: string, invitationId: string): Promise<string[]> {
  return (await auditEventsInTable(local.db, orgId))
    .filter((e) => (e.target as { id?: string } | null)?.id === invitationId)
    .map((e) => e.action as string);
}

const expectSeatsMatchItems = (orgId: string) => expectInvitationSeatsMatchItems(local.db, orgId);

/** The invitation link queued for `email` (opened from its outbox item, where it is sealed). */
const onlyToken = (email: string): Promise<string> => onlyQueuedToken(local.db, email, 'invitation');

describe('the expiry sweep', () => {
  it('expires an overdue pending invitation: seat and email freed, listed as expired, one audit event by the system', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 2 });
    const overdue = await inviteOne(org);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 1 });
    await setExpiry(org.orgId, overdue.invitationId, new Date(Date.now() - HOUR));

    const summary = await sweep();

    expect(summary.expired).toBeGreaterThanOrEqual(1);
    expect(summary.scanned).toBeGreaterThanOrEqual(summary.expired);
    expect(await statusOf(org.orgId, overdue.invitationId)).toBe('expired');
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 1, pending: 0 });
    const listed = await local.api('GET', `${invitations(org)}?status=expired`, { token: org.admin.accessToken });
    expect(listed.json.items.map((i: { invitationId: string }) => i.invitationId)).toEqual([overdue.invitationId]);
    const events = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'invitation.expired');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: 'system', id: 'expire-invitations' },
      target: { type: 'invitation', id: overdue.invitationId },
      before: { status: 'pending' },
      after: { status: 'expired' },
    });
    // The email's pending claim went with it: the same address can be invited again, into the freed seat.
    expect((await inviteOne(org, overdue.email)).email).toBe(overdue.email);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 1 });
  });

  it('takes the expired invitation out of the expiry index, so a second run reads and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const overdue = await inviteOne(org);
    await setExpiry(org.orgId, overdue.invitationId, new Date(Date.now() - HOUR));
    const now = new Date();

    await sweep(now);
    const again = await sweep(now);

    expect(again).toEqual({ scanned: 0, expired: 0, skipped: 0, failed: 0 });
    const index = await local.db.client.send(
      new QueryCommand({
        TableName: local.db.tableName,
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :p',
        FilterExpression: 'invitationId = :i',
        ExpressionAttributeValues: { ':p': 'INVEXP#0', ':i': overdue.invitationId },
      }),
    );
    expect(index.Items).toEqual([]);
    expect(await actionsOn(org.orgId, overdue.invitationId)).toEqual(['invitation.created', 'invitation.expired']);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 1, pending: 0 });
  });

  it('leaves invitations not yet due pending, including one due a moment after the run', async () => {
    const org = await local.seedOperatorAndOrg();
    const now = new Date();
    const [due, later, fresh] = [await inviteOne(org), await inviteOne(org), await inviteOne(org)];
    await setExpiry(org.orgId, due.invitationId, now);
    await setExpiry(org.orgId, later.invitationId, new Date(now.getTime() + 1));

    await sweep(now);

    // Due exactly now is overdue, as the accept path has it (it needs expiresAt > now).
    expect(await statusOf(org.orgId, due.invitationId)).toBe('expired');
    expect(await statusOf(org.orgId, later.invitationId)).toBe('pending');
    expect(await statusOf(org.orgId, fresh.invitationId)).toBe('pending');
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 3, pending: 2 });
  });

  it('skips an invitation resent after the index listed it as overdue: it stays pending with its new clock', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org);
    const overdueAt = new Date(Date.now() - HOUR);
    await setExpiry(org.orgId, created.invitationId, overdueAt);
    const resent = await local.api('POST', `${invitations(org)}/${created.invitationId}/resend`, {
      token: org.admin.accessToken,
    });
    expect(resent.status, resent.text).toBe(200);
    // The index still lists the old, overdue expiry: what a lagging index copy shows the sweep.
    const stale = invitationIndexKeys({
      ...(await getInvitation(local.db, org.orgId, created.invitationId))!,
      expiresAt: overdueAt.toISOString(),
    });
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: invitationKey(org.orgId, created.invitationId),
        UpdateExpression: 'SET GSI3SK = :sk',
        ExpressionAttributeValues: { ':sk': stale.GSI3SK },
      }),
    );

    const summary = await sweep();

    expect(summary.skipped).toBeGreaterThanOrEqual(1);
    const after = await getInvitation(local.db, org.orgId, created.invitationId);
    expect(after).toMatchObject({ status: 'pending', expiresAt: resent.json.expiresAt });
    expect(await actionsOn(org.orgId, created.invitationId)).toEqual(['invitation.created', 'invitation.resent']);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 1 });
    // The index catches up, as DynamoDB's does; later tests count what the sweep reads.
    await setExpiry(org.orgId, created.invitationId, new Date(resent.json.expiresAt as string));
  });

  it('reads page by page while it takes what it read out of the index, and expires every overdue one', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await Promise.all(Array.from({ length: 5 }, () => inviteOne(org)));
    for (const [i, c] of created.entries()) await setExpiry(org.orgId, c.invitationId, new Date(Date.now() - HOUR - i));

    const summary = await expireInvitations(
      local.db,
      { actor: EXPIRY_ACTOR, ip: null, userAgent: null, requestId: null, now: new Date() },
      { pageSize: 2 },
    );

    expect(summary).toEqual({ scanned: 5, expired: 5, skipped: 0, failed: 0 });
    for (const c of created) expect(await statusOf(org.orgId, c.invitationId)).toBe('expired');
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 1, pending: 0 });
  });

  it('loses cleanly to a resend landing between its re-read and its write: skipped, not an error', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org);
    await setExpiry(org.orgId, created.invitationId, new Date(Date.now() - HOUR));
    let resent: { status: number; text: string; json: { expiresAt: string } } | undefined;
    // The sweep's consistent re-read of this invitation answers, then the resend lands.
    const racing: Database = {
      tableName: local.db.tableName,
      client: {
        send: async (command: unknown) => {
          const answer: unknown = await local.db.client.send(command as GetCommand);
          if (
            command instanceof GetCommand &&
            command.input.Key?.SK === invitationKey(org.orgId, created.invitationId).SK &&
            !resent
          ) {
            resent = await local.api('POST', `${invitations(org)}/${created.invitationId}/resend`, {
              token: org.admin.accessToken,
            });
          }
          return answer;
        },
      } as unknown as DynamoDBDocumentClient,
    };

    const summary = await expireInvitations(racing, {
      actor: EXPIRY_ACTOR,
      ip: null,
      userAgent: null,
      requestId: null,
      now: new Date(),
    });

    expect(resent?.status, resent?.text).toBe(200);
    expect(summary).toEqual({ scanned: 1, expired: 0, skipped: 1, failed: 0 });
    expect(await getInvitation(local.db, org.orgId, created.invitationId)).toMatchObject({
      status: 'pending',
      expiresAt: resent?.json.expiresAt,
    });
    expect(await actionsOn(org.orgId, created.invitationId)).toEqual(['invitation.created', 'invitation.resent']);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 1 });
  });

  it('expires each invitation exactly once when sweeps run concurrently with resends and revokes', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    const created = await Promise.all(Array.from({ length: 8 }, () => inviteOne(org)));
    const past = new Date(Date.now() - HOUR);
    for (const c of created) await setExpiry(org.orgId, c.invitationId, past);
    const [resendOne, revokeOne] = created;
    const now = new Date();

    const results = await Promise.all([
      sweep(now),
      sweep(now),
      sweep(now),
      local.api('POST', `${invitations(org)}/${resendOne!.invitationId}/resend`, { token: org.admin.accessToken }),
      local.api('DELETE', `${invitations(org)}/${revokeOne!.invitationId}`, { token: org.admin.accessToken }),
    ]);

    for (const answer of results.slice(3) as { status: number; text: string }[])
      expect([200, 204, 409], answer.text).toContain(answer.status);
    for (const c of created) {
      const actions = await actionsOn(org.orgId, c.invitationId);
      const endings = actions.filter((a) => a === 'invitation.expired' || a === 'invitation.revoked');
      const status = await statusOf(org.orgId, c.invitationId);
      if (status === 'pending') expect(endings).toEqual([]);
      else expect(endings).toEqual([`invitation.${status}`]);
    }
    for (const c of created.slice(2)) expect(await statusOf(org.orgId, c.invitationId)).toBe('expired');
    await expectSeatsMatchItems(org.orgId);
  });
});

describe('driving the clock through the event', () => {
  // Last in the file: a run with the clock a week ahead expires every pending invitation in the table.
  it("expires by the event's `now`, and leaves accepted and revoked invitations as they were", async () => {
    const org = await local.seedOperatorAndOrg();
    const [pending, accepted, revoked] = [await inviteOne(org), await inviteOne(org), await inviteOne(org)];
    const token = await onlyToken(accepted.email);
    expect(
      (
        await local.api('POST', `/v1/invitations/${token}/accept`, {
          body: { name: 'Accepted', password: TEST_PASSWORD },
        })
      ).status,
    ).toBe(201);
    expect(
      (await local.api('DELETE', `${invitations(org)}/${revoked.invitationId}`, { token: org.admin.accessToken }))
        .status,
    ).toBe(204);

    await sweep(new Date(Date.parse(pending.expiresAt) - 1000));
    expect(await statusOf(org.orgId, pending.invitationId)).toBe('pending');

    await sweep(new Date(Date.parse(pending.expiresAt) + HOUR));

    expect(await statusOf(org.orgId, pending.invitationId)).toBe('expired');
    expect(await statusOf(org.orgId, accepted.invitationId)).toBe('accepted');
    expect(await statusOf(org.orgId, revoked.invitationId)).toBe('revoked');
    expect(await actionsOn(org.orgId, accepted.invitationId)).toEqual(['invitation.created', 'invitation.accepted']);
    expect(await actionsOn(org.orgId, revoked.invitationId)).toEqual(['invitation.created', 'invitation.revoked']);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 0 });
  });

  it('refuses an event whose `now` is not a date-time', async () => {
    await expect(handler({ now: 'tomorrow' }, lambdaContext('invitations/expire-invitations'))).rejects.toThrow(/now/);
  });
});
