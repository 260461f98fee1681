import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectFieldProblem,
  expectProblem,
  membershipsInTable,
} from '../helpers/assertions.js';
import {
  startLocalApi,
  TEST_PASSWORD,
  uniqueSuffix,
  type LocalApi,
  type SeededOrg,
  type SignedInUser,
} from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const members = (org: SeededOrg) => `/v1/orgs/${org.orgId}/members`;
const person = (role: 'member' | 'org_admin' = 'member') => {
  const suffix = uniqueSuffix();
  return { name: `Person ${suffix}`, email: `person-${suffix}@org.test`, role };
};

async function addMember(org: SeededOrg, body: Record<string, unknown> = person()) {
  const res = await local.api('POST', members(org), { token: org.admin.accessToken, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { userId: string; email: string; name: string };
}

/** A member who can sign in: added through the API, then given a password locally. */
async function addSignedInMember(org: SeededOrg, role: 'member' | 'org_admin'): Promise<SignedInUser> {
  const added = await addMember(org, person(role));
  await local.setPassword(added.userId, TEST_PASSWORD);
  const { accessToken } = await local.signIn(added.email, TEST_PASSWORD);
  return { userId: added.userId, email: added.email, password: TEST_PASSWORD, accessToken };
}

describe('member lifecycle', () => {
  it('adds, reads, replaces, suspends, reactivates and removes a member, keeping counters and history', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 5 });
    const added = await addMember(org);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken })).json.seatsUsed).toBe(2);

    const got = await local.api('GET', `${members(org)}/${added.userId}`, { token: org.admin.accessToken });
    expect(got.json).toMatchObject({
      userId: added.userId,
      status: 'active',
      role: 'member',
      source: 'manual',
      lastLoginAt: null,
    });

    const replaced = await local.api('PUT', `${members(org)}/${added.userId}`, {
      token: org.admin.accessToken,
      body: { name: 'Renamed', email: added.email, role: 'org_admin', teamId: null },
    });
    expect(replaced.json).toMatchObject({ name: 'Renamed', role: 'org_admin' });

    const suspended = await local.api('POST', `${members(org)}/${added.userId}/suspend`, {
      token: org.admin.accessToken,
    });
    expect(suspended.json.status).toBe('suspended');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 1, activeAdmins: 1 });

    expect(
      (await local.api('POST', `${members(org)}/${added.userId}/reactivate`, { token: org.admin.accessToken })).json
        .status,
    ).toBe('active');
    expect(
      (await local.api('DELETE', `${members(org)}/${added.userId}`, { token: org.admin.accessToken })).status,
    ).toBe(204);
    expect((await local.api('GET', `${members(org)}/${added.userId}`, { token: org.admin.accessToken })).status).toBe(
      404,
    );
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 1, activeAdmins: 1 });

    const history = (await auditEventsInTable(local.db, org.orgId))
      .filter((e) => (e.target as { id?: string } | null)?.id === added.userId)
      .map((e) => e.action);
    expect(history).toEqual([
      'member.added',
      'member.updated',
      'member.suspended',
      'member.reactivated',
      'member.removed',
    ]);
  });

  it('re-adding a removed email re-attaches the same user', async () => {
    const org = await local.seedOperatorAndOrg();
    const body = person();
    const first = await addMember(org, body);
    await local.api('DELETE', `${members(org)}/${first.userId}`, { token: org.admin.accessToken });
    expect((await addMember(org, { ...body, email: body.email.toUpperCase() })).userId).toBe(first.userId);
  });

  it('ends a suspended member’s access to that org on the next request, not to their other orgs', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(orgA, 'member');
    await local.api('POST', members(orgB), {
      token: orgB.admin.accessToken,
      body: { name: 'Shared', email: member.email, role: 'member' },
    });
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    expect((await local.api('GET', `/v1/orgs/${orgA.orgId}`, { token: accessToken })).status).toBe(200);

    await local.api('POST', `${members(orgA)}/${member.userId}/suspend`, { token: orgA.admin.accessToken });
    expectProblem(await local.api('GET', `/v1/orgs/${orgA.orgId}`, { token: accessToken }), 403, 'membership_inactive');
    expect((await local.api('GET', `/v1/orgs/${orgB.orgId}`, { token: accessToken })).status).toBe(200);
  });

  it('lets a member read themself but not other members', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org, 'member');
    expect((await local.api('GET', `${members(org)}/${member.userId}`, { token: member.accessToken })).status).toBe(
      200,
    );
    expectProblem(
      await local.api('GET', `${members(org)}/${org.admin.userId}`, { token: member.accessToken }),
      403,
      'insufficient_role',
    );
    expectProblem(await local.api('GET', members(org), { token: member.accessToken }), 403, 'insufficient_role');
  });

  it('refuses an email change to another user’s email with 409 and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const a = await addMember(org);
    const b = await addMember(org);
    const res = await local.api('PUT', `${members(org)}/${a.userId}`, {
      token: org.admin.accessToken,
      body: { name: a.name, email: b.email, role: 'member', teamId: null },
    });
    expectProblem(res, 409, 'email_taken');
    expect((await local.api('GET', `${members(org)}/${a.userId}`, { token: org.admin.accessToken })).json.email).toBe(
      a.email,
    );
  });

  it('moves an email change inside a verified domain to the identity, so the member signs in with the new address', async () => {
    const org = await local.seedOperatorAndOrg();
    expect(
      (
        await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
          token: org.operator.accessToken,
          body: { verifiedDomains: ['org.test'] },
        })
      ).status,
    ).toBe(200);
    const member = await addSignedInMember(org, 'member');
    const email = `moved-${uniqueSuffix()}@org.test`;
    const res = await local.api('PUT', `${members(org)}/${member.userId}`, {
      token: org.admin.accessToken,
      body: { name: 'Moved', email, role: 'member', teamId: null },
    });
    expect(res.status, res.text).toBe(200);
    await expect(local.signIn(email, TEST_PASSWORD)).resolves.toHaveProperty('accessToken');
    await expect(local.signIn(member.email, TEST_PASSWORD)).rejects.toThrow();
  });
});

describe('invariants under concurrency (recounted from the table afterwards)', () => {
  it('with N free seats and 4N concurrent adds exactly N succeed; the rest get seat_limit_reached', async () => {
    const maxSeats = 6;
    const org = await local.seedOperatorAndOrg({ maxSeats });
    const free = maxSeats - 1; // the admin holds one
    const results = await Promise.all(
      Array.from({ length: 4 * maxSeats }, () =>
        local.api('POST', members(org), { token: org.admin.accessToken, body: person() }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(free);
    for (const refused of results.filter((r) => r.status !== 201)) {
      expectProblem(refused, 409, 'seat_limit_reached');
      expect(refused.json.detail).toBe(`Seat limit reached (${maxSeats})`);
    }
    expect((await expectCountersMatchItems(local.db, org.orgId)).seatsUsed).toBe(maxSeats);
    expect((await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'member.added')).toHaveLength(
      free + 1,
    );
  });

  it('concurrent adds of one email make one user and one membership', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 30 });
    const body = person();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        local.api('POST', members(org), {
          token: org.admin.accessToken,
          body: { ...body, email: i % 2 ? body.email.toUpperCase() : ` ${body.email}` },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of results.filter((r) => r.status !== 201)) expectProblem(refused, 409);
    const withEmail = (await membershipsInTable(local.db, org.orgId)).filter((m) => m.email === body.email);
    expect(withEmail).toHaveLength(1);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  const attacks: [string, (org: SeededOrg, actor: SignedInUser, target: SignedInUser) => Promise<unknown>][] = [
    [
      'demote',
      (org, actor, target) =>
        local.api('PUT', `${members(org)}/${target.userId}`, {
          token: actor.accessToken,
          body: { name: 'X', email: target.email, role: 'member', teamId: null },
        }),
    ],
    [
      'suspend',
      (org, actor, target) =>
        local.api('POST', `${members(org)}/${target.userId}/suspend`, { token: actor.accessToken }),
    ],
    [
      'remove',
      (org, actor, target) => local.api('DELETE', `${members(org)}/${target.userId}`, { token: actor.accessToken }),
    ],
    [
      'bulk-role',
      (org, actor, target) =>
        local.api('POST', `${members(org)}/bulk-role`, {
          token: actor.accessToken,
          body: { userIds: [target.userId, actor.userId], role: 'member' },
        }),
    ],
  ];

  it.each(attacks)(
    'two admins who %s each other at once leave at least one active admin, every round',
    async (_name, act) => {
      for (let round = 0; round < 4; round++) {
        const org = await local.seedOperatorAndOrg();
        const first = org.admin;
        const second = await addSignedInMember(org, 'org_admin');
        await Promise.all([act(org, first, second), act(org, second, first)]);
        const { activeAdmins } = await expectCountersMatchItems(local.db, org.orgId);
        expect(activeAdmins).toBeGreaterThanOrEqual(1);
      }
    },
  );

  it('refuses to demote, suspend or remove the last admin with 409 last_admin and writes no audit event', async () => {
    const org = await local.seedOperatorAndOrg();
    const before = (await auditEventsInTable(local.db, org.orgId)).length;
    const self = `${members(org)}/${org.admin.userId}`;
    expectProblem(await local.api('POST', `${self}/suspend`, { token: org.admin.accessToken }), 409, 'last_admin');
    expectProblem(await local.api('DELETE', self, { token: org.admin.accessToken }), 409, 'last_admin');
    expectProblem(
      await local.api('PUT', self, {
        token: org.admin.accessToken,
        body: { name: 'A', email: org.admin.email, role: 'member', teamId: null },
      }),
      409,
      'last_admin',
    );
    expect(await auditEventsInTable(local.db, org.orgId)).toHaveLength(before);
  });
});

describe('every successful change writes exactly one audit event with its origin', () => {
  it('records actor, IP, user agent, request id and before/after', async () => {
    const org = await local.seedOperatorAndOrg();
    const added = await addMember(org);
    await local.api('PUT', `${members(org)}/${added.userId}`, {
      token: org.admin.accessToken,
      body: { name: 'Changed', email: added.email, role: 'member', teamId: null },
      headers: { 'user-agent': 'audit-test/1.0' },
    });
    const events = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'member.updated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: 'user', id: org.admin.userId, email: org.admin.email },
      userAgent: 'audit-test/1.0',
      ip: expect.any(String),
      requestId: expect.any(String),
      before: { name: added.name },
      after: { name: 'Changed' },
    });
  });
});

describe('member lists', () => {
  it('pages through every member once, in each sort order and filter', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'foxtrot', 'Golf'];
    const added = [];
    for (const name of names)
      added.push(
        await addMember(org, { name, email: `${name.toLowerCase()}-${uniqueSuffix()}@org.test`, role: 'member' }),
      );
    await local.api('POST', `${members(org)}/${added[0]!.userId}/suspend`, { token: org.admin.accessToken });

    async function all(query: string): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await local.api('GET', `${members(org)}?limit=3&${query}${cursor ? `&cursor=${cursor}` : ''}`, {
          token: org.admin.accessToken,
        });
        expect(res.status, res.text).toBe(200);
        expect(res.json.items.length).toBeLessThanOrEqual(3);
        seen.push(...(res.json.items as { name: string }[]).map((m) => m.name));
        cursor = res.json.nextCursor as string | null;
      } while (cursor);
      return seen;
    }
    const sorted = [...names, org.admin.email.split('@')[0]!].length;
    const byName = await all('sort=name');
    expect(byName).toHaveLength(sorted);
    expect(byName.map((n) => n.toLowerCase())).toEqual([...byName].map((n) => n.toLowerCase()).sort());
    expect(await all('sort=name&order=desc')).toEqual([...byName].reverse());
    expect(await all('sort=createdAt')).toHaveLength(sorted);
    expect(await all('status=suspended')).toEqual(['delta']);
    expect(await all('role=member&q=Bra')).toEqual(['Bravo']);
    expect(await all('q=cha')).toEqual(['charlie']);
  });

  it.each([
    ['status=active&role=member', 'query.role'],
    ['status=active&sort=email', 'query.sort'],
    ['q=a&sort=createdAt', 'query.q'],
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['sort=age', 'query.sort'],
    ['status=gone', 'query.status'],
    ['cursor=not-a-cursor', 'query.cursor'],
    ['unknown=1', 'query.unknown'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const org = await local.seedOperatorAndOrg();
    expectFieldProblem(await local.api('GET', `${members(org)}?${query}`, { token: org.admin.accessToken }), field);
  });

  it('refuses a cursor from another org’s list', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    await addMember(orgA);
    const page = await local.api('GET', `${members(orgA)}?limit=1`, { token: orgA.admin.accessToken });
    expectFieldProblem(
      await local.api('GET', `${members(orgB)}?limit=1&cursor=${page.json.nextCursor as string}`, {
        token: orgB.admin.accessToken,
      }),
      'query.cursor',
    );
  });
});

describe('bad input is a 400 naming the field, and changes nothing', () => {
  it.each([
    ['a 10 KB name', { name: 'n'.repeat(10_240) }, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['an invalid email', { email: 'nope' }, 'email'],
    ['an unknown role', { role: 'owner' }, 'role'],
    ['a wrong type', { role: 3 }, 'role'],
    ['an unknown field', { nickname: 'x' }, 'nickname'],
    ['a malformed team id', { teamId: 'team-1' }, 'teamId'],
    ['a team of no org', { teamId: '00000000-0000-4000-8000-000000000000' }, 'teamId'],
  ])('POST members with %s', async (_case, override, field) => {
    const org = await local.seedOperatorAndOrg();
    expectFieldProblem(
      await local.api('POST', members(org), { token: org.admin.accessToken, body: { ...person(), ...override } }),
      field,
    );
    expect(await membershipsInTable(local.db, org.orgId)).toHaveLength(1);
  });

  it('PUT requires every field', async () => {
    const org = await local.seedOperatorAndOrg();
    const added = await addMember(org);
    expectFieldProblem(
      await local.api('PUT', `${members(org)}/${added.userId}`, {
        token: org.admin.accessToken,
        body: { name: 'x', email: added.email, role: 'member' },
      }),
      'teamId',
    );
  });
});
