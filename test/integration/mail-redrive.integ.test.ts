import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSender } from '../../shared/mail/mail-port.js';
import { redriveOrgMail, STALE_AFTER_MS } from '../../shared/mail/redrive-mail.js';
import { auditEventsInTable, expectProblem } from '../helpers/assertions.js';
import { TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { sesError, startMailerHarness, type MailerHarness } from '../helpers/mailer.js';

/**
 * Mail that fails loudly and can be redriven. The mailer's delivery step is driven directly
 * (no table stream in this file) with the real SES sender on an SES emulator, wrapped so one
 * recipient is refused as SES refuses it for good (MessageRejected), or throttled.
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

/** The real sender, except that mail to `refused` fails with `error`. */
const refusing = (refused: string, error: Error): MailSender => ({
  send: (to, mail) => (to === refused ? Promise.reject(error) : mailer.sesSender.send(to, mail)),
});

async function invite(org: SeededOrg, email: string): Promise<string> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
    token: org.admin.accessToken,
    body: { emails: [email], role: 'member' },
  });
  expect(res.status, res.text).toBe(200);
  return res.json.created[0].invitationId as string;
}

async function invitation(org: SeededOrg, invitationId: string) {
  const list = await local.api('GET', `/v1/orgs/${org.orgId}/invitations`, { token: org.admin.accessToken });
  return (list.json.items as { invitationId: string; delivery: string; deliveryError: string | null }[]).find(
    (i) => i.invitationId === invitationId,
  );
}

describe("a member's credential mail delivery state (GET member)", { timeout: 60_000 }, () => {
  const member = (org: SeededOrg, userId: string) =>
    local.api('GET', `/v1/orgs/${org.orgId}/members/${userId}`, { token: org.admin.accessToken });

  it("shows a refused reset mail as failed with SES's reason while the next tenant's goes out at once; a redrive sends it and the state becomes sent", async () => {
    const orgA = await mailer.seededOrgWithMailSent();
    const orgB = await mailer.seededOrgWithMailSent();
    const bad = `refused-${uniqueSuffix()}@x.test`;
    const good = `fine-${uniqueSuffix()}@y.test`;
    const add = async (org: SeededOrg, email: string) => {
      const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
        token: org.admin.accessToken,
        body: { name: 'Member', email, role: 'member' },
      });
      expect(res.status, res.text).toBe(201);
      return res.json.userId as string;
    };
    const badUser = await add(orgA, bad);
    const goodUser = await add(orgB, good);
    expect((await member(orgA, badUser)).json.credentialMail).toBeNull();
    for (const [org, userId] of [
      [orgA, badUser],
      [orgB, goodUser],
    ] as const) {
      const res = await local.api('POST', `/v1/orgs/${org.orgId}/members/${userId}/reset-password`, {
        token: org.admin.accessToken,
      });
      expect(res.status, res.text).toBe(202);
    }
    expect((await member(orgA, badUser)).json.credentialMail).toMatchObject({
      kind: 'password_reset',
      state: 'queued',
      reason: null,
    });

    const sender = refusing(bad, sesError('MessageRejected', 400));
    const [badItem] = (await mailer.outboxItems(orgA.orgId, 'queued')).filter((i) => i.to === bad);
    const [goodItem] = (await mailer.outboxItems(orgB.orgId, 'queued')).filter((i) => i.to === good);
    // The refused mail does not throw (the shard moves on); the other tenant's goes out right after.
    await expect(mailer.deliver(badItem!, sender)).resolves.toBeUndefined();
    await mailer.deliver(goodItem!, sender);
    expect(await mailer.mailsTo(good)).toHaveLength(1);
    expect((await member(orgB, goodUser)).json.credentialMail).toMatchObject({ state: 'sent', reason: null });
    const failed = (await member(orgA, badUser)).json.credentialMail;
    expect(failed).toMatchObject({
      kind: 'password_reset',
      state: 'failed',
      reason: expect.stringContaining('MessageRejected'),
    });

    // Another org's admin cannot read it.
    expect((await member(orgB, badUser)).status).toBe(404);

    const redrive = await local.api('POST', `/v1/orgs/${orgA.orgId}/mail/redrive`, { token: orgA.admin.accessToken });
    expect(redrive.json).toEqual({ redriven: 1, dropped: 0, more: false });
    const [again] = (await mailer.outboxItems(orgA.orgId, 'queued')).filter((i) => i.to === bad);
    await mailer.deliver(again!);
    expect(await mailer.mailsTo(bad)).toHaveLength(1);
    expect((await member(orgA, badUser)).json.credentialMail).toMatchObject({ state: 'sent', reason: null });
  });

  it('drops a failed credential mail on redrive once a later one replaced it, and reports the later one', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const email = `later-${uniqueSuffix()}@x.test`;
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Member', email, role: 'member' },
    });
    const userId = res.json.userId as string;
    const reset = () =>
      local.api('POST', `/v1/orgs/${org.orgId}/members/${userId}/reset-password`, { token: org.admin.accessToken });
    expect((await reset()).status).toBe(202);
    const [first] = (await mailer.outboxItems(org.orgId, 'queued')).filter((i) => i.to === email);
    await mailer.deliver(first!, refusing(email, sesError('MessageRejected', 400)));
    expect((await member(org, userId)).json.credentialMail).toMatchObject({ state: 'failed' });
    expect((await reset()).status).toBe(202);
    expect((await member(org, userId)).json.credentialMail).toMatchObject({ state: 'queued', reason: null });
    const redrive = await local.api('POST', `/v1/orgs/${org.orgId}/mail/redrive`, { token: org.admin.accessToken });
    expect(redrive.json).toMatchObject({ redriven: 0, dropped: 1 });
  });
});

describe('mail delivery failures', { timeout: 60_000 }, () => {
  it("marks a permanently refused mail failed at once, without retry, while the next tenant's mail goes out; a redrive resends it", async () => {
    const orgA = await mailer.seededOrgWithMailSent();
    const orgB = await mailer.seededOrgWithMailSent();
    const bad = `refused-${uniqueSuffix()}@x.test`;
    const good = `fine-${uniqueSuffix()}@y.test`;
    const badInvitation = await invite(orgA, bad);
    await invite(orgB, good);
    const sender = refusing(bad, sesError('MessageRejected', 400));
    const [badItem] = await mailer.outboxItems(orgA.orgId, 'queued');
    const [goodItem] = await mailer.outboxItems(orgB.orgId, 'queued');

    // No throw: the stream record is done, the shard is not held for retries.
    await expect(mailer.deliver(badItem!, sender)).resolves.toBeUndefined();
    await mailer.deliver(goodItem!, sender);
    expect(await mailer.mailsTo(good)).toHaveLength(1);
    expect(await mailer.mailsTo(bad)).toHaveLength(0);
    const failed = await mailer.outboxItems(orgA.orgId, 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ state: 'failed', failedReason: expect.stringContaining('MessageRejected') });
    expect(await invitation(orgA, badInvitation)).toMatchObject({
      delivery: 'failed',
      deliveryError: expect.stringContaining('MessageRejected'),
    });
    // A replayed record of the failed mail does not send it either.
    await mailer.deliver(badItem!);
    expect(await mailer.mailsTo(bad)).toHaveLength(0);

    // The admin fixes the cause (a verified sender, a corrected address) and redrives.
    const redrive = await local.api('POST', `/v1/orgs/${orgA.orgId}/mail/redrive`, { token: orgA.admin.accessToken });
    expect(redrive.status, redrive.text).toBe(200);
    expect(redrive.json).toEqual({ redriven: 1, dropped: 0, more: false });
    expect(await mailer.outboxItems(orgA.orgId, 'failed')).toHaveLength(0);
    const [again] = await mailer.outboxItems(orgA.orgId, 'queued');
    await mailer.deliver(again!);
    expect(await mailer.mailsTo(bad)).toHaveLength(1);
    expect(await invitation(orgA, badInvitation)).toMatchObject({ delivery: 'sent' });
    expect((await auditEventsInTable(local.db, orgA.orgId)).filter((e) => e.action === 'mail.redriven')).toHaveLength(
      1,
    );
    // Nothing left to redrive.
    expect(
      (await local.api('POST', `/v1/orgs/${orgA.orgId}/mail/redrive`, { token: orgA.admin.accessToken })).json,
    ).toEqual({ redriven: 0, dropped: 0, more: false });
  });

  it('retries throttling (thrown, the item stays queued), and redrives it once stale', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const email = `throttled-${uniqueSuffix()}@x.test`;
    await invite(org, email);
    const [item] = await mailer.outboxItems(org.orgId, 'queued');
    await expect(mailer.deliver(item!, refusing(email, sesError('TooManyRequestsException', 429)))).rejects.toThrow(
      /TooManyRequests/,
    );
    await expect(mailer.deliver(item!, refusing(email, sesError('InternalFailure', 500)))).rejects.toThrow(
      /InternalFailure/,
    );
    expect(await mailer.outboxItems(org.orgId, 'failed')).toHaveLength(0);
    const audit = {
      actor: { type: 'user' as const, id: org.admin.userId, email: org.admin.email },
      ip: null,
      userAgent: null,
      requestId: null,
    };
    // Fresh queued mail is the stream's; once stale (its record dead-lettered), the redrive takes it.
    expect(await redriveOrgMail(local.db, org.orgId, { ...audit, now: new Date() })).toMatchObject({ redriven: 0 });
    expect(
      await redriveOrgMail(local.db, org.orgId, { ...audit, now: new Date(Date.now() + STALE_AFTER_MS + 1000) }),
    ).toMatchObject({ redriven: 1 });
  });

  it('drops, rather than resends, the failed mail of an invitation resent since (its link is dead)', async () => {
    const org = await mailer.seededOrgWithMailSent();
    const email = `resent-${uniqueSuffix()}@x.test`;
    const invitationId = await invite(org, email);
    const [item] = await mailer.outboxItems(org.orgId, 'queued');
    await mailer.deliver(item!, refusing(email, sesError('MessageRejected', 400)));
    const resend = await local.api('POST', `/v1/orgs/${org.orgId}/invitations/${invitationId}/resend`, {
      token: org.admin.accessToken,
    });
    expect(resend.status, resend.text).toBe(200);
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/mail/redrive`, { token: org.admin.accessToken });
    expect(res.json).toEqual({ redriven: 0, dropped: 1, more: false });
  });

  it("is for the org's admins: a plain member and another org's admin are refused", async () => {
    const org = await mailer.seededOrgWithMailSent();
    const other = await mailer.seededOrgWithMailSent();
    const memberEmail = `plain-${uniqueSuffix()}@x.test`;
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Plain', email: memberEmail, role: 'member' },
    });
    expect(added.status, added.text).toBe(201);
    await local.setPassword(added.json.userId, TEST_PASSWORD);
    const memberToken = (await local.signIn(memberEmail, TEST_PASSWORD)).accessToken;
    expectProblem(await local.api('POST', `/v1/orgs/${org.orgId}/mail/redrive`, { token: memberToken }), 403);
    expectProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/mail/redrive`, { token: other.admin.accessToken }),
      403,
    );
  });
});
