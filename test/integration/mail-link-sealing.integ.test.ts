import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxKey } from '../../shared/data/keys.js';
import type { OutboxItem } from '../../shared/mail/deliver-outbox.js';
import type { MailSender } from '../../shared/mail/mail-port.js';
import { isSealed } from '../../shared/secrets/sealed-secret.js';
import { TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { sesError, startMailerHarness, type MailerHarness } from '../helpers/mailer.js';

/**
 * Issue 21: raw invitation, reset and confirmation tokens never sit in the table. Each mail's
 * outbox item (what the table stream's images and backups copy) holds its link sealed; the
 * mailer opens it only to send. The mailer is driven directly (no table stream in this file),
 * with the real SES sender on an SES emulator, so the stored item can be read before and
 * after it is sent, or fails.
 */
let mailer: MailerHarness;
let local: LocalApi;

beforeAll(async () => {
  mailer = await startMailerHarness();
  local = mailer.local;
});

afterAll(async () => {
  await mailer?.close();
});

const refusedForGood = (): MailSender => ({ send: () => Promise.reject(sesError('MessageRejected', 400)) });

/** The org's outbox items to `to` in `state`. */
async function outboxItemsTo(orgId: string, to: string, state: 'queued' | 'failed' = 'queued'): Promise<OutboxItem[]> {
  return (await mailer.outboxItems(orgId, state)).filter((i) => i.to === to);
}

async function onlyItemTo(orgId: string, to: string): Promise<OutboxItem> {
  const items = await outboxItemsTo(orgId, to);
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** The token of the one mail delivered to `to`: the last path segment of its link. */
async function deliveredToken(to: string, path: string): Promise<string> {
  const mails = await mailer.mailsTo(to);
  expect(mails).toHaveLength(1);
  const token = new RegExp(`/${path}/([A-Za-z0-9_-]+)`).exec(mails[0]!.body.text ?? '')?.[1];
  expect(token, mails[0]!.body.text).toBeDefined();
  return token!;
}

/** The stored item holds its link sealed, and the token nowhere. */
function expectNoRawToken(item: Record<string, unknown> | undefined, token: string): void {
  expect(item).toBeDefined();
  const link = (item!.data as { link: string }).link;
  expect(isSealed(link), link).toBe(true);
  expect(JSON.stringify(item)).not.toContain(token);
}

async function addMember(org: SeededOrg, email: string): Promise<string> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: 'Member', email, role: 'member' },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.userId as string;
}

async function invite(org: SeededOrg, email: string): Promise<void> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
    token: org.admin.accessToken,
    body: { emails: [email], role: 'member' },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json.created).toHaveLength(1);
}

describe('mail links are sealed in the outbox; the delivered link works', { timeout: 60_000 }, () => {
  it('an invitation: the queued item holds no raw token, the mailed link is accepted', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const email = `invitee-${uniqueSuffix()}@x.test`;
    await invite(org, email);
    const item = await onlyItemTo(org.orgId, email);
    const queued = structuredClone(item) as unknown as Record<string, unknown>;
    await mailer.deliver(item);
    const token = await deliveredToken(email, 'invitations');
    expectNoRawToken(queued, token);

    const accepted = await local.api('POST', `/v1/invitations/${token}/accept`, {
      body: { name: 'Invitee', password: TEST_PASSWORD },
    });
    expect(accepted.status, accepted.text).toBe(201);
    await local.signIn(email, TEST_PASSWORD);
  });

  it('an admin reset: neither the queued nor the failed item holds the token; redriven, the mailed link resets the password', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const email = `reset-${uniqueSuffix()}@x.test`;
    const userId = await addMember(org, email);
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/members/${userId}/reset-password`, {
      token: org.admin.accessToken,
    });
    expect(res.status, res.text).toBe(202);
    const item = await onlyItemTo(org.orgId, email);
    await mailer.deliver(item, refusedForGood());
    const failed = await mailer.storedOutboxItem(item.messageId);
    expect(failed?.state).toBe('failed');

    const redrive = await local.api('POST', `/v1/orgs/${org.orgId}/mail/redrive`, { token: org.admin.accessToken });
    expect(redrive.json).toMatchObject({ redriven: 1 });
    const again = await onlyItemTo(org.orgId, email);
    const requeued = structuredClone(again) as unknown as Record<string, unknown>;
    await mailer.deliver(again);
    const token = await deliveredToken(email, 'password-reset');
    expectNoRawToken(item as unknown as Record<string, unknown>, token);
    expectNoRawToken(failed, token);
    expectNoRawToken(requeued, token);

    const set = await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Chosen-password-9!' } });
    expect(set.status, set.text).toBe(204);
    await local.signIn(email, 'Chosen-password-9!');
  });

  it("a first admin's set-password mail: the item holds no token, the mailed link sets the password", async () => {
    const operatorOrg = await local.seedOperatorAndOrg();
    const email = `first-admin-${uniqueSuffix()}@x.test`;
    const created = await local.api('POST', '/v1/orgs', {
      token: operatorOrg.operator.accessToken,
      body: { name: `Org ${uniqueSuffix()}`, maxSeats: 5, admin: { email, name: 'First Admin' } },
    });
    expect(created.status, created.text).toBe(201);
    const item = await onlyItemTo(created.json.orgId as string, email);
    const queued = structuredClone(item) as unknown as Record<string, unknown>;
    await mailer.deliver(item);
    const token = await deliveredToken(email, 'password-reset');
    expectNoRawToken(queued, token);

    const set = await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'First-password-9!' } });
    expect(set.status, set.text).toBe(204);
    await local.signIn(email, 'First-password-9!');
  });

  it('an email change: the confirmation item holds no token, the mailed link confirms the address', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const userId = await addMember(org, `sole-${uniqueSuffix()}@gmail.test`);
    const next = `sole-new-${uniqueSuffix()}@gmail.test`;
    const put = await local.api('PUT', `/v1/orgs/${org.orgId}/members/${userId}`, {
      token: org.admin.accessToken,
      body: { name: 'Member', email: next, role: 'member', teamId: null },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json.pendingEmail).toBe(next);
    const item = await onlyItemTo(org.orgId, next);
    const queued = structuredClone(item) as unknown as Record<string, unknown>;
    await mailer.deliver(item);
    const token = await deliveredToken(next, 'email-confirmations');
    expectNoRawToken(queued, token);

    const confirmed = await local.api('POST', `/v1/email-confirmations/${token}`);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toEqual({ userId, email: next });
  });
});

describe('a sealed link opens only on its own mail', { timeout: 60_000 }, () => {
  const setOnItem = (messageId: string, field: 'data' | 'to', value: unknown) =>
    local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: outboxKey(messageId),
        UpdateExpression: 'SET #f = :v',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':v': value },
      }),
    );

  it("moved onto another outbox item, it is not sent: that mail fails for good and nobody gets the first invitee's link", async () => {
    const org = await mailer.seededOrgWithMailSent();
    const victim = `victim-${uniqueSuffix()}@x.test`;
    const other = `other-${uniqueSuffix()}@x.test`;
    await invite(org, victim);
    await invite(org, other);
    const victimItem = await onlyItemTo(org.orgId, victim);
    const otherItem = await onlyItemTo(org.orgId, other);
    // The other item now carries the victim's sealed link (as one with table write access could arrange).
    const moved = { ...otherItem.data, link: victimItem.data.link };
    await setOnItem(otherItem.messageId, 'data', moved);

    await mailer.deliver({ ...otherItem, data: moved } as OutboxItem);
    expect(await mailer.mailsTo(other)).toEqual([]);
    const failed = await mailer.storedOutboxItem(otherItem.messageId);
    expect(failed).toMatchObject({ state: 'failed', failedReason: expect.stringContaining('SealBrokenError') });

    // The victim's own mail still goes out, with a link that works.
    await mailer.deliver(victimItem);
    const token = await deliveredToken(victim, 'invitations');
    const preview = await local.api('GET', `/v1/invitations/${token}`);
    expect(preview.status, preview.text).toBe(200);
  });

  it('readdressed to someone else, the same item is not sent', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const invitee = `invitee-${uniqueSuffix()}@x.test`;
    const attacker = `attacker-${uniqueSuffix()}@evil.test`;
    await invite(org, invitee);
    const item = await onlyItemTo(org.orgId, invitee);
    await setOnItem(item.messageId, 'to', attacker);

    await mailer.deliver({ ...item, to: attacker } as OutboxItem);
    expect(await mailer.mailsTo(attacker)).toEqual([]);
    expect(await mailer.storedOutboxItem(item.messageId)).toMatchObject({ state: 'failed' });
  });
});
