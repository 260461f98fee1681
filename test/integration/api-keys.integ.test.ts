import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyKey, orgCredentialPartition } from '../../shared/data/keys.js';
import { sha256 } from '../../shared/ids.js';
import { auditEventsInTable, expectFieldProblem, expectProblem } from '../helpers/assertions.js';
import {
  startLocalApi,
  TEST_PASSWORD,
  uniqueSuffix,
  type ApiAnswer,
  type LocalApi,
  type SeededOrg,
} from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const UA = 'api-keys-test/1.0';
const keys = (org: SeededOrg) => `/v1/orgs/${org.orgId}/api-keys`;
const PUBLIC = '/api/public/v1/org';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

async function createKey(org: SeededOrg, name = `Key ${uniqueSuffix()}`) {
  const res = await local.api('POST', keys(org), {
    token: org.admin.accessToken,
    body: { name },
    headers: { 'user-agent': UA },
  });
  expect(res.status, res.text).toBe(201);
  return res;
}

const publicOrg = (apiKey: string | undefined, extra: Record<string, string> = {}) =>
  local.api('GET', PUBLIC, { headers: { ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }), ...extra } });

/** Every API key item of an org, straight from its index partition. */
async function keyItems(orgId: string) {
  const out = await local.db.client.send(
    new QueryCommand({
      TableName: local.db.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': orgCredentialPartition('APIKEY', orgId) },
    }),
  );
  return out.Items ?? [];
}

async function state(orgId: string) {
  return { keys: await keyItems(orgId), audit: (await auditEventsInTable(local.db, orgId)).length };
}

const auditOf = async (orgId: string, res: ApiAnswer) =>
  (await auditEventsInTable(local.db, orgId)).filter((e) => e.requestId === res.headers.get('apigw-requestid'));

/** 401 invalid_api_key, with the body every bad key gets (request id aside). */
function expectInvalidKey(res: ApiAnswer) {
  expectProblem(res, 401, 'invalid_api_key');
  const { requestId: _requestId, ...rest } = res.json as Record<string, unknown>;
  expect(rest).toEqual({
    type: 'https://roster.dev/problems/invalid-api-key',
    title: 'Unauthorized',
    status: 401,
    detail: 'A valid API key is required in the x-api-key header',
    code: 'invalid_api_key',
  });
}

describe('API keys', () => {
  it('shows the secret once, stores only its SHA-256, and audits the creation once', async () => {
    const org = await local.seedOperatorAndOrg();
    const res = await createKey(org, 'HR sync');
    expect(res.json).toEqual({
      keyId: expect.any(String),
      name: 'HR sync',
      createdAt: expect.any(String),
      createdBy: org.admin.userId,
      secret: expect.any(String),
    });
    const { keyId, secret } = res.json as { keyId: string; secret: string };
    expect(secret).toMatch(new RegExp(`^rk_${org.orgId}_${keyId}_[A-Za-z0-9_-]{43}$`));
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('location')).toBe(`${keys(org)}/${keyId}`);

    const item = (
      await local.db.client.send(
        new GetCommand({ TableName: local.db.tableName, Key: apiKeyKey(keyId), ConsistentRead: true }),
      )
    ).Item!;
    expect(item.secretHash).toBe(sha256(secret));
    const secretPart = secret.split('_').slice(3).join('_');
    expect(JSON.stringify(item)).not.toContain(secretPart);

    const list = await local.api('GET', keys(org), { token: org.admin.accessToken });
    expect(list.json).toEqual({
      items: [{ keyId, name: 'HR sync', createdAt: res.json.createdAt, createdBy: org.admin.userId }],
      nextCursor: null,
    });
    expect(list.text).not.toContain(secretPart);
    expect(list.text).not.toContain(item.secretHash as string);

    const events = await auditOf(org.orgId, res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'api_key.created',
      actor: { type: 'user', id: org.admin.userId, email: org.admin.email },
      target: { type: 'api_key', id: keyId },
      after: { name: 'HR sync' },
      ip: expect.any(String),
      userAgent: UA,
      requestId: res.headers.get('apigw-requestid'),
    });
    expect(JSON.stringify(events[0])).not.toContain(secretPart);
  });

  it('lists keys oldest first across pages, without duplicates', async () => {
    const org = await local.seedOperatorAndOrg();
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createKey(org, `K${i}`)).json.keyId);
    const seen: { keyId: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiAnswer = await local.api(
        'GET',
        `${keys(org)}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: org.admin.accessToken },
      );
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen.map((k) => k.keyId).sort()).toEqual([...created].sort());
    const stamps = seen.map((k) => k.createdAt);
    expect(stamps).toEqual([...stamps].sort());
  });

  it('answers the public API for a valid key with exactly the org’s public fields', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 7 });
    const { secret } = (await createKey(org)).json;
    const res = await publicOrg(secret);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      orgId: org.orgId,
      name: expect.stringMatching(/^Org /),
      maxSeats: 7,
      seatsUsed: 1,
      memberCount: 1,
    });
  });

  it('revokes a key: 204, refused from the very next request, gone from the list, audited once', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await createKey(org, 'Doomed');
    const kept = await createKey(org, 'Kept');
    expect((await publicOrg(created.json.secret)).status).toBe(200);

    const res = await local.api('DELETE', `${keys(org)}/${created.json.keyId}`, {
      token: org.admin.accessToken,
      headers: { 'user-agent': UA },
    });
    expect(res.status, res.text).toBe(204);
    expectInvalidKey(await publicOrg(created.json.secret));
    expect((await publicOrg(kept.json.secret)).status).toBe(200);
    const list = await local.api('GET', keys(org), { token: org.admin.accessToken });
    expect(list.json.items.map((k: { keyId: string }) => k.keyId)).toEqual([kept.json.keyId]);

    const events = await auditOf(org.orgId, res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'api_key.revoked',
      target: { type: 'api_key', id: created.json.keyId },
      before: { name: 'Doomed' },
      userAgent: UA,
    });

    const before = await state(org.orgId);
    expectProblem(
      await local.api('DELETE', `${keys(org)}/${created.json.keyId}`, { token: org.admin.accessToken }),
      404,
      'api_key_not_found',
    );
    expect(await state(org.orgId)).toEqual(before);
  });

  it('gives missing, garbled, unknown, wrong-secret, forged and revoked keys one same 401', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const { secret, keyId } = (await createKey(org)).json as { secret: string; keyId: string };
    const otherKey = (await createKey(other)).json as { secret: string; keyId: string };
    const tail = secret.slice(-43);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const candidates: (string | undefined)[] = [
      undefined,
      '',
      'garbage',
      `rk_${org.orgId}_${keyId}_`,
      `rk_${org.orgId}_${NO_SUCH_ID}_${tail}`,
      flipped,
      // Another org's id with this key's id and secret; this key's id under another org's secret.
      `rk_${other.orgId}_${keyId}_${tail}`,
      `rk_${org.orgId}_${otherKey.keyId}_${otherKey.secret.slice(-43)}`,
      `Bearer ${secret}`,
      'x'.repeat(8000),
    ];
    for (const candidate of candidates) expectInvalidKey(await publicOrg(candidate));
    // A signed-in admin's bearer token is not an API key.
    expectInvalidKey(await local.api('GET', PUBLIC, { token: org.admin.accessToken }));
    await local.api('DELETE', `${keys(org)}/${keyId}`, { token: org.admin.accessToken });
    expectInvalidKey(await publicOrg(secret));
  });
});

describe('API keys: who may call', () => {
  it('refuses a member-role token with 403 on every key route and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const { keyId } = (await createKey(org)).json;
    const suffix = uniqueSuffix();
    const member = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'M', email: `m-${suffix}@org.test`, role: 'member' },
    });
    await local.setPassword(member.json.userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(member.json.email, TEST_PASSWORD);
    const before = await state(org.orgId);
    expectProblem(await local.api('GET', keys(org), { token: accessToken }), 403, 'insufficient_role');
    expectProblem(
      await local.api('POST', keys(org), { token: accessToken, body: { name: 'Mine' } }),
      403,
      'insufficient_role',
    );
    expectProblem(await local.api('DELETE', `${keys(org)}/${keyId}`, { token: accessToken }), 403, 'insufficient_role');
    expect(await state(org.orgId)).toEqual(before);
  });

  it('keeps orgs apart: another org’s admin cannot list, create or revoke, even naming the key under their own org', async () => {
    const victim = await local.seedOperatorAndOrg();
    const attacker = await local.seedOperatorAndOrg();
    const { keyId, secret } = (await createKey(victim, 'Victim key')).json;
    const before = await state(victim.orgId);
    const token = attacker.admin.accessToken;
    const attempts = [
      await local.api('GET', keys(victim), { token }),
      await local.api('POST', keys(victim), { token, body: { name: 'Hijack' } }),
      await local.api('DELETE', `${keys(victim)}/${keyId}`, { token }),
      await local.api('DELETE', `${keys(attacker)}/${keyId}`, { token }),
    ];
    for (const res of attempts) {
      expect([403, 404], res.text).toContain(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.text).not.toContain('Victim key');
    }
    expect(await state(victim.orgId)).toEqual(before);
    expect((await publicOrg(secret)).json.orgId).toBe(victim.orgId);
    expect((await local.api('GET', keys(attacker), { token })).json.items).toEqual([]);
  });
});

describe('API keys: bad input is a 400 naming the field, and changes nothing', () => {
  it.each([
    ['missing name', {}, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['blank name', { name: '  ' }, 'name'],
    ['10 KB name', { name: 'k'.repeat(10_240) }, 'name'],
    ['name with a line break', { name: 'ci\r\nkey' }, 'name'],
    ['wrong type', { name: true }, 'name'],
    ['unknown field', { name: 'ok', secret: 'mine' }, 'secret'],
  ])('refuses a body with %s', async (_case, body, field) => {
    const org = await local.seedOperatorAndOrg();
    const before = await state(org.orgId);
    expectFieldProblem(await local.api('POST', keys(org), { token: org.admin.accessToken, body }), field);
    expect(await state(org.orgId)).toEqual(before);
  });

  it('refuses bad key ids, bad paging and foreign cursors', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    await Promise.all([createKey(other), createKey(other)]);
    const token = org.admin.accessToken;
    expectFieldProblem(await local.api('DELETE', `${keys(org)}/not-an-id`, { token }), 'path.keyId');
    expectFieldProblem(await local.api('GET', `${keys(org)}?limit=1000`, { token }), 'query.limit');
    expectFieldProblem(await local.api('GET', `${keys(org)}?cursor=%7B%7D`, { token }), 'query.cursor');
    expectFieldProblem(await local.api('GET', `${keys(org)}?include=secret`, { token }), 'query.include');
    const foreign = await local.api('GET', `${keys(other)}?limit=1`, { token: other.admin.accessToken });
    expectFieldProblem(
      await local.api('GET', `${keys(org)}?cursor=${encodeURIComponent(foreign.json.nextCursor)}`, { token }),
      'query.cursor',
    );
    expectProblem(await local.api('DELETE', `${keys(org)}/${NO_SUCH_ID}`, { token }), 404, 'api_key_not_found');
  });
});
