import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { getMembership } from '../../shared/members/membership-repository.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { findUserIdByEmail, getUser } from '../../shared/users/user-repository.js';
import { createSsoConnection } from '../../shared/sso/manage-connections.js';
import type { CreateSsoConnectionInput } from '../../shared/sso/schemas.js';
import { federatedSignIn } from '../helpers/federation.js';
import { expectCountersMatchItems } from '../helpers/assertions.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
beforeAll(async () => {
  local = await startLocalApi();
});
afterAll(async () => {
  await local.close();
});

const adminAudit = (userId: string): AuditContext => ({
  actor: { type: 'user', id: userId, email: null },
  ip: null,
  userAgent: null,
  requestId: null,
  now: new Date(),
});

/** A fresh org with a verified domain of its own and an OIDC connection for it. */
async function orgWithConnection(
  options: { maxSeats?: number; connection?: Partial<CreateSsoConnectionInput> } = {},
): Promise<{ seeded: SeededOrg; domain: string; providerName: string; connectionId: string }> {
  const seeded = await local.seedOperatorAndOrg({ maxSeats: options.maxSeats ?? 10 });
  const domain = `sso-${uniqueSuffix()}.test`;
  const patch = await local.api('PATCH', `/v1/orgs/${seeded.orgId}`, {
    token: seeded.operator.accessToken,
    body: { verifiedDomains: [domain] },
  });
  expect(patch.status).toBe(200);
  const connection = await createSsoConnection(
    { db: local.db, identity: local.server.identity },
    seeded.orgId,
    {
      name: 'Demo IdP',
      protocol: 'oidc',
      domains: [domain],
      oidc: { issuer: 'http://localhost:8010', clientId: 'roster', clientSecret: 's3cret' },
      jitProvisioning: true,
      ...options.connection,
    },
    adminAudit(seeded.admin.userId),
  );
  return { seeded, domain, providerName: connection.providerName, connectionId: connection.connectionId };
}

const auditOf = async (orgId: string, token: string, targetId: string) =>
  (await local.api('GET', `/v1/orgs/${orgId}/audit-events?targetId=${targetId}`, { token })).json.items as {
    action: string;
    actor: { type: string; id: string };
    after: Record<string, unknown> | null;
  }[];

describe('federated sign-in: just-in-time members', () => {
  it('makes a first-time person an active member with source sso and the mapped role, audited as actor sso', async () => {
    const { seeded, domain, providerName, connectionId } = await orgWithConnection({
      connection: { roleMapping: { rules: [{ value: 'Roster Admins', role: 'org_admin' }], defaultRole: 'member' } },
    });
    const email = `jit@${domain}`;
    const userId = await federatedSignIn(local.server.identity, providerName, {
      subject: 'sub-1',
      email,
      name: 'Jit Person',
      groups: ['Staff', 'roster admins'],
    });
    expect(await findUserIdByEmail(local.db, email)).toBe(userId);
    expect(await getUser(local.db, userId)).toMatchObject({ email, name: 'Jit Person', authSource: { kind: 'sso' } });
    expect(await getMembership(local.db, seeded.orgId, userId)).toMatchObject({
      status: 'active',
      source: 'sso',
      role: 'org_admin',
      name: 'Jit Person',
    });
    const events = await auditOf(seeded.orgId, seeded.admin.accessToken, userId);
    expect(events).toEqual([
      expect.objectContaining({ action: 'member.added', actor: { type: 'sso', id: connectionId } }),
    ]);
    // The same person again: the same user, no second membership.
    expect(
      await federatedSignIn(local.server.identity, providerName, {
        subject: 'sub-1',
        email,
        name: 'Jit Person',
        groups: ['roster admins'],
      }),
    ).toBe(userId);
    expect((await getOrg(local.db, seeded.orgId, true))?.memberCount).toBe(2);
  });

  it('records the last login of a federated sign-in on the user and the membership', async () => {
    const { seeded, domain, providerName } = await orgWithConnection();
    const before = Date.now();
    const userId = await federatedSignIn(local.server.identity, providerName, {
      subject: 'll-1',
      email: `ll@${domain}`,
    });
    const user = await getUser(local.db, userId);
    const membership = await getMembership(local.db, seeded.orgId, userId);
    expect(Date.parse(user?.lastLoginAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(membership?.lastLoginAt).toBe(user?.lastLoginAt);
  });

  it('links an existing Roster user by email: the user id never changes', async () => {
    const { seeded, domain, providerName } = await orgWithConnection();
    const email = `known@${domain}`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { email, name: 'Known Person', role: 'member' },
    });
    expect(added.status).toBe(201);
    const userId = await federatedSignIn(local.server.identity, providerName, {
      subject: 'k-1',
      email,
      name: 'Known P.',
    });
    expect(userId).toBe(added.json.userId);
    expect(await local.server.identity.findFederatedIdentity({ providerName, subject: 'k-1' })).toBe(userId);
    // updateOnSignIn (default on): the name follows the IdP.
    expect((await getMembership(local.db, seeded.orgId, userId))?.name).toBe('Known P.');
  });

  it('refuses when JIT is off, and writes nothing', async () => {
    const { seeded, domain, providerName } = await orgWithConnection({ connection: { jitProvisioning: false } });
    const email = `nojit@${domain}`;
    await expect(federatedSignIn(local.server.identity, providerName, { subject: 'n-1', email })).rejects.toThrow(
      /does not add people at their first single sign-on/,
    );
    expect(await findUserIdByEmail(local.db, email)).toBeUndefined();
    expect((await getOrg(local.db, seeded.orgId, true))?.memberCount).toBe(1);
  });

  it('refuses when no seat is free, and writes nothing', async () => {
    const { seeded, domain, providerName } = await orgWithConnection({ maxSeats: 1 });
    const email = `noseat@${domain}`;
    await expect(federatedSignIn(local.server.identity, providerName, { subject: 's-1', email })).rejects.toThrow(
      /has no free seat \(1\)/,
    );
    expect(await findUserIdByEmail(local.db, email)).toBeUndefined();
    const org = await getOrg(local.db, seeded.orgId, true);
    expect({ seatsUsed: org?.seatsUsed, memberCount: org?.memberCount }).toEqual({ seatsUsed: 1, memberCount: 1 });
  });

  it('refuses a suspended member whatever the IdP says', async () => {
    const { seeded, domain, providerName } = await orgWithConnection();
    const email = `susp@${domain}`;
    const userId = await federatedSignIn(local.server.identity, providerName, { subject: 'x-1', email });
    const suspended = await local.api('POST', `/v1/orgs/${seeded.orgId}/members/${userId}/suspend`, {
      token: seeded.admin.accessToken,
    });
    expect(suspended.status).toBe(200);
    await expect(federatedSignIn(local.server.identity, providerName, { subject: 'x-1', email })).rejects.toThrow(
      /is suspended/,
    );
    expect((await getMembership(local.db, seeded.orgId, userId))?.status).toBe('suspended');
  });

  it('refuses an email outside the connection’s domains (an IdP vouches only for its own)', async () => {
    const { seeded, providerName } = await orgWithConnection();
    await expect(
      federatedSignIn(local.server.identity, providerName, { subject: 'o-1', email: seeded.admin.email }),
    ).rejects.toThrow(/not in a domain/);
    expect(await local.server.identity.findFederatedIdentity({ providerName, subject: 'o-1' })).toBeUndefined();
  });

  it('keeps the last admin when the IdP’s groups would demote them; the name still follows', async () => {
    const { seeded, domain, providerName } = await orgWithConnection({
      connection: { roleMapping: { rules: [{ value: 'admins', role: 'org_admin' }], defaultRole: 'member' } },
    });
    const email = `boss@${domain}`;
    const userId = await federatedSignIn(local.server.identity, providerName, {
      subject: 'b-1',
      email,
      groups: ['admins'],
    });
    // The seeded admin leaves the admin role: the SSO person is the last active admin.
    const demoted = await local.api('PUT', `/v1/orgs/${seeded.orgId}/members/${seeded.admin.userId}`, {
      token: seeded.admin.accessToken,
      body: { name: 'Admin', email: seeded.admin.email, role: 'member', teamId: null },
    });
    expect(demoted.status).toBe(200);
    await federatedSignIn(local.server.identity, providerName, {
      subject: 'b-1',
      email,
      name: 'Boss Renamed',
      groups: [],
    });
    expect(await getMembership(local.db, seeded.orgId, userId)).toMatchObject({
      role: 'org_admin',
      name: 'Boss Renamed',
    });
    expect((await getOrg(local.db, seeded.orgId, true))?.activeAdminCount).toBe(1);
  });

  it('gives custom roles through the mapping, JIT and on later sign-ins: one holding org:manage is a counted admin, and the last one stays', async () => {
    const { seeded, domain, providerName } = await orgWithConnection();
    const token = seeded.admin.accessToken;
    for (const role of [
      { key: 'author', name: 'Author', permissions: ['app:publish'] },
      { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:manage'] },
    ])
      expect((await local.api('POST', `/v1/orgs/${seeded.orgId}/roles`, { token, body: role })).status).toBe(201);
    const [connection] = (await local.api('GET', `/v1/orgs/${seeded.orgId}/sso-connections`, { token })).json.items;
    const mapped = await local.api('PATCH', `/v1/orgs/${seeded.orgId}/sso-connections/${connection.connectionId}`, {
      token,
      body: { roleMapping: { rules: [{ value: 'owners', role: 'co_owner' }], defaultRole: 'author' } },
    });
    expect(mapped.status, mapped.text).toBe(200);

    const email = `custom@${domain}`;
    const userId = await federatedSignIn(local.server.identity, providerName, { subject: 'c-1', email, groups: [] });
    expect(await getMembership(local.db, seeded.orgId, userId)).toMatchObject({ role: 'author', source: 'sso' });
    expect((await getMembership(local.db, seeded.orgId, userId))?.managesOrg).toBeUndefined();
    expect(await expectCountersMatchItems(local.db, seeded.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });

    await federatedSignIn(local.server.identity, providerName, { subject: 'c-1', email, groups: ['Owners'] });
    expect(await getMembership(local.db, seeded.orgId, userId)).toMatchObject({ role: 'co_owner', managesOrg: true });
    expect(await expectCountersMatchItems(local.db, seeded.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 2 });
    expect((await getOrg(local.db, seeded.orgId, true))?.roleHolders).toMatchObject({ author: 0, co_owner: 1 });

    // The seeded admin steps down: the custom-role holder is the last org:manage holder and keeps the role.
    const demoted = await local.api('PUT', `/v1/orgs/${seeded.orgId}/members/${seeded.admin.userId}`, {
      token,
      body: { name: 'Admin', email: seeded.admin.email, role: 'member', teamId: null },
    });
    expect(demoted.status, demoted.text).toBe(200);
    await federatedSignIn(local.server.identity, providerName, { subject: 'c-1', email, groups: [] });
    expect(await getMembership(local.db, seeded.orgId, userId)).toMatchObject({ role: 'co_owner', managesOrg: true });
    expect(await expectCountersMatchItems(local.db, seeded.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
  });
});
