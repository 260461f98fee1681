import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLocalIdentityProvider } from '../../shared/identity/local-identity.js';
import { readRegistry } from '../../shared/sso/connection-repository.js';
import { createSsoConnection } from '../../shared/sso/manage-connections.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
beforeAll(async () => {
  local = await startLocalApi();
});
afterAll(async () => {
  await local.close();
});

async function orgWithDomains(count = 1): Promise<{ seeded: SeededOrg; domains: string[] }> {
  const seeded = await local.seedOperatorAndOrg();
  const domains = Array.from({ length: count }, () => `c-${uniqueSuffix()}.test`);
  const patch = await local.api('PATCH', `/v1/orgs/${seeded.orgId}`, {
    token: seeded.operator.accessToken,
    body: { verifiedDomains: domains },
  });
  expect(patch.status).toBe(200);
  return { seeded, domains };
}

const oidcBody = (domains: string[]) => ({
  name: 'Okta',
  protocol: 'oidc',
  domains,
  oidc: { issuer: 'https://acme.okta.com', clientId: 'client-1', clientSecret: 'top-secret-value' },
  jitProvisioning: true,
});

const path = (orgId: string) => `/v1/orgs/${orgId}/sso-connections`;

describe('SSO connections API', () => {
  it('maps IdP groups to any role of the org: an unknown one is a 400 naming the field, a mapped role cannot be deleted', async () => {
    const { seeded, domains } = await orgWithDomains();
    const token = seeded.admin.accessToken;
    const role = { key: 'author', name: 'Author', permissions: ['app:publish'] };
    expect((await local.api('POST', `/v1/orgs/${seeded.orgId}/roles`, { token, body: role })).status).toBe(201);
    const cases: [unknown, string][] = [
      [{ defaultRole: 'ghost' }, 'roleMapping.defaultRole'],
      [
        {
          rules: [
            { value: 'Writers', role: 'author' },
            { value: 'Ghosts', role: 'ghost' },
          ],
        },
        'roleMapping.rules.1.role',
      ],
    ];
    for (const [roleMapping, field] of cases) {
      const answer = await local.api('POST', path(seeded.orgId), {
        token,
        body: { ...oidcBody(domains), roleMapping },
      });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect((await local.api('GET', path(seeded.orgId), { token })).json.items).toEqual([]);

    const created = await local.api('POST', path(seeded.orgId), {
      token,
      body: {
        ...oidcBody(domains),
        roleMapping: { rules: [{ value: 'Writers', role: 'author' }], defaultRole: 'member' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.connectionId as string;
    expect(created.json.roleMapping).toEqual({ rules: [{ value: 'Writers', role: 'author' }], defaultRole: 'member' });
    const roles = `/v1/orgs/${seeded.orgId}/roles`;
    const refused = await local.api('DELETE', `${roles}/author`, { token });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.code).toBe('role_in_use');

    const unknown = await local.api('PATCH', `${path(seeded.orgId)}/${id}`, {
      token,
      body: { roleMapping: { defaultRole: 'ghost' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors.map((e: { field: string }) => e.field)).toEqual(['roleMapping.defaultRole']);
    // Mapped as the default only: still in use.
    const moved = await local.api('PATCH', `${path(seeded.orgId)}/${id}`, {
      token,
      body: { roleMapping: { rules: [], defaultRole: 'author' } },
    });
    expect(moved.status, moved.text).toBe(200);
    expect((await local.api('DELETE', `${roles}/author`, { token })).status).toBe(409);
    const unmapped = await local.api('PATCH', `${path(seeded.orgId)}/${id}`, {
      token,
      body: { roleMapping: { defaultRole: 'member' } },
    });
    expect(unmapped.status, unmapped.text).toBe(200);
    expect((await local.api('DELETE', `${roles}/author`, { token })).status).toBe(204);
  });

  it('refuses a mapping to a role holding permissions the caller lacks (403 role_escalation)', async () => {
    const { seeded, domains } = await orgWithDomains();
    const token = seeded.admin.accessToken;
    const role = { key: 'sso_admin', name: 'SSO admin', permissions: ['sso:manage'] };
    expect((await local.api('POST', `/v1/orgs/${seeded.orgId}/roles`, { token, body: role })).status).toBe(201);
    const email = `sso-admin-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token,
      body: { name: 'SSO admin', email, role: 'sso_admin' },
    });
    expect(added.status, added.text).toBe(201);
    await local.setPassword(added.json.userId as string, TEST_PASSWORD);
    const ssoAdmin = (await local.signIn(email, TEST_PASSWORD)).accessToken;
    const refused = await local.api('POST', path(seeded.orgId), {
      token: ssoAdmin,
      body: { ...oidcBody(domains), roleMapping: { defaultRole: 'org_admin' } },
    });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.code).toBe('role_escalation');
    expect((await local.api('GET', path(seeded.orgId), { token })).json.items).toEqual([]);
    const created = await local.api('POST', path(seeded.orgId), {
      token: ssoAdmin,
      body: { ...oidcBody(domains), roleMapping: { defaultRole: 'member' } },
    });
    expect(created.status, created.text).toBe(201);
  });

  it('creates, reads, lists, changes and deletes a connection; the client secret is never returned, and lives only at the provider', async () => {
    const { seeded, domains } = await orgWithDomains();
    const token = seeded.admin.accessToken;
    const created = await local.api('POST', path(seeded.orgId), { token, body: oidcBody(domains) });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('top-secret-value');
    expect(created.json).toMatchObject({
      protocol: 'oidc',
      domains,
      oidc: { issuer: 'https://acme.okta.com', clientId: 'client-1', clientSecretSet: true },
      roleMapping: { rules: [], defaultRole: 'member' },
      jitProvisioning: true,
    });
    const { connectionId, providerName } = created.json as { connectionId: string; providerName: string };
    expect(providerName.length).toBeLessThanOrEqual(32);
    expect(providerName).not.toContain('_');
    expect(await findLocalIdentityProvider(local.db, { idpIdentifier: domains[0]! })).toMatchObject({
      providerName,
      oidc: { clientSecret: 'top-secret-value' },
    });
    expect(await local.server.identity.clientIdentityProviders()).toContain(providerName);

    const one = await local.api('GET', `${path(seeded.orgId)}/${connectionId}`, { token });
    expect(one.status).toBe(200);
    const list = await local.api('GET', path(seeded.orgId), { token });
    expect(list.json.items.map((c: { connectionId: string }) => c.connectionId)).toEqual([connectionId]);
    for (const answer of [one, list]) expect(answer.text).not.toContain('top-secret-value');

    // A change without a secret keeps the provider's; the secret is write-only.
    const patched = await local.api('PATCH', `${path(seeded.orgId)}/${connectionId}`, {
      token,
      body: { name: 'Okta prod', jitProvisioning: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Okta prod', jitProvisioning: false });
    expect((await findLocalIdentityProvider(local.db, { providerName }))?.oidc?.clientSecret).toBe('top-secret-value');

    const events = await local.api('GET', `/v1/orgs/${seeded.orgId}/audit-events?targetId=${connectionId}`, { token });
    expect(events.json.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'sso_connection.created',
      'sso_connection.updated',
    ]);
    expect(events.text).not.toContain('top-secret-value');

    const deleted = await local.api('DELETE', `${path(seeded.orgId)}/${connectionId}`, { token });
    expect(deleted.status).toBe(204);
    expect(await findLocalIdentityProvider(local.db, { providerName })).toBeUndefined();
    expect(await local.server.identity.clientIdentityProviders()).not.toContain(providerName);
    // The domain is free again.
    expect((await local.api('POST', path(seeded.orgId), { token, body: oidcBody(domains) })).status).toBe(201);
  });

  it('answers 400 naming the field for bad input, and refuses a domain the org has not verified', async () => {
    const { seeded, domains } = await orgWithDomains();
    const token = seeded.admin.accessToken;
    const cases: [unknown, string][] = [
      [{ ...oidcBody(domains), oidc: undefined }, 'oidc'],
      [{ ...oidcBody(domains), domains: [] }, 'domains'],
      [{ ...oidcBody(domains), oidc: { ...oidcBody(domains).oidc, issuer: 'http://evil.example' } }, 'oidc.issuer'],
      [{ name: 'S', protocol: 'saml', domains, saml: {} }, 'saml'],
      [{ ...oidcBody(domains), roleMapping: { defaultRole: 'owner' } }, 'roleMapping.defaultRole'],
      [{ ...oidcBody(['unverified.test']) }, 'domains.0'],
    ];
    for (const [body, field] of cases) {
      const answer = await local.api('POST', path(seeded.orgId), { token, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.errors.map((e: { field: string }) => e.field).join(' ')).toContain(field);
    }
    expect((await local.api('GET', path(seeded.orgId), { token })).json.items).toEqual([]);
  });

  it('refuses a domain another org’s connection serves, leaving no provider behind', async () => {
    const first = await orgWithDomains();
    const domain = first.domains[0]!;
    expect(
      (
        await local.api('POST', path(first.seeded.orgId), {
          token: first.seeded.admin.accessToken,
          body: oidcBody([domain]),
        })
      ).status,
    ).toBe(201);
    const second = await local.seedOperatorAndOrg();
    await local.api('PATCH', `/v1/orgs/${second.orgId}`, {
      token: second.operator.accessToken,
      body: { verifiedDomains: [domain] },
    });
    const before = await readRegistry(local.db);
    const refused = await local.api('POST', path(second.orgId), {
      token: second.admin.accessToken,
      body: oidcBody([domain]),
    });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('sso_domain_taken');
    expect(await readRegistry(local.db)).toEqual(before);
    const held = await findLocalIdentityProvider(local.db, { idpIdentifier: domain });
    expect(held && before.providers.includes(held.providerName)).toBe(true);
  });

  it('refuses another org’s admin and a plain member on every route', async () => {
    const { seeded, domains } = await orgWithDomains();
    const created = await local.api('POST', path(seeded.orgId), {
      token: seeded.admin.accessToken,
      body: oidcBody(domains),
    });
    const other = await local.seedOperatorAndOrg();
    const email = `plain-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { email, name: 'Plain', role: 'member' },
    });
    await local.setPassword(added.json.userId, 'Plain-password-1!');
    const plain = (await local.signIn(email, 'Plain-password-1!')).accessToken;
    const one = `${path(seeded.orgId)}/${created.json.connectionId}`;
    for (const token of [other.admin.accessToken, plain]) {
      for (const [method, url, body] of [
        ['GET', path(seeded.orgId), undefined],
        ['POST', path(seeded.orgId), oidcBody(domains)],
        ['GET', one, undefined],
        ['PATCH', one, { name: 'x' }],
        ['DELETE', one, undefined],
      ] as const) {
        const answer = await local.api(method, url, { token, ...(body ? { body } : {}) });
        expect(answer.status, `${method} ${url}`).toBe(403);
      }
    }
    expect((await local.api('GET', one, { token: seeded.admin.accessToken })).json.name).toBe('Okta');
  });

  it('keeps the SPA client’s provider list exactly the connections under concurrent creates and deletes', async () => {
    const { seeded, domains } = await orgWithDomains(8);
    const token = seeded.admin.accessToken;
    const answers = await Promise.all(
      domains.map((d, i) =>
        local.api('POST', path(seeded.orgId), { token, body: { ...oidcBody([d]), name: `C${i}` } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(domains.map(() => 201));
    await Promise.all(
      answers.slice(0, 3).map((a) => local.api('DELETE', `${path(seeded.orgId)}/${a.json.connectionId}`, { token })),
    );
    const registry = await readRegistry(local.db);
    const client = await local.server.identity.clientIdentityProviders();
    expect(client).toEqual(['COGNITO', ...registry.providers]);
    for (const a of answers.slice(3)) expect(client).toContain(a.json.providerName);
    for (const a of answers.slice(0, 3)) expect(client).not.toContain(a.json.providerName);
  });

  it('refuses a connection past the identity-provider quota with 409 sso_connection_limit_reached, leaving nothing behind', async () => {
    const { seeded, domains } = await orgWithDomains();
    const before = await readRegistry(local.db);
    const attempt = createSsoConnection(
      { db: local.db, identity: local.server.identity, providerQuota: before.providers.length },
      seeded.orgId,
      { name: 'Full', protocol: 'oidc', domains, oidc: { issuer: 'https://x.test', clientId: 'c', clientSecret: 's' } },
      {
        actor: { type: 'user', id: seeded.admin.userId, email: null },
        ip: null,
        userAgent: null,
        requestId: null,
        now: new Date(),
      },
    );
    await expect(attempt).rejects.toMatchObject({ status: 409, code: 'sso_connection_limit_reached' });
    expect(await readRegistry(local.db)).toEqual(before);
    expect(await findLocalIdentityProvider(local.db, { idpIdentifier: domains[0]! })).toBeUndefined();
  });
});

describe('POST /v1/sso/discovery', () => {
  it('answers the domain as idpIdentifier for an email its connection serves, else sso false', async () => {
    const { seeded, domains } = await orgWithDomains();
    await local.api('POST', path(seeded.orgId), { token: seeded.admin.accessToken, body: oidcBody(domains) });
    const sso = await local.api('POST', '/v1/sso/discovery', {
      body: { email: `Someone@${domains[0]!.toUpperCase()}` },
    });
    expect(sso.status).toBe(200);
    expect(sso.json).toEqual({ sso: true, idpIdentifier: domains[0] });
    const password = await local.api('POST', '/v1/sso/discovery', { body: { email: 'someone@elsewhere.test' } });
    expect(password.json).toEqual({ sso: false });
    const bad = await local.api('POST', '/v1/sso/discovery', { body: { email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('email');
  });
});
