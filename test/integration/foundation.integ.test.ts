import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipKey, userKey } from '../../shared/data/keys.js';
import {
  startLocalApi,
  TEST_PASSWORD,
  uniqueSuffix,
  type ApiAnswer,
  type LocalApi,
  type SeededOrg,
} from '../helpers/local-api.js';

let local: LocalApi;
let acme: SeededOrg;

beforeAll(async () => {
  local = await startLocalApi({ mail: true });
  acme = await local.seedOperatorAndOrg({ maxSeats: 25 });
});

afterAll(async () => {
  await local?.close();
});

/** Every refusal is RFC 9457 problem+json with the house fields. */
function expectProblem(res: ApiAnswer, status: number, code?: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({
    type: expect.any(String) as unknown,
    title: expect.any(String) as unknown,
    status,
    detail: expect.any(String) as unknown,
    code: code ?? (expect.any(String) as unknown),
  });
}

/** A 400 whose `errors` name `field`. */
function expectFieldProblem(res: ApiAnswer, field: string): void {
  expectProblem(res, 400);
  const fields = (res.json.errors as { field: string }[] | undefined)?.map((e) => e.field) ?? [];
  expect(fields, res.text).toContain(field);
}

const newOrgBody = () => {
  const suffix = uniqueSuffix();
  return {
    name: `Globex ${suffix}`,
    maxSeats: 12,
    admin: { email: `boss-${suffix}@globex.test`, name: `Boss ${suffix}` },
  };
};

describe('POST /v1/orgs', () => {
  it('lets a platform operator create an org with its first admin (201, one seat used)', async () => {
    const body = newOrgBody();
    const res = await local.api('POST', '/v1/orgs', { token: acme.operator.accessToken, body });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      orgId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: body.name,
      maxSeats: 12,
      seatsUsed: 1,
    });
    expect(res.json.admin).toMatchObject({ email: body.admin.email, role: 'org_admin', status: 'active' });
    expect(res.headers.get('location')).toBe(`/v1/orgs/${res.json.orgId as string}`);
  });

  it('mails a first admin new to Roster a set-password link that lets them in once', async () => {
    const body = newOrgBody();
    const created = await local.api('POST', '/v1/orgs', { token: acme.operator.accessToken, body });
    expect(created.status, created.text).toBe(201);

    const [mail] = await local.mailTo(body.admin.email);
    expect(mail?.subject).toBe(`Set your Roster password for ${body.name}`);
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail?.body.text ?? '')?.[1];
    expect(token, mail?.body.text).toBeDefined();

    const password = 'Chosen-password-9!';
    const set = await local.api('POST', `/v1/password-resets/${token}`, { body: { password } });
    expect(set.status, set.text).toBe(204);
    const { accessToken } = await local.signIn(body.admin.email, password);
    const me = await local.api('GET', '/v1/me', { token: accessToken });
    expect(me.json.memberships).toEqual([expect.objectContaining({ orgId: created.json.orgId, role: 'org_admin' })]);
    expectProblem(
      await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Another-password-9!' } }),
      404,
    );
  });

  it('refuses a caller outside the platform_admin group with 403', async () => {
    const res = await local.api('POST', '/v1/orgs', { token: acme.admin.accessToken, body: newOrgBody() });
    expectProblem(res, 403, 'platform_admin_required');
  });

  it('refuses malformed JSON with 400 naming the body', async () => {
    const res = await local.api('POST', '/v1/orgs', {
      token: acme.operator.accessToken,
      body: '{"name": "Broken',
      headers: { 'content-type': 'application/json' },
    });
    expectFieldProblem(res, 'body');
  });

  it.each([
    ['an unknown top-level field', { ...newOrgBody(), plan: 'gold' }, 'plan'],
    [
      'an unknown nested field',
      { ...newOrgBody(), admin: { email: 'x@globex.test', name: 'X', role: 'owner' } },
      'admin.role',
    ],
    ['maxSeats as a string', { ...newOrgBody(), maxSeats: '10' }, 'maxSeats'],
    ['maxSeats as a fraction', { ...newOrgBody(), maxSeats: 1.5 }, 'maxSeats'],
    ['maxSeats of zero', { ...newOrgBody(), maxSeats: 0 }, 'maxSeats'],
    ['a name that is an empty string', { ...newOrgBody(), name: '' }, 'name'],
    ['a name of only spaces', { ...newOrgBody(), name: '   ' }, 'name'],
    ['a 10 KB name', { ...newOrgBody(), name: 'n'.repeat(10 * 1024) }, 'name'],
    ['a name of the wrong type', { ...newOrgBody(), name: ['Acme'] }, 'name'],
    ['an invalid admin email', { ...newOrgBody(), admin: { email: 'not-an-email', name: 'X' } }, 'admin.email'],
    ['an empty admin name', { ...newOrgBody(), admin: { email: 'x@globex.test', name: '' } }, 'admin.name'],
    ['no admin at all', { name: 'Lonely', maxSeats: 3 }, 'admin'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const res = await local.api('POST', '/v1/orgs', { token: acme.operator.accessToken, body });
    expectFieldProblem(res, field);
  });

  it.each([
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"Acme"'],
  ])('refuses %s as the body with 400 naming the body', async (_case, body) => {
    const res = await local.api('POST', '/v1/orgs', {
      token: acme.operator.accessToken,
      body,
      headers: { 'content-type': 'application/json' },
    });
    expectFieldProblem(res, 'body');
  });

  it('refuses an oversized body with 413 problem+json', async () => {
    const res = await local.api('POST', '/v1/orgs', {
      token: acme.operator.accessToken,
      body: { ...newOrgBody(), padding: 'p'.repeat(200 * 1024) },
    });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('refuses a body that is not JSON by content type with 400', async () => {
    const res = await local.api('POST', '/v1/orgs', {
      token: acme.operator.accessToken,
      body: JSON.stringify(newOrgBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(res, 400);
  });
});

describe('GET /v1/me', () => {
  it('shows the admin their user and their membership in the org', async () => {
    const res = await local.api('GET', '/v1/me', { token: acme.admin.accessToken });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      userId: acme.admin.userId,
      isPlatformAdmin: false,
      user: { email: acme.admin.email },
    });
    expect(res.json.memberships).toEqual([
      expect.objectContaining({ orgId: acme.orgId, userId: acme.admin.userId, role: 'org_admin', status: 'active' }),
    ]);
  });

  it('marks a platform operator as such', async () => {
    const res = await local.api('GET', '/v1/me', { token: acme.operator.accessToken });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ userId: acme.operator.userId, isPlatformAdmin: true, memberships: [] });
  });
});

describe('GET /v1/orgs/{orgId}', () => {
  it('answers a member with the org, its settings and seats', async () => {
    const res = await local.api('GET', `/v1/orgs/${acme.orgId}`, { token: acme.admin.accessToken });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      orgId: acme.orgId,
      maxSeats: 25,
      seatsUsed: 1,
      activeAdminCount: 1,
      settings: expect.any(Object) as unknown,
    });
  });

  it('answers a plain member (role member) too', async () => {
    const email = `member-${uniqueSuffix()}@org.test`;
    await local.createUserWithPassword(email, TEST_PASSWORD);
    const added = await local.api('POST', `/v1/orgs/${acme.orgId}/members`, {
      token: acme.admin.accessToken,
      body: { name: 'Plain Member', email, role: 'member' },
    });
    expect(added.status, added.text).toBe(201);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    const res = await local.api('GET', `/v1/orgs/${acme.orgId}`, { token: accessToken });
    expect(res.status, res.text).toBe(200);
    expect(res.json.orgId).toBe(acme.orgId);
  });

  it("refuses another org's admin without revealing anything about the org", async () => {
    const other = await local.seedOperatorAndOrg();
    const res = await local.api('GET', `/v1/orgs/${acme.orgId}`, { token: other.admin.accessToken });
    expect([403, 404]).toContain(res.status);
    expectProblem(res, res.status);
    expect(res.text).not.toContain(acme.admin.email);
    expect(res.json).not.toHaveProperty('maxSeats');
    expect(res.json).not.toHaveProperty('settings');
  });

  it('answers an unknown org exactly like a foreign one', async () => {
    const other = await local.seedOperatorAndOrg();
    const foreign = await local.api('GET', `/v1/orgs/${acme.orgId}`, { token: other.admin.accessToken });
    const unknown = await local.api('GET', '/v1/orgs/00000000-0000-4000-8000-000000000000', {
      token: other.admin.accessToken,
    });
    expect(unknown.status).toBe(foreign.status);
    expect(unknown.json.code).toBe(foreign.json.code);
  });
});

describe('PATCH /v1/orgs/{orgId}', () => {
  it('lets an org admin change name and settings (200)', async () => {
    const org = await local.seedOperatorAndOrg();
    const patch = {
      name: 'Renamed Inc',
      autoActivation: true,
      allowedEmailDomains: ['renamed.test'],
      invitationTtlHours: 48,
    };
    const res = await local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken, body: patch });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      name: 'Renamed Inc',
      settings: { autoActivation: true, allowedEmailDomains: ['renamed.test'], invitationTtlHours: 48 },
    });
    const read = await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken });
    expect(read.json).toMatchObject({ name: 'Renamed Inc', settings: { autoActivation: true } });
  });

  it('keeps maxSeats to platform operators: 403 for the org admin, 200 for an operator', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 5 });
    expectProblem(
      await local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken, body: { maxSeats: 50 } }),
      403,
    );
    const byOperator = await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
      token: org.operator.accessToken,
      body: { maxSeats: 50 },
    });
    expect(byOperator.status, byOperator.text).toBe(200);
    expect(byOperator.json.maxSeats).toBe(50);
  });

  it('refuses an empty patch with 400 naming the body', async () => {
    const res = await local.api('PATCH', `/v1/orgs/${acme.orgId}`, { token: acme.admin.accessToken, body: {} });
    expectFieldProblem(res, 'body');
  });

  it('refuses bad settings with 400 naming the field', async () => {
    const res = await local.api('PATCH', `/v1/orgs/${acme.orgId}`, {
      token: acme.admin.accessToken,
      body: { invitationTtlHours: 0 },
    });
    expectFieldProblem(res, 'invitationTtlHours');
  });
});

describe('sessions and membership status are checked on every request', () => {
  it('refuses a token issued before the user’s revocation time (401 session_revoked); a later sign-in works', async () => {
    const org = await local.seedOperatorAndOrg();
    expect((await local.api('GET', '/v1/me', { token: org.admin.accessToken })).status).toBe(200);

    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(org.admin.userId),
        UpdateExpression: 'SET sessionsRevokedAt = :now',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
    expectProblem(await local.api('GET', '/v1/me', { token: org.admin.accessToken }), 401, 'session_revoked');
    expectProblem(
      await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken }),
      401,
      'session_revoked',
    );

    // Token times are whole seconds: a token issued in the revocation's second would still predate it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { accessToken } = await local.signIn(org.admin.email, TEST_PASSWORD);
    const res = await local.api('GET', '/v1/me', { token: accessToken });
    expect(res.status, res.text).toBe(200);
  });

  it('refuses a suspended member with 403 membership_inactive', async () => {
    const org = await local.seedOperatorAndOrg();
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: membershipKey(org.orgId, org.admin.userId),
        UpdateExpression: 'SET #status = :suspended',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':suspended': 'suspended' },
      }),
    );
    const res = await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken });
    expectProblem(res, 403, 'membership_inactive');
  });
});

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document without a token', async () => {
    const res = await local.api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.paths).toHaveProperty(['/v1/orgs']);
  });
});
