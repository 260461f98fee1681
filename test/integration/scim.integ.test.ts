import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scimTokenKey } from '../../shared/data/keys.js';
import { sha256 } from '../../shared/ids.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectProblem,
  membershipsInTable,
  orgItemsInTable,
} from '../helpers/assertions.js';
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

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface ScimToken {
  tokenId: string;
  secret: string;
}

async function createToken(org: SeededOrg, name = `Okta ${uniqueSuffix()}`): Promise<ScimToken> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/scim-tokens`, {
    token: org.admin.accessToken,
    body: { name },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as ScimToken;
}

const scim = (method: string, path: string, token: ScimToken | string | undefined, body?: unknown) =>
  local.api(method, `/scim/v2${path}`, {
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${typeof token === 'string' ? token : token.secret}` }),
      'content-type': 'application/scim+json',
      'user-agent': 'Okta SCIM Client 1.0.0',
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });

const newUser = (extra: Record<string, unknown> = {}) => {
  const suffix = uniqueSuffix();
  return {
    schemas: [USER],
    userName: `scim-${suffix}@idp.test`,
    name: { givenName: 'Sam', familyName: `Doe ${suffix}` },
    emails: [{ value: `scim-${suffix}@idp.test`, type: 'work', primary: true }],
    active: true,
    ...extra,
  };
};

const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

function expectScimError(res: ApiAnswer, status: number, scimType?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/scim+json');
  expect(res.json).toMatchObject({ schemas: [ERROR], status: String(status), detail: expect.any(String) });
  if (scimType) expect(res.json.scimType).toBe(scimType);
}

async function createUser(token: ScimToken, body: Record<string, unknown> = newUser()) {
  const res = await scim('POST', '/Users', token, body);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; userName: string; active: boolean };
}

/** Signs a SCIM-provisioned user in (an admin would send them a reset link; locally a password is set). */
async function signInAs(userId: string, email: string): Promise<string> {
  await local.setPassword(userId, TEST_PASSWORD);
  return (await local.signIn(email, TEST_PASSWORD)).accessToken;
}

const scimAudit = async (orgId: string) =>
  (await auditEventsInTable(local.db, orgId)).filter((e) => (e.actor as { type: string }).type === 'scim');

describe('SCIM tokens', () => {
  it('shows the secret once, stores only its SHA-256, lists without secrets, and revocation works on the next request', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org, 'Okta');
    expect(token.secret).toMatch(new RegExp(`^rst_${org.orgId}_${token.tokenId}_[A-Za-z0-9_-]{43}$`));
    const { Item } = await local.db.client.send(
      new GetCommand({ TableName: local.db.tableName, Key: scimTokenKey(token.tokenId), ConsistentRead: true }),
    );
    expect(Item?.secretHash).toBe(sha256(token.secret));
    expect(JSON.stringify(Item)).not.toContain(token.secret);

    const list = await local.api('GET', `/v1/orgs/${org.orgId}/scim-tokens`, { token: org.admin.accessToken });
    expect(list.json).toEqual({
      items: [{ tokenId: token.tokenId, name: 'Okta', createdAt: expect.any(String), createdBy: org.admin.userId }],
      nextCursor: null,
    });

    expect((await scim('GET', '/ServiceProviderConfig', token)).status).toBe(200);
    expect(
      (
        await local.api('DELETE', `/v1/orgs/${org.orgId}/scim-tokens/${token.tokenId}`, {
          token: org.admin.accessToken,
        })
      ).status,
    ).toBe(204);
    expectScimError(await scim('GET', '/Users', token), 401);
    const actions = (await auditEventsInTable(local.db, org.orgId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['scim_token.created', 'scim_token.revoked']));
  });

  it('is managed by org admins only', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    expectProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/scim-tokens`, {
        token: other.admin.accessToken,
        body: { name: 'x' },
      }),
      403,
    );
    const token = await createToken(org);
    expectProblem(
      await local.api('DELETE', `/v1/orgs/${other.orgId}/scim-tokens/${token.tokenId}`, {
        token: other.admin.accessToken,
      }),
      404,
    );
  });
});

describe('SCIM discovery', () => {
  it('serves ServiceProviderConfig, ResourceTypes and Schemas as application/scim+json', async () => {
    const token = await createToken(await local.seedOperatorAndOrg());
    const spc = await scim('GET', '/ServiceProviderConfig', token);
    expect(spc.headers.get('content-type')).toBe('application/scim+json');
    expect(spc.json).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
    });
    const types = await scim('GET', '/ResourceTypes', token);
    expect(types.json.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim('GET', '/Schemas', token);
    expect(schemas.json.Resources.map((r: { id: string }) => r.id)).toEqual([
      USER,
      ENTERPRISE,
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    // RFC 7643 §8.7.1's descriptions lead (Microsoft's reference collection looks for "User Account").
    expect(schemas.json.Resources.map((r: { description: string }) => r.description.split(':')[0])).toEqual([
      'User Account',
      'Enterprise User',
      'Group',
    ]);
  });
});

describe('SCIM Users, Okta-style', () => {
  it('filters, creates, reads, deactivates (live token refused), reactivates and replaces', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 5 });
    const other = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const body = newUser();

    const empty = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}&startIndex=1&count=100`,
      token,
    );
    expect(empty.status, empty.text).toBe(200);
    expect(empty.json).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await scim('POST', '/Users', token, body);
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/scim+json');
    expect(created.json).toMatchObject({
      schemas: [USER],
      id: expect.any(String),
      userName: body.userName,
      name: { formatted: `Sam ${body.name.familyName}`, givenName: 'Sam', familyName: body.name.familyName },
      active: true,
      meta: {
        resourceType: 'User',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: expect.stringContaining(`/scim/v2/Users/${created.json.id}`),
        version: 'W/"1"',
      },
    });
    const userId = created.json.id as string;
    const [membership] = (await membershipsInTable(local.db, org.orgId)).filter((m) => m.userId === userId);
    expect(membership).toMatchObject({ role: 'member', source: 'scim', status: 'active', email: body.userName });

    expectScimError(await scim('POST', '/Users', token, body), 409, 'uniqueness');
    expect((await membershipsInTable(local.db, org.orgId)).filter((m) => m.email === body.userName)).toHaveLength(1);

    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${body.userName.toUpperCase()}"`)}`,
      token,
    );
    expect(found.json).toMatchObject({ totalResults: 1, itemsPerPage: 1, Resources: [{ id: userId }] });
    expect((await scim('GET', `/Users/${userId}`, token)).json).toMatchObject({
      id: userId,
      userName: body.userName,
      active: true,
    });

    // The same person is also a member of another org, which deprovisioning here must not touch.
    const elsewhere = await local.api('POST', `/v1/orgs/${other.orgId}/members`, {
      token: other.admin.accessToken,
      body: { name: 'Sam', email: body.userName, role: 'member' },
    });
    expect(elsewhere.status, elsewhere.text).toBe(201);
    const live = await signInAs(userId, body.userName);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: live })).status).toBe(200);

    const off = await scim('PATCH', `/Users/${userId}`, token, patchOp({ op: 'replace', value: { active: false } }));
    expect(off.status, off.text).toBe(200);
    expect(off.json.active).toBe(false);
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === userId)?.status).toBe(
      'deprovisioned',
    );
    expectProblem(await local.api('GET', `/v1/orgs/${org.orgId}`, { token: live }), 403, 'membership_inactive');
    expect((await local.api('GET', `/v1/orgs/${other.orgId}`, { token: live })).status).toBe(200);
    expect((await expectCountersMatchItems(local.db, org.orgId)).seatsUsed).toBe(1);

    const on = await scim(
      'PATCH',
      `/Users/${userId}`,
      token,
      patchOp({ op: 'replace', path: 'active', value: 'True' }),
    );
    expect(on.status, on.text).toBe(200);
    expect(on.json.active).toBe(true);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: live })).status).toBe(200);

    const put = await scim('PUT', `/Users/${userId}`, token, {
      ...body,
      id: userId,
      name: { givenName: 'Samantha', familyName: 'Doe' },
      active: true,
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ name: { formatted: 'Samantha Doe' }, active: true });
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === userId)?.name).toBe('Samantha Doe');
    await expectCountersMatchItems(local.db, org.orgId);

    const actions = (await scimAudit(org.orgId)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'member.added',
        'member.deprovisioned',
        'member.reactivated',
        'member.updated',
        'member.scim_attributes_updated',
      ]),
    );
    for (const event of await scimAudit(org.orgId))
      expect(event).toMatchObject({
        actor: { type: 'scim', id: token.tokenId },
        userAgent: 'Okta SCIM Client 1.0.0',
        ip: expect.any(String),
      });
  });

  it('ends the sessions of a user whose only org deprovisions them', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const user = await createUser(token);
    const live = await signInAs(user.id, user.userName);
    expect((await scim('DELETE', `/Users/${user.id}`, token)).status).toBe(204);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: live })).status).toBe(401);
    // DELETE deprovisions: the row and its history stay in Roster; the SCIM resource is gone.
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === user.id)?.status).toBe(
      'deprovisioned',
    );
    expectScimError(await scim('GET', `/Users/${user.id}`, token), 404);
  });

  it('pages the unfiltered list by startIndex and count, in name order', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const token = await createToken(org);
    for (const n of ['Alpha', 'Bravo', 'Charlie'])
      await createUser(token, newUser({ name: { formatted: `${n} Person` } }));
    const first = await scim('GET', '/Users?startIndex=1&count=2', token);
    expect(first.json).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 2 });
    const second = await scim('GET', '/Users?startIndex=3&count=2', token);
    expect(second.json).toMatchObject({ totalResults: 4, startIndex: 3, itemsPerPage: 2 });
    const names = [...first.json.Resources, ...second.json.Resources].map(
      (r: { name: { formatted: string } }) => r.name.formatted,
    );
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toHaveLength(4);
    expectScimError(await scim('GET', '/Users?startIndex=99999999', token), 400, 'invalidValue');
  });
});

describe('SCIM Users, Entra-style', () => {
  it('creates with externalId, finds by externalId, and applies a path-less Replace', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org, 'Entra');
    const externalId = `entra-${uniqueSuffix()}`;
    const body = newUser({ externalId, [ENTERPRISE]: { department: 'Finance' }, schemas: [USER, ENTERPRISE] });
    const created = await createUser(token, body);
    expectScimError(await scim('POST', '/Users', token, newUser({ externalId })), 409, 'uniqueness');

    const byExternalId = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`,
      token,
    );
    expect(byExternalId.json).toMatchObject({
      totalResults: 1,
      Resources: [{ id: created.id, externalId, [ENTERPRISE]: { department: 'Finance' } }],
    });
    const both = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}" and emails[type eq "work"].value eq "${body.userName}"`)}`,
      token,
    );
    expect(both.json.totalResults).toBe(1);
    const mismatch = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}" and userName eq "nobody@idp.test"`)}`,
      token,
    );
    expect(mismatch.json.totalResults).toBe(0);

    const patched = await scim(
      'PATCH',
      `/Users/${created.id}`,
      token,
      patchOp(
        { op: 'Replace', value: { 'name.givenName': 'Robin', 'name.familyName': 'Park', active: 'False' } },
        { op: 'Add', path: 'displayName', value: 'Robin P.' },
      ),
    );
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({
      name: { formatted: 'Robin Park', givenName: 'Robin', familyName: 'Park' },
      displayName: 'Robin P.',
      active: false,
      externalId,
    });
    const idFilter = await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${created.id}"`)}`, token);
    expect(idFilter.json.Resources[0]).toMatchObject({ active: false, name: { formatted: 'Robin Park' } });
  });
});

describe('SCIM rules of the member use cases', () => {
  it('leaves one consistent record under concurrent PATCHes (each 200 or 409, never 5xx)', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const user = await createUser(token, newUser({ externalId: `c-${uniqueSuffix()}` }));
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        scim(
          'PATCH',
          `/Users/${user.id}`,
          token,
          patchOp(
            { op: 'replace', path: 'externalId', value: `c-${i}-${uniqueSuffix()}` },
            { op: 'replace', path: 'name.givenName', value: `Name${i}` },
          ),
        ),
      ),
    );
    for (const answer of answers) expect([200, 409], answer.text).toContain(answer.status);
    const final = (await scim('GET', `/Users/${user.id}`, token)).json as {
      externalId: string;
      name: { givenName: string };
    };
    const claims = (await orgItemsInTable(local.db, org.orgId, 'SCIMEXT#')).filter((c) => c.userId === user.id);
    expect(claims.map((c) => c.externalId)).toEqual([final.externalId]);
    expect(final.externalId.startsWith(`c-${final.name.givenName.slice(4)}-`)).toBe(true);
  });
  it('answers the seat limit with a SCIM 409, on create and on reactivation, never a 5xx', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 2 });
    const token = await createToken(org);
    const first = await createUser(token);
    const full = await scim('POST', '/Users', token, newUser());
    expectScimError(full, 409);
    expect(full.json.detail).toBe('Seat limit reached (2)');

    await scim('PATCH', `/Users/${first.id}`, token, patchOp({ op: 'replace', path: 'active', value: false }));
    await createUser(token);
    const back = await scim(
      'PATCH',
      `/Users/${first.id}`,
      token,
      patchOp({ op: 'replace', path: 'active', value: true }),
    );
    expectScimError(back, 409);
    expect(back.json.detail).toBe('Seat limit reached (2)');
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('refuses to deprovision the last active admin with a SCIM 409', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const res = await scim(
      'PATCH',
      `/Users/${org.admin.userId}`,
      token,
      patchOp({ op: 'replace', path: 'active', value: false }),
    );
    expectScimError(res, 409);
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === org.admin.userId)?.status).toBe(
      'active',
    );
  });
});

describe('bad SCIM input', () => {
  it.each([
    ['a malformed filter', 'GET', '/Users?filter=userName%20eq', undefined, 'invalidFilter'],
    [
      'an unsupported filter operator',
      'GET',
      `/Users?filter=${encodeURIComponent('userName co "a"')}`,
      undefined,
      'invalidFilter',
    ],
    [
      'an or filter',
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "a" or userName eq "b"')}`,
      undefined,
      'invalidFilter',
    ],
    ['wrong schemas', 'POST', '/Users', { schemas: ['urn:example:Nope'], userName: 'x@idp.test' }, 'invalidSyntax'],
    ['no userName', 'POST', '/Users', { schemas: [USER] }, 'invalidValue'],
    ['a userName that is no email', 'POST', '/Users', { schemas: [USER], userName: 'not-an-email' }, 'invalidValue'],
    ['malformed JSON', 'POST', '/Users', '{"schemas": [', 'invalidSyntax'],
  ])('answers %s with a SCIM 400', async (_name, method, path, body, scimType) => {
    const token = await createToken(await local.seedOperatorAndOrg());
    expectScimError(await scim(method, path, token, body), 400, scimType);
  });

  it('answers PATCH problems (unknown path, bad op, wrong schemas) with a SCIM 400 and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const user = await createUser(token);
    const before = await auditEventsInTable(local.db, org.orgId);
    expectScimError(
      await scim('PATCH', `/Users/${user.id}`, token, patchOp({ op: 'replace', path: 'nickName', value: 'x' })),
      400,
      'invalidPath',
    );
    expectScimError(
      await scim('PATCH', `/Users/${user.id}`, token, patchOp({ op: 'frobnicate', path: 'active', value: false })),
      400,
      'invalidSyntax',
    );
    expectScimError(
      await scim('PATCH', `/Users/${user.id}`, token, { schemas: [USER], Operations: [] }),
      400,
      'invalidSyntax',
    );
    expectScimError(
      await scim('PATCH', `/Users/${user.id}`, token, patchOp({ op: 'replace', path: 'active', value: 'perhaps' })),
      400,
      'invalidValue',
    );
    expect(await auditEventsInTable(local.db, org.orgId)).toHaveLength(before.length);
  });

  it('answers a body over the limit with a SCIM error, not a 5xx', async () => {
    const token = await createToken(await local.seedOperatorAndOrg());
    expectScimError(await scim('POST', '/Users', token, newUser({ padding: 'x'.repeat(70 * 1024) })), 413);
  });

  it('answers an unknown user with a SCIM 404', async () => {
    const token = await createToken(await local.seedOperatorAndOrg());
    expectScimError(await scim('GET', '/Users/00000000-0000-4000-8000-000000000000', token), 404);
    expectScimError(
      await scim(
        'PATCH',
        '/Users/00000000-0000-4000-8000-000000000000',
        token,
        patchOp({ op: 'replace', path: 'active', value: false }),
      ),
      404,
    );
  });
});

describe('SCIM tenant isolation', () => {
  it("never lets one org's token see or change another org's users", async () => {
    const a = await local.seedOperatorAndOrg();
    const b = await local.seedOperatorAndOrg();
    const tokenA = await createToken(a);
    const tokenB = await createToken(b);
    const userB = await createUser(tokenB);

    expectScimError(await scim('GET', `/Users/${userB.id}`, tokenA), 404);
    expectScimError(
      await scim('PATCH', `/Users/${userB.id}`, tokenA, patchOp({ op: 'replace', path: 'active', value: false })),
      404,
    );
    expectScimError(await scim('PUT', `/Users/${userB.id}`, tokenA, newUser()), 404);
    expectScimError(await scim('DELETE', `/Users/${userB.id}`, tokenA), 404);
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userB.userName}"`)}`, tokenA)).json
        .totalResults,
    ).toBe(0);
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${userB.id}"`)}`, tokenA)).json.totalResults,
    ).toBe(0);
    const listA = await scim('GET', '/Users', tokenA);
    expect(listA.json.Resources.map((r: { id: string }) => r.id)).toEqual([a.admin.userId]);
    expect((await membershipsInTable(local.db, b.orgId)).find((m) => m.userId === userB.id)?.status).toBe('active');
    expect(await scimAudit(a.orgId)).toHaveLength(0);
  });

  it('answers no token, a garbled token, a JWT and a token with a forged org id with 401', async () => {
    const a = await local.seedOperatorAndOrg();
    const b = await local.seedOperatorAndOrg();
    const tokenA = await createToken(a);
    expectScimError(await scim('GET', '/Users', undefined), 401);
    expectScimError(await scim('GET', '/Users', 'garbage'), 401);
    expectScimError(await scim('GET', '/Users', a.admin.accessToken), 401);
    expectScimError(await scim('GET', '/Users', tokenA.secret.replace(a.orgId, b.orgId)), 401);
  });
});

describe('SCIM Groups (teams)', () => {
  const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
  const teamOf = async (orgId: string, userId: string) =>
    (await membershipsInTable(local.db, orgId)).find((m) => m.userId === userId)?.teamId ?? null;

  it('creates, filters, patches members (Okta and Entra forms), replaces and deletes a group, members kept', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const [ann, bob, cat] = [await createUser(token), await createUser(token), await createUser(token)];
    const displayName = `Engineering ${uniqueSuffix()}`;

    const empty = await scim('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`, token);
    expect(empty.json).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Groups', token, {
      schemas: [GROUP],
      displayName,
      members: [{ value: ann.id }],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      schemas: [GROUP],
      id: expect.any(String),
      displayName,
      members: [{ value: ann.id }],
      meta: { resourceType: 'Group' },
    });
    const groupId = created.json.id as string;
    expect(await teamOf(org.orgId, ann.id)).toBe(groupId);
    expectScimError(
      await scim('POST', '/Groups', token, { schemas: [GROUP], displayName: displayName.toUpperCase() }),
      409,
      'uniqueness',
    );

    const found = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "${displayName}"`)}&excludedAttributes=members`,
      token,
    );
    expect(found.json).toMatchObject({ totalResults: 1, Resources: [{ id: groupId, displayName }] });

    // Okta: add with a members list, remove with a members[value eq] path.
    expect(
      (
        await scim(
          'PATCH',
          `/Groups/${groupId}`,
          token,
          patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }, { value: cat.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await scim(
          'PATCH',
          `/Groups/${groupId}`,
          token,
          patchOp({ op: 'remove', path: `members[value eq "${ann.id}"]` }),
        )
      ).status,
    ).toBe(204);
    // Entra: Remove with a value list, path-less Replace of the name.
    expect(
      (
        await scim(
          'PATCH',
          `/Groups/${groupId}`,
          token,
          patchOp(
            { op: 'Remove', path: 'members', value: [{ value: cat.id }] },
            { op: 'Replace', value: { displayName: `${displayName} 2` } },
          ),
        )
      ).status,
    ).toBe(204);
    const read = await scim('GET', `/Groups/${groupId}`, token);
    expect(read.json).toMatchObject({ displayName: `${displayName} 2`, members: [{ value: bob.id }] });
    expect([await teamOf(org.orgId, ann.id), await teamOf(org.orgId, bob.id), await teamOf(org.orgId, cat.id)]).toEqual(
      [null, groupId, null],
    );
    expect((await scim('GET', `/Groups/${groupId}?excludedAttributes=members`, token)).json.members).toBeUndefined();

    const put = await scim('PUT', `/Groups/${groupId}`, token, {
      schemas: [GROUP],
      displayName,
      members: [{ value: ann.id }, { value: cat.id }],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json.members.map((m: { value: string }) => m.value).sort()).toEqual([ann.id, cat.id].sort());
    expect(await teamOf(org.orgId, bob.id)).toBeNull();

    expect((await scim('GET', '/Groups', token)).json).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });

    expect((await scim('DELETE', `/Groups/${groupId}`, token)).status).toBe(204);
    expectScimError(await scim('GET', `/Groups/${groupId}`, token), 404);
    const after = await membershipsInTable(local.db, org.orgId);
    for (const user of [ann, bob, cat])
      expect(after.find((m) => m.userId === user.id)).toMatchObject({ status: 'active', teamId: null });
    await expectCountersMatchItems(local.db, org.orgId);

    const actions = (await scimAudit(org.orgId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['team.created', 'team.updated', 'team.deleted', 'member.updated']));
  });

  it('refuses bad group input with SCIM 400s', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = await createToken(org);
    const group = await scim('POST', '/Groups', token, { schemas: [GROUP], displayName: `G ${uniqueSuffix()}` });
    expectScimError(await scim('POST', '/Groups', token, { schemas: [USER], displayName: 'x' }), 400, 'invalidSyntax');
    expectScimError(
      await scim('PATCH', `/Groups/${group.json.id}`, token, patchOp({ op: 'replace', path: 'owner', value: 'x' })),
      400,
      'invalidPath',
    );
    expectScimError(
      await scim('GET', `/Groups?filter=${encodeURIComponent('displayName sw "G"')}`, token),
      400,
      'invalidFilter',
    );
    expectScimError(
      await scim(
        'PATCH',
        `/Groups/${group.json.id}`,
        token,
        patchOp({ op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] }),
      ),
      400,
      'invalidValue',
    );
  });

  it("never lets one org's token see or change another org's groups, nor put its users in them", async () => {
    const a = await local.seedOperatorAndOrg();
    const b = await local.seedOperatorAndOrg();
    const tokenA = await createToken(a);
    const tokenB = await createToken(b);
    const userB = await createUser(tokenB);
    const groupB = await scim('POST', '/Groups', tokenB, { schemas: [GROUP], displayName: `B ${uniqueSuffix()}` });
    const groupA = await scim('POST', '/Groups', tokenA, { schemas: [GROUP], displayName: `A ${uniqueSuffix()}` });

    expectScimError(await scim('GET', `/Groups/${groupB.json.id}`, tokenA), 404);
    expectScimError(
      await scim(
        'PATCH',
        `/Groups/${groupB.json.id}`,
        tokenA,
        patchOp({ op: 'replace', path: 'displayName', value: 'stolen' }),
      ),
      404,
    );
    expectScimError(await scim('DELETE', `/Groups/${groupB.json.id}`, tokenA), 404);
    expect(
      (await scim('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${groupB.json.displayName}"`)}`, tokenA))
        .json.totalResults,
    ).toBe(0);
    expectScimError(
      await scim(
        'PATCH',
        `/Groups/${groupA.json.id}`,
        tokenA,
        patchOp({ op: 'add', path: 'members', value: [{ value: userB.id }] }),
      ),
      400,
      'invalidValue',
    );
    expect((await scim('GET', `/Groups/${groupB.json.id}`, tokenB)).json.displayName).toBe(groupB.json.displayName);
    expect(await teamOf(b.orgId, userB.id)).toBeNull();
  });
});
