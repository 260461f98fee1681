import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { userKey } from '../../shared/data/keys.js';
import { FORGOT_PASSWORD_LIMITS, requestOwnPasswordReset } from '../../shared/credentials/forgot-password.js';
import { TOKEN_ENTITY } from '../../shared/credentials/password-token.js';
import { expectFieldProblem } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi } from '../helpers/local-api.js';
import { queuedTokens } from '../helpers/outbox.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi({ mail: true });
});

afterAll(async () => {
  await local?.close();
});

const from = (ip: string): AuditContext => ({
  actor: { type: 'system', id: 'test' },
  ip,
  userAgent: null,
  requestId: null,
  now: new Date(),
});
const forgot = (email: unknown) => local.api('POST', '/v1/password-resets', { body: { email } });

/** Reset tokens issued to a user: one per link mailed, written in the request's own transaction. */
async function resetTokensOf(userId: string): Promise<number> {
  const out = await local.db.client.send(
    new ScanCommand({
      TableName: local.db.tableName,
      FilterExpression: 'entity = :e AND userId = :u',
      ExpressionAttributeValues: { ':e': TOKEN_ENTITY, ':u': userId },
      ConsistentRead: true,
    }),
  );
  return out.Count ?? 0;
}

async function memberWithPassword(): Promise<{ userId: string; email: string; orgId: string; adminToken: string }> {
  const org = await local.seedOperatorAndOrg();
  const email = `forgot-${uniqueSuffix()}@org.test`;
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: 'Forgetful', email, role: 'member' },
  });
  expect(res.status, res.text).toBe(201);
  await local.setPassword(res.json.userId, TEST_PASSWORD);
  return { userId: res.json.userId, email, orgId: org.orgId, adminToken: org.admin.accessToken };
}

describe('POST /v1/password-resets (forgot password)', () => {
  it('mails an existing account the reset link, which sets a new password; the request and completion are audited in its org', async () => {
    const member = await memberWithPassword();
    const res = await forgot(`  ${member.email.toUpperCase()} `);
    expect(res.status, res.text).toBe(202);
    const [mail] = await local.mailTo(member.email);
    expect(mail?.body.text).toMatch(/\/password-reset\/[A-Za-z0-9_-]{20,}/);
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail!.body.text!)![1]!;

    expect(
      (await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Forgot-new-pass-4!' } })).status,
    ).toBe(204);
    await expect(local.signIn(member.email, 'Forgot-new-pass-4!')).resolves.toHaveProperty('accessToken');
    const audit = await local.api('GET', `/v1/orgs/${member.orgId}/audit-events?targetId=${member.userId}`, {
      token: member.adminToken,
    });
    const actions = (audit.json.items as { action: string; actor: { id: string } }[]).map((e) => [
      e.action,
      e.actor.id,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['member.password_reset_requested', member.userId],
        ['member.password_reset_completed', member.userId],
      ]),
    );
  });

  it('answers an unknown address the same 202 and mails nothing', async () => {
    const unknown = `nobody-${uniqueSuffix()}@org.test`;
    const res = await forgot(unknown);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    // The outbox item is written in the request's own transaction: none now means no mail ever.
    expect(await queuedTokens(local.db, unknown)).toEqual([]);
    // And the mailer, which delivered a later request's mail, sent this address none.
    const member = await memberWithPassword();
    expect((await forgot(member.email)).status).toBe(202);
    expect(await local.mailTo(member.email)).toHaveLength(1);
    expect(await queuedTokens(local.db, unknown)).toEqual([]);
  });

  it('past the per-address limit answers 202 and mails no more', async () => {
    const member = await memberWithPassword();
    const { limit } = FORGOT_PASSWORD_LIMITS.perAddress;
    for (let i = 0; i < limit + 2; i++) expect((await forgot(member.email)).status).toBe(202);
    expect(await resetTokensOf(member.userId)).toBe(limit);
  });

  it('counts concurrent requests exactly: never more links than the limit', async () => {
    const member = await memberWithPassword();
    const { limit } = FORGOT_PASSWORD_LIMITS.perAddress;
    // Through the use case with clients of their own: this file's HTTP requests all come from one IP, which has its own limit.
    await Promise.all(
      Array.from({ length: limit * 3 }, (_, i) =>
        requestOwnPasswordReset(
          { db: local.db, appUrl: 'http://console.test' },
          member.email,
          from(`203.0.113.${i + 1}`),
        ),
      ),
    );
    expect(await resetTokensOf(member.userId)).toBe(limit);
  });

  it('past the per-client-IP limit mails no more, whatever the address', async () => {
    const [a, b] = [await memberWithPassword(), await memberWithPassword()];
    const limits = {
      ...FORGOT_PASSWORD_LIMITS,
      perClientIp: { scope: `pwreset-ip-test-${uniqueSuffix()}`, limit: 2, windowSeconds: 3600 },
    };
    const deps = { db: local.db, appUrl: 'http://console.test', limits };
    await requestOwnPasswordReset(deps, a.email, from('198.51.100.7'));
    await requestOwnPasswordReset(deps, `nobody-${uniqueSuffix()}@org.test`, from('198.51.100.7'));
    await requestOwnPasswordReset(deps, b.email, from('198.51.100.7'));
    expect([await resetTokensOf(a.userId), await resetTokensOf(b.userId)]).toEqual([1, 0]);
    // Another client is not held back by the first one's requests.
    await requestOwnPasswordReset(deps, b.email, from('198.51.100.8'));
    expect(await resetTokensOf(b.userId)).toBe(1);
  });

  it('mails an SSO account nothing (its password lives at its identity provider), still 202', async () => {
    const member = await memberWithPassword();
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(member.userId),
        UpdateExpression: 'SET authSource = :sso',
        ExpressionAttributeValues: { ':sso': { kind: 'sso', idp: 'Okta' } },
      }),
    );
    expect((await forgot(member.email)).status).toBe(202);
    expect(await resetTokensOf(member.userId)).toBe(0);
  });

  it.each([
    ['not an address', { email: 'not-an-email' }, 'email'],
    ['missing', {}, 'email'],
    ['an extra field', { email: 'a@b.test', password: 'x' }, 'password'],
  ])('refuses a body with %s: 400 naming the field', async (_case, body, field) => {
    const res = await local.api('POST', '/v1/password-resets', { body });
    expectFieldProblem(res, field);
  });
});
