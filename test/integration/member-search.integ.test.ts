import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberSearchItems } from '../../shared/members/membership-repository.js';
import { expectFieldProblem, membershipsInTable, orgItemsInTable } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const members = (org: SeededOrg) => `/v1/orgs/${org.orgId}/members`;

async function add(org: SeededOrg, name: string, email: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await local.api('POST', members(org), {
    token: org.admin.accessToken,
    body: { name, email, role: 'member', ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.userId as string;
}

/** Every page of a list, `limit` at a time: the names in order, each page checked to stay within the limit. */
async function search(org: SeededOrg, query: string, limit = 2): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await local.api(
      'GET',
      `${members(org)}?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: org.admin.accessToken },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(limit);
    names.push(...(res.json.items as { name: string }[]).map((m) => m.name));
    cursor = res.json.nextCursor as string | null;
  } while (cursor);
  return names;
}

/** The org's search-term items equal what its memberships call for: none missing, none left over. */
async function expectSearchItemsMatchMemberships(org: SeededOrg): Promise<void> {
  const strip = (i: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(i)
        .sort()
        .map((k) => [k, i[k]]),
    );
  const expected = (await membershipsInTable(local.db, org.orgId)).flatMap(memberSearchItems).map(strip).sort();
  const actual = (await orgItemsInTable(local.db, org.orgId, 'MSEARCH#')).map(strip).sort();
  expect(actual).toEqual(expected);
}

describe('member search: one box, any word of the name or the start of the email', () => {
  let org: SeededOrg;
  const domain = `${uniqueSuffix()}.test`;
  let teamId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    org = await local.seedOperatorAndOrg({ maxSeats: 30 });
    // The org owns the test's email domain, so an email change applies at once (outside it would wait for a confirmation link).
    const verify = await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
      token: org.operator.accessToken,
      body: { verifiedDomains: [domain] },
    });
    expect(verify.status, verify.text).toBe(200);
    const team = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, {
      token: org.admin.accessToken,
      body: { name: 'Navy' },
    });
    expect(team.status, team.text).toBe(201);
    teamId = team.json.teamId as string;
    ids.grace = await add(org, 'Grace Hopper', `grace.hopper@${domain}`, { teamId });
    ids.amy = await add(org, 'Amy Smith', `amy.smith@${domain}`);
    ids.amsel = await add(org, 'Amy Amsel', `amy.a@${domain}`);
    ids.zoe = await add(org, 'Zoë Ångström', `zoe@${domain}`, { teamId });
    ids.john = await add(org, 'John Smithson', `js@${domain}`);
  });

  it('finds the searches of the issue: an email start without "@", and a later word of the name', async () => {
    expect(await search(org, 'q=amy.smith')).toEqual(['Amy Smith']);
    expect(await search(org, 'q=Hopper')).toEqual(['Grace Hopper']);
    expect(await search(org, 'q=grace%20hop')).toEqual(['Grace Hopper']);
    expect(await search(org, `q=${encodeURIComponent('grace.hopper@' + domain)}`)).toEqual(['Grace Hopper']);
  });

  it('ignores case and accents, both ways', async () => {
    expect(await search(org, 'q=ANGSTROM')).toEqual(['Zoë Ångström']);
    expect(await search(org, `q=${encodeURIComponent('zoë')}`)).toEqual(['Zoë Ångström']);
  });

  it('lists a member matching by several words once, across pages, ordered by the matching word then the name', async () => {
    // Amy Amsel's entries "amy amsel" and amy.amsel@ both match "amy"; she is listed once.
    expect(await search(org, 'q=amy', 1)).toEqual(['Amy Amsel', 'Amy Smith']);
    expect(await search(org, 'q=amy&order=desc', 1)).toEqual(['Amy Smith', 'Amy Amsel']);
    expect(await search(org, 'q=smith', 1)).toEqual(['Amy Smith', 'John Smithson']);
    expect(await search(org, 'q=ams', 1)).toEqual(['Amy Amsel']);
  });

  it('combines with one of status, role or team, the email start included', async () => {
    expect(await search(org, `q=zoe@&teamId=${teamId}`)).toEqual(['Zoë Ångström']);
    expect(await search(org, `q=hopper&teamId=${teamId}`)).toEqual(['Grace Hopper']);
    expect(await search(org, 'q=amy.&status=active')).toEqual(['Amy Amsel', 'Amy Smith']);
    expect(await search(org, 'q=amy.&status=suspended')).toEqual([]);
    expect(await search(org, 'q=smith&role=org_admin')).toEqual([]);
  });

  it('follows every change: rename, email change, role, suspend, team and removal', async () => {
    const person = await add(org, 'Pat Quinn', `pat.q@${domain}`);
    const put = (body: Record<string, unknown>) =>
      local.api('PUT', `${members(org)}/${person}`, {
        token: org.admin.accessToken,
        body: { name: 'Pat Quinn', email: `pat.q@${domain}`, role: 'member', teamId: null, ...body },
      });
    expect((await put({ name: 'Patricia Quill' })).status).toBe(200);
    expect(await search(org, 'q=quinn')).toEqual([]);
    expect(await search(org, 'q=quill')).toEqual(['Patricia Quill']);
    expect((await put({ name: 'Patricia Quill', email: `pq@${domain}` })).status).toBe(200);
    expect(await search(org, 'q=pat.q')).toEqual([]);
    expect(await search(org, `q=pq@${domain}`)).toEqual(['Patricia Quill']);
    expect((await put({ name: 'Patricia Quill', email: `pq@${domain}`, role: 'org_admin', teamId })).status).toBe(200);
    expect(await search(org, 'q=quill&role=org_admin')).toEqual(['Patricia Quill']);
    expect(await search(org, 'q=quill&role=member')).toEqual([]);
    expect(await search(org, `q=quill&teamId=${teamId}`)).toEqual(['Patricia Quill']);
    expect(
      (await local.api('POST', `${members(org)}/${person}/suspend`, { token: org.admin.accessToken })).status,
    ).toBe(200);
    expect(await search(org, 'q=quill&status=suspended')).toEqual(['Patricia Quill']);
    expect(await search(org, 'q=quill&status=active')).toEqual([]);
    await expectSearchItemsMatchMemberships(org);
    expect((await local.api('DELETE', `${members(org)}/${person}`, { token: org.admin.accessToken })).status).toBe(204);
    expect(await search(org, 'q=quill')).toEqual([]);
    await expectSearchItemsMatchMemberships(org);
  });

  it('a bulk role change and a team deletion move the search entries too', async () => {
    const bulk = await local.api('POST', `${members(org)}/bulk-role`, {
      token: org.admin.accessToken,
      body: { userIds: [ids.amy, ids.john], role: 'org_admin' },
    });
    expect(bulk.status, bulk.text).toBe(200);
    expect(await search(org, 'q=smith&role=org_admin')).toEqual(['Amy Smith', 'John Smithson']);
    const other = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, {
      token: org.admin.accessToken,
      body: { name: 'Gone soon' },
    });
    const someone = await add(org, 'Teamed Person', `teamed@${domain}`, { teamId: other.json.teamId });
    expect(await search(org, `q=teamed&teamId=${other.json.teamId as string}`)).toEqual(['Teamed Person']);
    expect(
      (
        await local.api('DELETE', `/v1/orgs/${org.orgId}/teams/${other.json.teamId as string}`, {
          token: org.admin.accessToken,
        })
      ).status,
    ).toBe(204);
    expect(await search(org, `q=teamed&teamId=${other.json.teamId as string}`)).toEqual([]);
    expect(
      (await local.api('GET', `${members(org)}/${someone}`, { token: org.admin.accessToken })).json.teamId,
    ).toBeNull();
    await expectSearchItemsMatchMemberships(org);
  });

  it('finds a member who joined through an approved join request, and the org admin createOrg made', async () => {
    const email = `visitor.vega@${domain}`;
    const { userId } = await local.createUserWithPassword(email, TEST_PASSWORD, { name: 'Vera Vega' });
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    expect((await local.api('POST', `/v1/orgs/${org.orgId}/join-requests`, { token: accessToken })).status).toBe(202);
    expect(
      (
        await local.api('POST', `/v1/orgs/${org.orgId}/join-requests/${userId}/approve`, {
          token: org.admin.accessToken,
        })
      ).status,
    ).toBe(200);
    expect(await search(org, 'q=vega')).toHaveLength(1);
    expect(await search(org, `q=${encodeURIComponent(org.admin.email.slice(0, 8))}`)).toHaveLength(1);
    await expectSearchItemsMatchMemberships(org);
  });

  it.each([
    ['q=am', 'query.q'],
    ['q=a%20.', 'query.q'],
    ['q=abc&sort=createdAt', 'query.q'],
    ['q=abc&status=active&sort=email', 'query.sort'],
    ['q=abc&status=active&role=member', 'query.role'],
    [`q=${encodeURIComponent('\u0301')}`, 'query.q'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    expectFieldProblem(await local.api('GET', `${members(org)}?${query}`, { token: org.admin.accessToken }), field);
  });
});
