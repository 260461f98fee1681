import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { getMembership } from '../../shared/members/membership-repository.js';
import { createSsoConnection } from '../../shared/sso/manage-connections.js';
import { findUserIdByEmail } from '../../shared/users/user-repository.js';
import { expectProblem } from '../helpers/assertions.js';
import { federatedSignIn } from '../helpers/federation.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { queuedTokens } from '../helpers/outbox.js';

let local: LocalApi;
beforeAll(async () => {
  local = await startLocalApi();
});
afterAll(async () => {
  await local?.close();
});

const adminAudit = (userId: string): AuditContext => ({
  actor: { type: 'user', id: userId, email: null },
  ip: null,
  userAgent: null,
  requestId: null,
  now: new Date(),
});

/** A fresh org with a verified domain of its own, optionally with an OIDC connection serving it. */
async function orgWithDomain(withConnection: boolean) {
  const seeded = await local.seedOperatorAndOrg();
  const domain = `enf-${uniqueSuffix()}.test`;
  const patch = await local.api('PATCH', `/v1/orgs/${seeded.orgId}`, {
    token: seeded.operator.accessToken,
    body: { verifiedDomains: [domain] },
  });
  expect(patch.status, patch.text).toBe(200);
  const connection = withConnection
    ? await createSsoConnection(
        { db: local.db, identity: local.server.identity },
        seeded.orgId,
        {
          name: 'Acme Okta',
          protocol: 'oidc',
          domains: [domain],
          oidc: { issuer: 'http://localhost:8010', clientId: 'roster', clientSecret: 's3cret' },
          jitProvisioning: true,
        },
        adminAudit(seeded.admin.userId),
      )
    : undefined;
  return { seeded, domain, connection };
}

/** A member with a password, added by the org's admin. */
async function memberWithPassword(seeded: SeededOrg, email: string, role: 'member' | 'org_admin' = 'member') {
  const res = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
    token: seeded.admin.accessToken,
    body: { name: 'Pat', email, role },
  });
  expect(res.status, res.text).toBe(201);
  await local.setPassword(res.json.userId as string, TEST_PASSWORD);
  return { userId: res.json.userId as string, email };
}

const passwordSignIn = (email: string) =>
  local.api('POST', '/local/sign-in', { body: { email, password: TEST_PASSWORD } });

const requireSso = (seeded: SeededOrg, body: Record<string, boolean>) =>
  local.api('PATCH', `/v1/orgs/${seeded.orgId}`, { token: seeded.admin.accessToken, body });

describe('PATCH /v1/orgs/{orgId}: ssoRequired and ssoBreakGlassForAdmins', () => {
  it('defaults to off with break-glass on, and refuses ssoRequired without a connection (409, nothing changed)', async () => {
    const { seeded } = await orgWithDomain(false);
    const org = await local.api('GET', `/v1/orgs/${seeded.orgId}`, { token: seeded.admin.accessToken });
    expect(org.json.settings).toMatchObject({ ssoRequired: false, ssoBreakGlassForAdmins: true });
    expectProblem(await requireSso(seeded, { ssoRequired: true }), 409, 'sso_connection_required');
    const after = await local.api('GET', `/v1/orgs/${seeded.orgId}`, { token: seeded.admin.accessToken });
    expect(after.json.settings.ssoRequired).toBe(false);
    expect(after.json.updatedAt).toBe(org.json.updatedAt);
  });

  it('turns on with a connection, audited as org.updated with before and after', async () => {
    const { seeded } = await orgWithDomain(true);
    const res = await requireSso(seeded, { ssoRequired: true });
    expect(res.status, res.text).toBe(200);
    expect(res.json.settings).toMatchObject({ ssoRequired: true, ssoBreakGlassForAdmins: true });
    const events = await local.api('GET', `/v1/orgs/${seeded.orgId}/audit-events?action=org.updated`, {
      token: seeded.admin.accessToken,
    });
    expect(events.json.items[0]).toMatchObject({ before: { ssoRequired: false }, after: { ssoRequired: true } });
  });

  it('names the field of a non-boolean value (400), and refuses a plain member (403) and another org’s admin (404/403)', async () => {
    const { seeded } = await orgWithDomain(true);
    const bad = await requireSso(seeded, { ssoRequired: 'yes' as unknown as boolean });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('ssoRequired');
    const member = await memberWithPassword(seeded, `plain-${uniqueSuffix()}@org.test`);
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    const byMember = await local.api('PATCH', `/v1/orgs/${seeded.orgId}`, {
      token: accessToken,
      body: { ssoRequired: true },
    });
    expect(byMember.status).toBe(403);
    const other = await local.seedOperatorAndOrg();
    const byOther = await local.api('PATCH', `/v1/orgs/${seeded.orgId}`, {
      token: other.admin.accessToken,
      body: { ssoRequired: true },
    });
    expect([403, 404]).toContain(byOther.status);
    const org = await local.api('GET', `/v1/orgs/${seeded.orgId}`, { token: seeded.admin.accessToken });
    expect(org.json.settings.ssoRequired).toBe(false);
  });
});

describe('password sign-in where the org requires SSO', () => {
  it('refuses members of the connection’s domains (403 from the pre-authentication trigger); others, operators and break-glass admins sign in', async () => {
    const { seeded, domain } = await orgWithDomain(true);
    const inDomain = await memberWithPassword(seeded, `pat-${uniqueSuffix()}@${domain}`);
    const elsewhere = await memberWithPassword(seeded, `guest-${uniqueSuffix()}@org.test`);
    const domainAdmin = await memberWithPassword(seeded, `boss-${uniqueSuffix()}@${domain}`, 'org_admin');
    // Before SSO is required, the password works.
    expect((await passwordSignIn(inDomain.email)).status).toBe(200);
    expect((await requireSso(seeded, { ssoRequired: true })).status).toBe(200);

    const refused = await passwordSignIn(inDomain.email);
    expectProblem(refused, 403, 'sign_in_refused');
    expect(refused.json.detail).toMatch(/requires single sign-on.*Acme Okta/);
    expect((await passwordSignIn(elsewhere.email)).status).toBe(200);
    expect((await passwordSignIn(domainAdmin.email)).status).toBe(200);
    expect((await passwordSignIn(seeded.operator.email)).status).toBe(200);

    // Break-glass off: the domain's admin too must use SSO.
    expect((await requireSso(seeded, { ssoBreakGlassForAdmins: false })).status).toBe(200);
    expectProblem(await passwordSignIn(domainAdmin.email), 403, 'sign_in_refused');
    // Off again: everyone's password works again.
    expect((await requireSso(seeded, { ssoRequired: false })).status).toBe(200);
    expect((await passwordSignIn(inDomain.email)).status).toBe(200);
    expect((await passwordSignIn(domainAdmin.email)).status).toBe(200);
  });

  it('gives a suspended admin no break-glass', async () => {
    const { seeded, domain } = await orgWithDomain(true);
    const admin = await memberWithPassword(seeded, `susp-${uniqueSuffix()}@${domain}`, 'org_admin');
    expect((await requireSso(seeded, { ssoRequired: true })).status).toBe(200);
    const suspended = await local.api('POST', `/v1/orgs/${seeded.orgId}/members/${admin.userId}/suspend`, {
      token: seeded.admin.accessToken,
    });
    expect(suspended.status, suspended.text).toBe(200);
    expectProblem(await passwordSignIn(admin.email), 403, 'sign_in_refused');
  });
});

describe('password resets where the org requires SSO', () => {
  it('refuses an admin’s reset with 409 sso_user (no link), answers forgot-password 202 as for an unknown address and queues no link, and refuses a link mailed before', async () => {
    const { seeded, domain } = await orgWithDomain(true);
    const member = await memberWithPassword(seeded, `reset-${uniqueSuffix()}@${domain}`);
    // A link mailed while passwords were still allowed.
    const early = await local.api('POST', '/v1/password-resets', { body: { email: member.email } });
    expect(early.status).toBe(202);
    const [earlyToken] = await queuedTokens(local.db, member.email);
    expect(earlyToken).toBeDefined();

    expect((await requireSso(seeded, { ssoRequired: true })).status).toBe(200);
    expectProblem(
      await local.api('POST', `/v1/orgs/${seeded.orgId}/members/${member.userId}/reset-password`, {
        token: seeded.admin.accessToken,
      }),
      409,
      'sso_user',
    );
    const forgot = await local.api('POST', '/v1/password-resets', { body: { email: member.email } });
    expect(forgot.status).toBe(202);
    const unknown = await local.api('POST', '/v1/password-resets', {
      body: { email: `nobody-${uniqueSuffix()}@${domain}` },
    });
    expect(forgot.status).toBe(unknown.status);
    expect(forgot.text).toBe(unknown.text);
    expect(await queuedTokens(local.db, member.email)).toEqual([earlyToken]);

    expectProblem(
      await local.api('POST', `/v1/password-resets/${earlyToken}`, { body: { password: 'Brand-new-pass-2!' } }),
      409,
      'sso_user',
    );
    // The link is not spent: with SSO no longer required it works.
    expect((await requireSso(seeded, { ssoRequired: false })).status).toBe(200);
    const done = await local.api('POST', `/v1/password-resets/${earlyToken}`, {
      body: { password: 'Brand-new-pass-2!' },
    });
    expect(done.status, done.text).toBe(204);
  });
});

describe('admin password resets in a domain with a connection', () => {
  it('mail the link while the org does not require SSO, and to a break-glass admin when it does', async () => {
    const { seeded, domain } = await orgWithDomain(true);
    const reset = (userId: string) =>
      local.api('POST', `/v1/orgs/${seeded.orgId}/members/${userId}/reset-password`, {
        token: seeded.admin.accessToken,
      });
    const member = await memberWithPassword(seeded, `open-${uniqueSuffix()}@${domain}`);
    const admin = await memberWithPassword(seeded, `glass-${uniqueSuffix()}@${domain}`, 'org_admin');
    const before = await reset(member.userId);
    expect(before.status, before.text).toBe(202);
    expect(await queuedTokens(local.db, member.email, 'password_reset')).toHaveLength(1);

    expect((await requireSso(seeded, { ssoRequired: true })).status).toBe(200);
    expectProblem(await reset(member.userId), 409, 'sso_user');
    const glass = await reset(admin.userId);
    expect(glass.status, glass.text).toBe(202);
    expect(await queuedTokens(local.db, admin.email, 'password_reset')).toHaveLength(1);
  });
});

describe('deleting the last SSO connection', () => {
  it('is refused while the org requires SSO (409 sso_required, connection kept), allowed once it does not', async () => {
    const { seeded, connection } = await orgWithDomain(true);
    expect((await requireSso(seeded, { ssoRequired: true })).status).toBe(200);
    const path = `/v1/orgs/${seeded.orgId}/sso-connections/${connection!.connectionId}`;
    expectProblem(await local.api('DELETE', path, { token: seeded.admin.accessToken }), 409, 'sso_required');
    expect((await local.api('GET', path, { token: seeded.admin.accessToken })).status).toBe(200);
    expect((await requireSso(seeded, { ssoRequired: false })).status).toBe(200);
    expect((await local.api('DELETE', path, { token: seeded.admin.accessToken })).status).toBe(204);
  });
});

describe('federated sign-in of a removed member', () => {
  it('is refused whatever the IdP says, and writes nothing', async () => {
    const { seeded, domain, connection } = await orgWithDomain(true);
    const email = `gone-${uniqueSuffix()}@${domain}`;
    const userId = await federatedSignIn(local.server.identity, connection!.providerName, { subject: 'g-1', email });
    const suspend = await local.api('POST', `/v1/orgs/${seeded.orgId}/members/${userId}/suspend`, {
      token: seeded.admin.accessToken,
    });
    expect(suspend.status, suspend.text).toBe(200);
    const before = await getMembership(local.db, seeded.orgId, userId);
    await expect(
      federatedSignIn(local.server.identity, connection!.providerName, { subject: 'g-1', email, name: 'New Name' }),
    ).rejects.toThrow(/suspended/);
    expect(await getMembership(local.db, seeded.orgId, userId)).toEqual(before);
    expect(await findUserIdByEmail(local.db, email)).toBe(userId);
  });
});
