import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipKey, tokenKey, userKey } from '../../shared/data/keys.js';
import { sha256 } from '../../shared/ids.js';
import { expectFieldProblem, expectProblem } from '../helpers/assertions.js';
import {
  startLocalApi,
  TEST_PASSWORD,
  uniqueSuffix,
  type LocalApi,
  type SeededOrg,
  type SignedInUser,
} from '../helpers/local-api.js';
import { onlyQueuedToken } from '../helpers/outbox.js';
import { RoundTripCounter } from '../../bench/round-trip-counter.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const memberPath = (org: SeededOrg, userId: string) => `/v1/orgs/${org.orgId}/members/${userId}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Revocation compares whole seconds of `iat`: a new token must come from a later second. */
const nextSecond = () => sleep(1100);

async function addSignedInMember(org: SeededOrg, email = `m-${uniqueSuffix()}@org.test`): Promise<SignedInUser> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: 'Member', email, role: 'member' },
  });
  expect(res.status, res.text).toBe(201);
  await local.setPassword(res.json.userId, TEST_PASSWORD);
  const { accessToken } = await local.signIn(email, TEST_PASSWORD);
  return { userId: res.json.userId, email, password: TEST_PASSWORD, accessToken };
}

/** The reset link queued for `email` (the outbox item the mailer sends): its only queued mail. */
const queuedResetToken = (email: string): Promise<string> => onlyQueuedToken(local.db, email);

describe('revoke sessions', () => {
  it('refuses a token issued before the revocation on the very next request, in every org (managed account); a fresh sign-in works', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    // orgA manages the account through its verified domain, though orgB has the person too.
    expect(
      (
        await local.api('PATCH', `/v1/orgs/${orgA.orgId}`, {
          token: orgA.operator.accessToken,
          body: { verifiedDomains: ['org.test'] },
        })
      ).status,
    ).toBe(200);
    const member = await addSignedInMember(orgA);
    await local.api('POST', `/v1/orgs/${orgB.orgId}/members`, {
      token: orgB.admin.accessToken,
      body: { name: 'M', email: member.email, role: 'member' },
    });
    expect((await local.api('GET', `/v1/orgs/${orgB.orgId}`, { token: member.accessToken })).status).toBe(200);

    expect(
      (await local.api('POST', `${memberPath(orgA, member.userId)}/revoke-sessions`, { token: orgA.admin.accessToken }))
        .status,
    ).toBe(204);
    for (const org of [orgA, orgB])
      expectProblem(
        await local.api('GET', `/v1/orgs/${org.orgId}`, { token: member.accessToken }),
        401,
        'session_revoked',
      );
    expectProblem(await local.api('GET', '/v1/me', { token: member.accessToken }), 401, 'session_revoked');

    await nextSecond();
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    expect((await local.api('GET', `/v1/orgs/${orgA.orgId}`, { token: accessToken })).status).toBe(200);
  });

  it('for an account the org does not manage, ends the sessions in this org only', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(orgA);
    await local.api('POST', `/v1/orgs/${orgB.orgId}/members`, {
      token: orgB.admin.accessToken,
      body: { name: 'M', email: member.email, role: 'member' },
    });
    expect(
      (await local.api('POST', `${memberPath(orgB, member.userId)}/revoke-sessions`, { token: orgB.admin.accessToken }))
        .status,
    ).toBe(204);
    expectProblem(
      await local.api('GET', `/v1/orgs/${orgB.orgId}`, { token: member.accessToken }),
      401,
      'session_revoked',
    );
    expect((await local.api('GET', `/v1/orgs/${orgA.orgId}`, { token: member.accessToken })).status).toBe(200);
    expect((await local.api('GET', '/v1/me', { token: member.accessToken })).status).toBe(200);
  });
});

describe('reset password', () => {
  it('mails a single-use link; the old password works until it is used', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    expect(
      (await local.api('POST', `${memberPath(org, member.userId)}/reset-password`, { token: org.admin.accessToken }))
        .status,
    ).toBe(202);
    const token = await queuedResetToken(member.email);
    await expect(local.signIn(member.email, TEST_PASSWORD)).resolves.toHaveProperty('accessToken');

    expectFieldProblem(
      await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'weak' } }),
      'password',
    );
    const newPassword = 'Brand-new-pass-2!';
    const [first, second] = await Promise.all([
      local.api('POST', `/v1/password-resets/${token}`, { body: { password: newPassword } }),
      local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Other-new-pass-3!' } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([204, 404]);
    const winner = first.status === 204 ? newPassword : 'Other-new-pass-3!';
    await expect(local.signIn(member.email, winner)).resolves.toHaveProperty('accessToken');
    await expect(local.signIn(member.email, TEST_PASSWORD)).rejects.toThrow();
    expectProblem(
      await local.api('POST', `/v1/password-resets/${token}`, { body: { password: newPassword } }),
      404,
      'invalid_token',
    );
  });

  it('refuses a link past its 72 hours', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    await local.api('POST', `${memberPath(org, member.userId)}/reset-password`, { token: org.admin.accessToken });
    const token = await queuedResetToken(member.email);
    // Drive the clock: the link was issued 72 hours and a second ago.
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: tokenKey(sha256(token)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    expectProblem(
      await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Brand-new-pass-2!' } }),
      410,
      'token_expired',
    );
  });

  it('refuses SSO users with 409 sso_user and queues no mail', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(member.userId),
        UpdateExpression: 'SET authSource = :sso',
        ExpressionAttributeValues: { ':sso': { kind: 'sso', idp: 'Okta' } },
      }),
    );
    expectProblem(
      await local.api('POST', `${memberPath(org, member.userId)}/reset-password`, { token: org.admin.accessToken }),
      409,
      'sso_user',
    );
    // The SSO badge: one member and the list both say how the person signs in.
    expect(
      (await local.api('GET', memberPath(org, member.userId), { token: org.admin.accessToken })).json.authSource,
    ).toEqual({ kind: 'sso', idp: 'Okta' });
    const list = await local.api('GET', `/v1/orgs/${org.orgId}/members`, { token: org.admin.accessToken });
    const badges = Object.fromEntries(
      (list.json.items as { userId: string; authSource: unknown }[]).map((m) => [m.userId, m.authSource]),
    );
    expect(badges).toEqual({ [member.userId]: { kind: 'sso', idp: 'Okta' }, [org.admin.userId]: { kind: 'password' } });
  });

  it.each(['short', 'x'.repeat(19), 'bad token with spaces and more than twenty'])(
    'refuses a malformed token %#',
    async (token) => {
      const res = await local.api('POST', `/v1/password-resets/${encodeURIComponent(token)}`, {
        body: { password: 'Brand-new-pass-2!' },
      });
      expectFieldProblem(res, 'path.token');
    },
  );
});

describe('reset MFA', () => {
  it('with mfaRequired: the member is refused (mfa_enrollment_required) until they enrol again', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    const memberSecret = await local.server.identity.enableMfa(member.userId);
    const adminSecret = await local.server.identity.enableMfa(org.admin.userId);
    await nextSecond();
    const adminToken = (await local.signIn(org.admin.email, TEST_PASSWORD, adminSecret)).accessToken;
    let memberToken = (await local.signIn(member.email, TEST_PASSWORD, memberSecret)).accessToken;
    expect(
      (await local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: adminToken, body: { mfaRequired: true } })).status,
    ).toBe(200);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: memberToken })).status).toBe(200);

    expect((await local.api('POST', `${memberPath(org, member.userId)}/reset-mfa`, { token: adminToken })).status).toBe(
      204,
    );
    expectProblem(await local.api('GET', `/v1/orgs/${org.orgId}`, { token: memberToken }), 401, 'session_revoked');
    await nextSecond();
    memberToken = (await local.signIn(member.email, TEST_PASSWORD)).accessToken;
    expectProblem(
      await local.api('GET', `/v1/orgs/${org.orgId}`, { token: memberToken }),
      403,
      'mfa_enrollment_required',
    );

    const newSecret = await local.server.identity.enableMfa(member.userId);
    memberToken = (await local.signIn(member.email, TEST_PASSWORD, newSecret)).accessToken;
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: memberToken })).status).toBe(200);
  });

  it('without mfaRequired: sessions are revoked, nothing else', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    await local.api('POST', `${memberPath(org, member.userId)}/reset-mfa`, { token: org.admin.accessToken });
    expectProblem(
      await local.api('GET', `/v1/orgs/${org.orgId}`, { token: member.accessToken }),
      401,
      'session_revoked',
    );
    await nextSecond();
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: accessToken })).status).toBe(200);
  });
});

describe('sign-in triggers', () => {
  it('records last login on the membership, shown in the list and sortable', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    const got = await local.api('GET', memberPath(org, member.userId), { token: org.admin.accessToken });
    expect(got.json.lastLoginAt).toEqual(expect.any(String));
    const list = await local.api('GET', `/v1/orgs/${org.orgId}/members?sort=lastLoginAt&order=desc`, {
      token: org.admin.accessToken,
    });
    expect(list.json.items[0].lastLoginAt).not.toBeNull();
  });

  it('refuses the sign-in of a user whose every membership is suspended', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: membershipKey(org.orgId, member.userId),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'suspended' },
      }),
    );
    const res = await local.api('POST', '/local/sign-in', { body: { email: member.email, password: TEST_PASSWORD } });
    expect(res.status).toBe(403);
    expect(res.json.detail).toMatch(/suspended/);
  });
});

describe("the target member comes with the authorization's read (DESIGN.md section 5: the operation's round trips ≤ 2)", () => {
  it('suspend, reactivate, revoke sessions, reset password, reset MFA and remove each send at most two requests of their own', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    const counter = new RoundTripCounter();
    counter.install(local.db.client);
    const requests: [string, string][] = [
      ['suspend', 'POST'],
      ['reactivate', 'POST'],
      ['revoke-sessions', 'POST'],
      ['reset-password', 'POST'],
      ['reset-mfa', 'POST'],
      ['', 'DELETE'],
    ];
    for (const [action, method] of requests) {
      counter.reset();
      const path = action ? `${memberPath(org, member.userId)}/${action}` : memberPath(org, member.userId);
      const res = await local.api(method as 'POST' | 'DELETE', path, { token: org.admin.accessToken });
      expect(res.status, `${action} ${res.text}`).toBeLessThan(300);
      const taken = counter.taken();
      expect(
        taken.filter((t) => t.origin === 'authorization').map((t) => t.command),
        action,
      ).toEqual(['BatchGetItemCommand']);
      expect(taken.filter((t) => t.origin === 'operation').length, action).toBeLessThanOrEqual(2);
    }
  });

  it("another org's member named in the path is not found, though the authorization read their items", async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const stranger = await addSignedInMember(other);
    for (const action of ['suspend', 'revoke-sessions', 'reset-password', 'reset-mfa']) {
      expectProblem(
        await local.api('POST', `${memberPath(org, stranger.userId)}/${action}`, { token: org.admin.accessToken }),
        404,
      );
    }
    expectProblem(await local.api('DELETE', memberPath(org, stranger.userId), { token: org.admin.accessToken }), 404);
  });
});

describe('completing a reset: the token read, then one transaction (DESIGN.md section 5)', () => {
  const requestReset = async (org: SeededOrg, userId: string, email: string): Promise<string> => {
    const res = await local.api('POST', `${memberPath(org, userId)}/reset-password`, { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(202);
    return queuedResetToken(email);
  };

  it('an account with an identity: two requests of its own; a first link (lazy identity): one more, recording the identity', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    const lazyEmail = `lazy-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Lazy Member', email: lazyEmail, role: 'member' },
    });
    expect(added.status, added.text).toBe(201);
    const lazyId = added.json.userId as string;
    const tokens = [await requestReset(org, member.userId, member.email), await requestReset(org, lazyId, lazyEmail)];
    const counter = new RoundTripCounter();
    counter.install(local.db.client);

    counter.reset();
    const done = await local.api('POST', `/v1/password-resets/${tokens[0]}`, {
      body: { password: 'Brand-new-pass-2!' },
    });
    expect(done.status, done.text).toBe(204);
    const own = (origin: string) =>
      counter
        .taken()
        .filter((t) => t.origin === origin)
        .map((t) => t.command);
    expect(own('operation')).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    // What it did: earlier sessions end, the new password works, the address is proven.
    expectProblem(await local.api('GET', '/v1/me', { token: member.accessToken }), 401, 'session_revoked');
    await expect(local.signIn(member.email, 'Brand-new-pass-2!')).resolves.toHaveProperty('accessToken');

    counter.reset();
    const first = await local.api('POST', `/v1/password-resets/${tokens[1]}`, {
      body: { password: 'Lazy-first-pass-1!' },
    });
    expect(first.status, first.text).toBe(204);
    expect(own('operation')).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand']);
    expect(await local.server.identity.describe(lazyId)).toMatchObject({ emailVerified: true });
    await expect(local.signIn(lazyEmail, 'Lazy-first-pass-1!')).resolves.toHaveProperty('accessToken');
  });

  const addPending = async (org: SeededOrg, email: string): Promise<string> => {
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Pending Member', email, role: 'member' },
    });
    expect(added.status, added.text).toBe(201);
    return added.json.userId as string;
  };

  it('a provider failure after the link was used puts the link back: retried, it works, once', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `clash-${uniqueSuffix()}@org.test`;
    const userId = await addPending(org, email);
    const token = await requestReset(org, userId, email);
    // An identity Roster does not know holds the address at the provider: the person's own cannot be created.
    const stray = `stray-${uniqueSuffix()}`;
    await local.server.identity.ensureUser({ userId: stray, email, name: 'Stray' });
    expectProblem(
      await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'First-try-pass-2!' } }),
      409,
      'email_taken',
    );

    await local.server.identity.updateEmail(stray, `moved-${uniqueSuffix()}@org.test`);
    const retried = await local.api('POST', `/v1/password-resets/${token}`, {
      body: { password: 'Second-try-pass-3!' },
    });
    expect(retried.status, retried.text).toBe(204);
    await expect(local.signIn(email, 'Second-try-pass-3!')).resolves.toHaveProperty('accessToken');
    expectProblem(
      await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Third-try-pass-4!' } }),
      404,
      'invalid_token',
    );
  });

  it('an account whose address changed since the link was mailed: the password is set, the address not marked proven', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `unproven-${uniqueSuffix()}@org.test`;
    const userId = await addPending(org, email);
    await local.server.identity.ensureUser({ userId, email, name: 'Pending Member', emailVerified: false });
    await local.server.identity.setPassword(userId, TEST_PASSWORD);
    const before = await local.signIn(email, TEST_PASSWORD);
    const token = await requestReset(org, userId, email);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(userId),
        UpdateExpression: 'SET email = :email',
        ExpressionAttributeValues: { ':email': `changed-${uniqueSuffix()}@org.test` },
      }),
    );
    const done = await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Brand-new-pass-2!' } });
    expect(done.status, done.text).toBe(204);
    expect((await local.server.identity.describe(userId))?.emailVerified).toBe(false);
    expectProblem(await local.api('GET', '/v1/me', { token: before.accessToken }), 401, 'session_revoked');
    await expect(local.signIn(email, 'Brand-new-pass-2!')).resolves.toHaveProperty('accessToken');
  });
});
