import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipKey, userKey } from '../../shared/data/keys.js';
import { expectProblem } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { queuedTokens } from '../helpers/outbox.js';
import { expectScimError, newScimUser, scimClient } from '../helpers/scim-client.js';

/** A full SCIM User for PUT: the IdP's resource with a new userName (and work email). */
const newScimUserWith = (_current: string, userName: string) => ({
  ...newScimUser(),
  userName,
  emails: [{ value: userName, type: 'work', primary: true }],
});

/**
 * DESIGN.md section 1, "Accounts and who may act on them": issue 19's attacks (two orgs and the
 * platform operator) fail and change nothing; the legitimate paths work.
 */
let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const memberPath = (org: SeededOrg, userId: string) => `/v1/orgs/${org.orgId}/members/${userId}`;

async function add(org: SeededOrg, email: string, role = 'member'): Promise<string> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: 'Person', email, role },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.userId as string;
}

const put = (org: SeededOrg, userId: string, email: string, role = 'member') =>
  local.api('PUT', memberPath(org, userId), {
    token: org.admin.accessToken,
    body: { name: 'Person', email, role, teamId: null },
  });

async function verifyDomains(org: SeededOrg, domains: string[]): Promise<void> {
  const res = await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
    token: org.operator.accessToken,
    body: { verifiedDomains: domains },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json.settings.verifiedDomains).toEqual(domains);
}

describe('verifiedDomains', () => {
  it('only a platform operator sets them; an org admin gets 403 and nothing changes', async () => {
    const org = await local.seedOperatorAndOrg();
    expectProblem(
      await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
        token: org.admin.accessToken,
        body: { verifiedDomains: ['victim.test'] },
      }),
      403,
      'platform_admin_required',
    );
    expect(
      (await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken })).json.settings.verifiedDomains,
    ).toEqual([]);
    await verifyDomains(org, ['acme-corp.test']);
    expectProblem(
      await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
        token: org.operator.accessToken,
        body: { verifiedDomains: ['not a domain'] },
      }),
      400,
    );
  });
});

describe('the takeover of the operator’s account (issue 19, first paragraph) fails and changes nothing', () => {
  it('attach the operator, then PUT email, reset-mfa, suspend, revoke-sessions', async () => {
    const attacker = await local.seedOperatorAndOrg();
    const victim = await local.seedOperatorAndOrg();
    const operatorId = await add(attacker, victim.operator.email);

    const member = await local.api('GET', memberPath(attacker, operatorId), { token: attacker.admin.accessToken });
    expect(member.json.managed).toBe(false);
    const list = await local.api('GET', `/v1/orgs/${attacker.orgId}/members?sort=email`, {
      token: attacker.admin.accessToken,
    });
    expect(list.json.items.find((m: { userId: string }) => m.userId === operatorId).managed).toBe(false);

    expectProblem(await put(attacker, operatorId, `attacker-${uniqueSuffix()}@evil.test`), 403, 'account_not_managed');
    expectProblem(
      await local.api('POST', `${memberPath(attacker, operatorId)}/reset-mfa`, { token: attacker.admin.accessToken }),
      403,
      'account_not_managed',
    );
    // Even with the attacker's own domain verified, the operator's account is nobody's.
    await verifyDomains(attacker, ['roster.test']);
    expectProblem(await put(attacker, operatorId, `op-${uniqueSuffix()}@roster.test`), 403, 'account_not_managed');

    // Revoking sessions ends them in the attacker's org only: the operator keeps working.
    expect(
      (
        await local.api('POST', `${memberPath(attacker, operatorId)}/revoke-sessions`, {
          token: attacker.admin.accessToken,
        })
      ).status,
    ).toBe(204);
    expect((await local.api('GET', '/v1/me', { token: victim.operator.accessToken })).status).toBe(200);
    expect((await local.api('GET', `/v1/orgs/${victim.orgId}`, { token: victim.operator.accessToken })).status).toBe(
      200,
    );

    // Suspending the only membership does not block the operator's sign-in.
    expect(
      (await local.api('POST', `${memberPath(attacker, operatorId)}/suspend`, { token: attacker.admin.accessToken }))
        .status,
    ).toBe(200);
    await local.signIn(victim.operator.email, TEST_PASSWORD);

    const me = await local.api('GET', '/v1/me', {
      token: (await local.signIn(victim.operator.email, TEST_PASSWORD)).accessToken,
    });
    expect(me.json.email ?? me.json.user?.email).toBe(victim.operator.email);
    expect(await queuedTokens(local.db, `attacker@evil.test`)).toEqual([]);
  });

  it('a second org cannot reset a shared person’s MFA nor end their sessions elsewhere', async () => {
    const home = await local.seedOperatorAndOrg();
    const vendor = await local.seedOperatorAndOrg();
    const email = `shared-${uniqueSuffix()}@home.test`;
    const userId = await add(home, email);
    await local.setPassword(userId, TEST_PASSWORD);
    await add(vendor, email);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);

    expectProblem(
      await local.api('POST', `${memberPath(vendor, userId)}/reset-mfa`, { token: vendor.admin.accessToken }),
      403,
      'account_not_managed',
    );
    expectProblem(await put(vendor, userId, `new-${uniqueSuffix()}@home.test`), 403, 'account_not_managed');
    expect(
      (await local.api('POST', `${memberPath(vendor, userId)}/revoke-sessions`, { token: vendor.admin.accessToken }))
        .status,
    ).toBe(204);
    expectProblem(await local.api('GET', `/v1/orgs/${vendor.orgId}`, { token: accessToken }), 401, 'session_revoked');
    expect((await local.api('GET', `/v1/orgs/${home.orgId}`, { token: accessToken })).status).toBe(200);
    // The home org created the account, but it is no longer the only org: not managed either.
    expect((await local.api('GET', memberPath(home, userId), { token: home.admin.accessToken })).json.managed).toBe(
      false,
    );
    // A sign-in right after the revocation works in the vendor org again.
    const fresh = await local.signIn(email, TEST_PASSWORD);
    expect((await local.api('GET', `/v1/orgs/${vendor.orgId}`, { token: fresh.accessToken })).status).toBe(200);
  });

  it('an admin cannot give their own account an address they do not own: it stays pending until confirmed', async () => {
    const org = await local.seedOperatorAndOrg();
    const squatted = `ceo-${uniqueSuffix()}@victim.test`;
    const res = await put(org, org.admin.userId, squatted, 'org_admin');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ email: org.admin.email, pendingEmail: squatted });
    // Another org adding that address gets a new account, not the squatter's.
    const other = await local.seedOperatorAndOrg();
    const victimId = await add(other, squatted);
    expect(victimId).not.toBe(org.admin.userId);
  });
});

describe('an org closes only itself for an account it does not manage (issue 19: blocking sign-in and global sign-out are managed-only)', () => {
  it('suspending, then removing, the last active membership of an attached account leaves its sessions and sign-in untouched', async () => {
    const attacker = await local.seedOperatorAndOrg();
    const email = `own-${uniqueSuffix()}@gmail.test`;
    // An account no org created (as a self-registered person's): its only membership is the attacker's.
    const { userId } = await local.createUserWithPassword(email, TEST_PASSWORD);
    expect(await add(attacker, email)).toBe(userId);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);

    expect(
      (await local.api('POST', `${memberPath(attacker, userId)}/suspend`, { token: attacker.admin.accessToken }))
        .status,
    ).toBe(200);
    expect((await local.api('GET', '/v1/me', { token: accessToken })).status).toBe(200);
    expectProblem(
      await local.api('GET', `/v1/orgs/${attacker.orgId}`, { token: accessToken }),
      403,
      'membership_inactive',
    );
    expect((await local.api('POST', '/local/sign-in', { body: { email, password: TEST_PASSWORD } })).status).toBe(200);

    expect(
      (await local.api('DELETE', memberPath(attacker, userId), { token: attacker.admin.accessToken })).status,
    ).toBe(204);
    expect((await local.api('GET', '/v1/me', { token: accessToken })).status).toBe(200);
    expect((await local.api('POST', '/local/sign-in', { body: { email, password: TEST_PASSWORD } })).status).toBe(200);
    const user = await local.db.client.send(
      new GetCommand({ TableName: local.db.tableName, Key: userKey(userId), ConsistentRead: true }),
    );
    expect(user.Item?.sessionsRevokedAt ?? null).toBeNull();
  });

  it('the operator attached and suspended keeps the session they had', async () => {
    const attacker = await local.seedOperatorAndOrg();
    const victim = await local.seedOperatorAndOrg();
    const operatorId = await add(attacker, victim.operator.email);
    expect(
      (await local.api('POST', `${memberPath(attacker, operatorId)}/suspend`, { token: attacker.admin.accessToken }))
        .status,
    ).toBe(200);
    expect((await local.api('GET', '/v1/me', { token: victim.operator.accessToken })).status).toBe(200);
    expect(
      (await local.api('DELETE', memberPath(attacker, operatorId), { token: attacker.admin.accessToken })).status,
    ).toBe(204);
    expect((await local.api('GET', `/v1/orgs/${victim.orgId}`, { token: victim.operator.accessToken })).status).toBe(
      200,
    );
  });

  it('a home org suspending its sole member still ends their sessions everywhere (managed)', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `sole-out-${uniqueSuffix()}@gmail.test`;
    const userId = await add(org, email);
    await local.setPassword(userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    expect(
      (await local.api('POST', `${memberPath(org, userId)}/suspend`, { token: org.admin.accessToken })).status,
    ).toBe(200);
    expectProblem(await local.api('GET', '/v1/me', { token: accessToken }), 401, 'session_revoked');
    expectProblem(
      await local.api('POST', '/local/sign-in', { body: { email, password: TEST_PASSWORD } }),
      403,
      'sign_in_refused',
    );
  });
});

describe('legitimate account changes', () => {
  it('a verified-domain org changes an employee’s email at once and resets their MFA although a vendor org has them too', async () => {
    const employer = await local.seedOperatorAndOrg();
    const vendor = await local.seedOperatorAndOrg();
    const domain = `corp-${uniqueSuffix()}.test`;
    await verifyDomains(employer, [domain]);
    const userId = await add(employer, `emp@${domain}`);
    await add(vendor, `emp@${domain}`);
    expect(
      (await local.api('GET', memberPath(employer, userId), { token: employer.admin.accessToken })).json.managed,
    ).toBe(true);

    const res = await put(employer, userId, `employee@${domain}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ email: `employee@${domain}`, pendingEmail: null });
    expect((await local.api('GET', memberPath(vendor, userId), { token: vendor.admin.accessToken })).json.email).toBe(
      `employee@${domain}`,
    );
    expect(await queuedTokens(local.db, `employee@${domain}`)).toEqual([]);
    expect(
      (await local.api('POST', `${memberPath(employer, userId)}/reset-mfa`, { token: employer.admin.accessToken }))
        .status,
    ).toBe(204);
  });

  it('a home org manages its sole member; an address outside its domains applies only through the mailed link, once', async () => {
    const org = await local.seedOperatorAndOrg();
    const userId = await add(org, `sole-${uniqueSuffix()}@gmail.test`);
    expect((await local.api('GET', memberPath(org, userId), { token: org.admin.accessToken })).json.managed).toBe(true);
    const next = `sole-new-${uniqueSuffix()}@gmail.test`;
    const res = await put(org, userId, next);
    expect(res.status, res.text).toBe(200);
    expect(res.json.pendingEmail).toBe(next);
    expect((await local.api('GET', memberPath(org, userId), { token: org.admin.accessToken })).json.email).not.toBe(
      next,
    );

    const [token] = await queuedTokens(local.db, next, 'email_confirmation');
    expect(token).toEqual(expect.any(String));
    expectProblem(await local.api('POST', `/v1/email-confirmations/${'x'.repeat(43)}`), 404, 'invalid_token');
    const confirmed = await local.api('POST', `/v1/email-confirmations/${token}`);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toEqual({ userId, email: next });
    const after = await local.api('GET', memberPath(org, userId), { token: org.admin.accessToken });
    expect(after.json).toMatchObject({ email: next, pendingEmail: null });
    expectProblem(await local.api('POST', `/v1/email-confirmations/${token}`), 404, 'invalid_token');
    // The new address signs in.
    await local.setPassword(userId, TEST_PASSWORD);
    await local.signIn(next, TEST_PASSWORD);
  });

  it('a home org still blocks sign-in of its sole member by suspending them', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `blocked-${uniqueSuffix()}@gmail.test`;
    const userId = await add(org, email);
    await local.setPassword(userId, TEST_PASSWORD);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: membershipKey(org.orgId, userId),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'suspended' },
      }),
    );
    const res = await local.api('POST', '/local/sign-in', { body: { email, password: TEST_PASSWORD } });
    expectProblem(res, 403, 'sign_in_refused');
  });
});

describe('tokens', () => {
  it('the API refuses an ID token at the gateway (the routes require the access-token scope, as in AWS)', async () => {
    const org = await local.seedOperatorAndOrg();
    const { idToken } = await local.signIn(org.admin.email, TEST_PASSWORD);
    const res = await local.api('GET', '/v1/me', { token: idToken });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ message: 'Forbidden' });
  });

  it('mfaRequired cannot be turned on by an admin without MFA (409) and nothing changes', async () => {
    const org = await local.seedOperatorAndOrg();
    expectProblem(
      await local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken, body: { mfaRequired: true } }),
      409,
      'mfa_required_for_caller',
    );
    expect(
      (await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken })).json.settings.mfaRequired,
    ).toBe(false);
  });

  it('a person who turns their MFA off loses mfaRequired orgs on their next request, with the same token; other orgs keep answering', async () => {
    const strict = await local.seedOperatorAndOrg();
    const relaxed = await local.seedOperatorAndOrg();
    const adminSecret = await local.server.identity.enableMfa(strict.admin.userId);
    const admin = await local.signIn(strict.admin.email, TEST_PASSWORD, adminSecret);
    expect(
      (await local.api('PATCH', `/v1/orgs/${strict.orgId}`, { token: admin.accessToken, body: { mfaRequired: true } }))
        .status,
    ).toBe(200);

    const email = `mfa-${uniqueSuffix()}@gmail.test`;
    const userId = await add(strict, email);
    await add(relaxed, email);
    await local.setPassword(userId, TEST_PASSWORD);
    const secret = await local.server.identity.enableMfa(userId);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD, secret);
    expect((await local.api('GET', `/v1/orgs/${strict.orgId}`, { token: accessToken })).status).toBe(200);

    const setMfa = (enabled: boolean) => local.api('PUT', '/v1/me/mfa', { token: accessToken, body: { enabled } });
    expect((await setMfa(false)).status).toBe(200);
    expectProblem(
      await local.api('GET', `/v1/orgs/${strict.orgId}`, { token: accessToken }),
      403,
      'mfa_enrollment_required',
    );
    expect((await local.api('GET', `/v1/orgs/${relaxed.orgId}`, { token: accessToken })).status).toBe(200);
    const user = await local.db.client.send(
      new GetCommand({ TableName: local.db.tableName, Key: userKey(userId), ConsistentRead: true }),
    );
    expect(user.Item).toMatchObject({ mfaEnabled: false, mfaChangedAt: expect.any(String) });

    // Turned on again (the verified factor is kept): the org answers again, no new sign-in needed.
    expect((await setMfa(true)).status).toBe(200);
    expect((await local.api('GET', `/v1/orgs/${strict.orgId}`, { token: accessToken })).status).toBe(200);
  });

  it('MFA turned off at Cognito directly (a pool without the web ACL; Roster not told) is recorded at the next token refresh by the pre-token-generation trigger', async () => {
    const strict = await local.seedOperatorAndOrg();
    const adminSecret = await local.server.identity.enableMfa(strict.admin.userId);
    const admin = await local.signIn(strict.admin.email, TEST_PASSWORD, adminSecret);
    const patch = { token: admin.accessToken, body: { mfaRequired: true } };
    expect((await local.api('PATCH', `/v1/orgs/${strict.orgId}`, patch)).status).toBe(200);
    const email = `refresh-mfa-${uniqueSuffix()}@gmail.test`;
    const userId = await add(strict, email);
    await local.setPassword(userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD, await local.server.identity.enableMfa(userId));
    const getOrg = () => local.api('GET', `/v1/orgs/${strict.orgId}`, { token: accessToken });
    expect((await getOrg()).status).toBe(200);

    // As Cognito's SetUserMFAPreference on a pool without Roster's web ACL (an imported pool): the
    // factor goes, nobody tells Roster.
    await local.server.identity.setSoftwareTokenMfa(userId, false);
    expect((await getOrg()).status).toBe(200);

    const { handler } = await import('../../functions/triggers/pre-token-generation.js');
    const refresh = {
      version: '2',
      triggerSource: 'TokenGeneration_RefreshTokens',
      region: 'local',
      userPoolId: 'local',
      userName: userId,
      callerContext: { awsSdkVersion: 'local', clientId: 'local' },
      request: { userAttributes: { sub: userId, email }, groupConfiguration: { groupsToOverride: [] }, scopes: [] },
      response: {},
    } as unknown as Parameters<typeof handler>[0];
    await handler(refresh);
    expectProblem(await getOrg(), 403, 'mfa_enrollment_required');
    const recorded = async () =>
      (
        await local.db.client.send(
          new GetCommand({ TableName: local.db.tableName, Key: userKey(userId), ConsistentRead: true }),
        )
      ).Item;
    const first = await recorded();
    expect(first).toMatchObject({ mfaEnabled: false, mfaChangedAt: expect.any(String) });

    // A refresh that finds nothing changed writes nothing.
    await handler(refresh);
    expect((await recorded())?.mfaChangedAt).toBe(first?.mfaChangedAt);
  });

  it('a sign-in right after a revocation works, within the same second', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `again-${uniqueSuffix()}@gmail.test`;
    const userId = await add(org, email);
    await local.setPassword(userId, TEST_PASSWORD);
    const old = await local.signIn(email, TEST_PASSWORD);
    expect(
      (await local.api('POST', `${memberPath(org, userId)}/revoke-sessions`, { token: org.admin.accessToken })).status,
    ).toBe(204);
    const fresh = await local.signIn(email, TEST_PASSWORD);
    expectProblem(await local.api('GET', `/v1/orgs/${org.orgId}`, { token: old.accessToken }), 401, 'session_revoked');
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: fresh.accessToken })).status).toBe(200);
  });
});

describe('DELETE /v1/me/memberships/{orgId}', () => {
  it('a person leaves an org that added them: the membership goes, an audit event member.left, their other org untouched', async () => {
    const home = await local.seedOperatorAndOrg();
    const vendor = await local.seedOperatorAndOrg();
    const email = `leaver-${uniqueSuffix()}@gmail.test`;
    const userId = await add(home, email);
    await add(vendor, email);
    await local.setPassword(userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);

    // Another org's admin and a plain member cannot make someone else leave: the route acts on the caller only.
    expect((await local.api('DELETE', `/v1/me/memberships/${vendor.orgId}`, { token: accessToken })).status).toBe(204);
    expectProblem(await local.api('GET', memberPath(vendor, userId), { token: vendor.admin.accessToken }), 404);
    expect((await local.api('GET', `/v1/orgs/${home.orgId}`, { token: accessToken })).status).toBe(200);
    const audit = await local.api('GET', `/v1/orgs/${vendor.orgId}/audit-events?action=member.left`, {
      token: vendor.admin.accessToken,
    });
    expect(audit.json.items).toEqual([
      expect.objectContaining({ action: 'member.left', target: { type: 'member', id: userId } }),
    ]);
    // No membership (any more) to leave: 404.
    expectProblem(await local.api('DELETE', `/v1/me/memberships/${vendor.orgId}`, { token: accessToken }), 404);
  });

  it('the last active admin cannot leave; nothing changes', async () => {
    const org = await local.seedOperatorAndOrg();
    expectProblem(
      await local.api('DELETE', `/v1/me/memberships/${org.orgId}`, { token: org.admin.accessToken }),
      409,
      'last_admin',
    );
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken })).status).toBe(200);
  });
});

describe('reset password (issue 19: mails the account’s own address, rate-limited per account)', () => {
  /** Clock-hour windows: a test starting just before the hour waits for it, so its requests share one window. */
  async function awayFromHourBoundary(): Promise<void> {
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
  }

  it('at most 5 an hour per account, whichever orgs ask: the 6th is 429 with Retry-After and queues nothing; another account is unaffected', async () => {
    await awayFromHourBoundary();
    const home = await local.seedOperatorAndOrg();
    const vendor = await local.seedOperatorAndOrg();
    const email = `flood-${uniqueSuffix()}@gmail.test`;
    const userId = await add(home, email);
    await add(vendor, email);
    const reset = (org: SeededOrg, id = userId) =>
      local.api('POST', `${memberPath(org, id)}/reset-password`, { token: org.admin.accessToken });
    for (const org of [home, home, home, vendor, vendor]) expect((await reset(org)).status).toBe(202);
    const refused = await reset(vendor);
    expectProblem(refused, 429, 'password_reset_rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expectProblem(await reset(home), 429, 'password_reset_rate_limited');
    expect(await queuedTokens(local.db, email, 'password_reset')).toHaveLength(5);
    const audit = await local.api(
      'GET',
      `/v1/orgs/${vendor.orgId}/audit-events?action=member.password_reset_requested`,
      { token: vendor.admin.accessToken },
    );
    expect(audit.json.items).toHaveLength(2);

    const otherId = await add(home, `other-${uniqueSuffix()}@gmail.test`);
    expect((await reset(home, otherId)).status).toBe(202);
  });

  it('concurrent requests for one account never pass the limit: 5 links in all, then 429', async () => {
    await awayFromHourBoundary();
    const org = await local.seedOperatorAndOrg();
    const email = `race-${uniqueSuffix()}@gmail.test`;
    const userId = await add(org, email);
    const reset = () =>
      local.api('POST', `${memberPath(org, userId)}/reset-password`, { token: org.admin.accessToken });
    const answers = await Promise.all(Array.from({ length: 9 }, reset));
    // A loser of the counter's race is refused (429) or told to retry (409 concurrent_modification): never a token past the limit.
    for (const loser of answers.filter((a) => a.status !== 202)) expect([409, 429], loser.text).toContain(loser.status);
    let accepted = answers.filter((a) => a.status === 202).length;
    expect(accepted).toBeLessThanOrEqual(5);
    // Retried one by one, the account reaches exactly 5, then 429; the recount of queued links agrees.
    for (let answer = await reset(); answer.status !== 429; answer = await reset()) {
      expect(answer.status, answer.text).toBe(202);
      accepted += 1;
    }
    expect(accepted).toBe(5);
    expect(await queuedTokens(local.db, email, 'password_reset')).toHaveLength(5);
  });

  it('the link goes to the account’s current address, never to an address pending confirmation', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `current-${uniqueSuffix()}@gmail.test`;
    const userId = await add(org, email);
    const pending = `pending-${uniqueSuffix()}@evil.test`;
    expect((await put(org, userId, pending)).json.pendingEmail).toBe(pending);
    expect(
      (await local.api('POST', `${memberPath(org, userId)}/reset-password`, { token: org.admin.accessToken })).status,
    ).toBe(202);
    expect(await queuedTokens(local.db, email, 'password_reset')).toHaveLength(1);
    expect(await queuedTokens(local.db, pending, 'password_reset')).toEqual([]);
  });
});

describe('SCIM userName changes follow the same rules (issue 19)', () => {
  it('a managed account: an out-of-domain userName becomes pendingEmail with one confirmation mail (not again at the next push), applied only by the link', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const user = await idp.createUser();
    const next = `moved-${uniqueSuffix()}@elsewhere.test`;
    const replace = () => idp.send('PUT', `/Users/${user.id}`, newScimUserWith(user.userName, next));
    const first = await replace();
    expect(first.status, first.text).toBe(200);
    expect(first.json.userName).toBe(user.userName);
    expect((await local.api('GET', memberPath(org, user.id), { token: org.admin.accessToken })).json).toMatchObject({
      email: user.userName,
      pendingEmail: next,
    });
    expect((await replace()).status).toBe(200);
    const tokens = await queuedTokens(local.db, next, 'email_confirmation');
    expect(tokens).toHaveLength(1);

    expect((await local.api('POST', `/v1/email-confirmations/${tokens[0]}`)).status).toBe(200);
    expect((await idp.send('GET', `/Users/${user.id}`)).json.userName).toBe(next);
    // A provisioned person has no identity until first needed (lazy identities): the provider has nothing to change;
    // the identity, once created from a mailed link, carries the confirmed address, verified.
    expect(await local.server.identity.describe(user.id)).toBeUndefined();
    await local.setPassword(user.id, TEST_PASSWORD);
    expect(await local.server.identity.describe(user.id)).toMatchObject({ email: next, emailVerified: true });
  });

  it('an account the org does not manage: the userName change is refused (SCIM 403) and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const user = await idp.createUser();
    await add(other, user.userName);
    const next = `taken-${uniqueSuffix()}@evil.test`;
    expectScimError(await idp.send('PUT', `/Users/${user.id}`, newScimUserWith(user.userName, next)), 403);
    expect((await local.api('GET', memberPath(org, user.id), { token: org.admin.accessToken })).json).toMatchObject({
      email: user.userName,
      pendingEmail: null,
    });
    expect(await queuedTokens(local.db, next)).toEqual([]);
  });
});

describe('Cognito email_verified (issue 19): true only for a proven address or a verified domain', () => {
  it('an address an admin typed has no identity, so nothing verified, until its owner uses a mailed link, which creates the identity verified (lazy identities)', async () => {
    const org = await local.seedOperatorAndOrg();
    const domain = `proof-${uniqueSuffix()}.test`;
    await verifyDomains(org, [domain]);
    const typed = await add(org, `typed-${uniqueSuffix()}@gmail.test`);
    expect(await local.server.identity.describe(typed)).toBeUndefined();
    const inDomain = await add(org, `staff@${domain}`);
    expect(await local.server.identity.describe(inDomain)).toBeUndefined();

    // A completed reset proves the address the link went to.
    expect(
      (await local.api('POST', `${memberPath(org, typed)}/reset-password`, { token: org.admin.accessToken })).status,
    ).toBe(202);
    const email = (await local.api('GET', memberPath(org, typed), { token: org.admin.accessToken })).json
      .email as string;
    const [token] = await queuedTokens(local.db, email, 'password_reset');
    expect(
      (await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Proven-password-1!' } })).status,
    ).toBe(204);
    expect((await local.server.identity.describe(typed))?.emailVerified).toBe(true);
  });

  it('an accepted invitation proves the address, for a new identity and for one an admin had added', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const email = `invited-${uniqueSuffix()}@gmail.test`;
    const invite = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
      token: org.admin.accessToken,
      body: { emails: [email], role: 'member' },
    });
    expect(invite.status, invite.text).toBe(200);
    const [token] = await queuedTokens(local.db, email, 'invitation');
    expect(
      (
        await local.api('POST', `/v1/invitations/${token}/accept`, {
          body: { name: 'Invited', password: TEST_PASSWORD },
        })
      ).status,
    ).toBe(201);
    const { userId } = (
      await local.api('GET', `/v1/me`, { token: (await local.signIn(email, TEST_PASSWORD)).accessToken })
    ).json as { userId: string };
    expect((await local.server.identity.describe(userId))?.emailVerified).toBe(true);

    const added = await add(other, `added-${uniqueSuffix()}@gmail.test`);
    const addedEmail = (await local.api('GET', memberPath(other, added), { token: other.admin.accessToken })).json
      .email as string;
    await local.setPassword(added, TEST_PASSWORD);
    const signedIn = await local.signIn(addedEmail, TEST_PASSWORD);
    expect(
      (
        await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
          token: org.admin.accessToken,
          body: { emails: [addedEmail], role: 'member' },
        })
      ).status,
    ).toBe(200);
    const [second] = await queuedTokens(local.db, addedEmail, 'invitation');
    expect((await local.api('POST', `/v1/invitations/${second}/accept`, { token: signedIn.accessToken })).status).toBe(
      201,
    );
    expect((await local.server.identity.describe(added))?.emailVerified).toBe(true);
  });
});

describe('completing a password reset', () => {
  it('ends every earlier session and kills the other outstanding links of the account', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = `resetter-${uniqueSuffix()}@gmail.test`;
    const userId = await add(org, email);
    await local.setPassword(userId, TEST_PASSWORD);
    const before = await local.signIn(email, TEST_PASSWORD);
    for (let i = 0; i < 2; i++)
      expect(
        (await local.api('POST', `${memberPath(org, userId)}/reset-password`, { token: org.admin.accessToken })).status,
      ).toBe(202);
    const [first, second] = await queuedTokens(local.db, email, 'password_reset');
    expect(second).toEqual(expect.any(String));

    expect(
      (await local.api('POST', `/v1/password-resets/${first}`, { body: { password: 'Another-password-2!' } })).status,
    ).toBe(204);
    expectProblem(await local.api('GET', '/v1/me', { token: before.accessToken }), 401, 'session_revoked');
    expectProblem(
      await local.api('POST', `/v1/password-resets/${second}`, { body: { password: 'Third-password-3!' } }),
      404,
      'invalid_token',
    );
    const after = await local.signIn(email, 'Another-password-2!');
    expect((await local.api('GET', '/v1/me', { token: after.accessToken })).status).toBe(200);
  });
});
