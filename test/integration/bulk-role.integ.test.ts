import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_ROLE_LIMIT } from '../../shared/members/schemas.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectFieldProblem,
  expectProblem,
  membershipsInTable,
} from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const bulkRole = (org: SeededOrg, body: unknown, token = org.admin.accessToken) =>
  local.api('POST', `/v1/orgs/${org.orgId}/members/bulk-role`, { token, body });

/** `n` members added through the API, their user ids in order. */
async function addMembers(org: SeededOrg, n: number, role: 'member' | 'org_admin' = 'member'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = uniqueSuffix();
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: `Bulk ${s}`, email: `bulk-${s}@org.test`, role },
    });
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.userId as string);
  }
  return ids;
}

const rolesOf = async (org: SeededOrg) =>
  new Map((await membershipsInTable(local.db, org.orgId)).map((m) => [m.userId, m.role]));

describe('POST /members/bulk-role', () => {
  it('gives every named member the role in one change, with one audit event listing each before and after', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const [a, b, c] = await addMembers(org, 3);
    const [d] = await addMembers(org, 1, 'org_admin');
    const res = await bulkRole(org, { userIds: [a, b, c, d, a], role: 'org_admin' });
    expect(res.status, res.text).toBe(200);
    expect(new Set(res.json.changed)).toEqual(new Set([a, b, c]));
    expect(res.json.unchanged).toEqual([d]);
    const roles = await rolesOf(org);
    for (const id of [a, b, c, d]) expect(roles.get(id!)).toBe('org_admin');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 5, activeAdmins: 5 });
    const events = (await auditEventsInTable(local.db, org.orgId)).filter(
      (e) => e.action === 'member.role_changed.bulk',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      before: {
        members: expect.arrayContaining([
          { userId: a, role: 'member' },
          { userId: b, role: 'member' },
          { userId: c, role: 'member' },
        ]),
      },
      after: { role: 'org_admin' },
    });
    expect(new Set((events[0]!.after as { userIds: string[] }).userIds)).toEqual(new Set([a, b, c]));
  });

  it('changes as many members as it accepts, in one transaction of at most 100 actions; one more is a 400 naming userIds', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: BULK_ROLE_LIMIT + 5 });
    const ids = await addMembers(org, BULK_ROLE_LIMIT + 1);
    expectFieldProblem(await bulkRole(org, { userIds: ids, role: 'org_admin' }), 'userIds');
    expect([...(await rolesOf(org)).values()].filter((r) => r === 'org_admin')).toHaveLength(1);
    const res = await bulkRole(org, { userIds: ids.slice(0, BULK_ROLE_LIMIT), role: 'org_admin' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.changed).toHaveLength(BULK_ROLE_LIMIT);
    expect([...(await rolesOf(org)).values()].filter((r) => r === 'org_admin')).toHaveLength(BULK_ROLE_LIMIT + 1);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('changes nothing when one id is not a member (404 naming it), or when no admin would be left (409)', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const [a] = await addMembers(org, 1);
    const other = await local.seedOperatorAndOrg();
    const missing = await bulkRole(org, { userIds: [a, other.admin.userId], role: 'org_admin' });
    expectProblem(missing, 404, 'members_not_found');
    expect(missing.json.detail).toContain(other.admin.userId);
    expect((await rolesOf(org)).get(a!)).toBe('member');

    const demoteAll = await bulkRole(org, { userIds: [org.admin.userId, a], role: 'member' });
    expectProblem(demoteAll, 409);
    expect((await rolesOf(org)).get(org.admin.userId)).toBe('org_admin');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
  });

  it('answers nothing to change when every member already has the role, and is refused to a non-admin', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const [a, b] = await addMembers(org, 2);
    const same = await bulkRole(org, { userIds: [a, b], role: 'member' });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toEqual({ changed: [], unchanged: [a, b] });
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'member.role_changed.bulk'),
    ).toHaveLength(0);

    const res = await local.api('GET', `/v1/orgs/${org.orgId}/members/${a}`, { token: org.admin.accessToken });
    await local.setPassword(a!, TEST_PASSWORD);
    const { accessToken } = await local.signIn(res.json.email as string, TEST_PASSWORD);
    expectProblem(await bulkRole(org, { userIds: [b], role: 'org_admin' }, accessToken), 403);
    expectFieldProblem(await bulkRole(org, { userIds: [], role: 'member' }), 'userIds');
    expectFieldProblem(await bulkRole(org, { userIds: [a], role: 'owner' }), 'role');
  });
});
