import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let org: SeededOrg;
let other: SeededOrg;
/** A second admin, so actor filters have two actors to tell apart. */
let second: { userId: string; accessToken: string };
let memberToken: string;
let team1: string;
let team2: string;

const audit = (o: SeededOrg) => `/v1/orgs/${o.orgId}/audit-events`;

async function ok(res: Promise<ApiAnswer>): Promise<ApiAnswer> {
  const answer = await res;
  expect(answer.status, answer.text).toBeLessThan(300);
  return answer;
}

async function signedInMember(o: SeededOrg, role: 'member' | 'org_admin') {
  const suffix = uniqueSuffix();
  const added = await ok(
    local.api('POST', `/v1/orgs/${o.orgId}/members`, {
      token: o.admin.accessToken,
      body: { name: `P ${suffix}`, email: `p-${suffix}@org.test`, role },
    }),
  );
  await local.setPassword(added.json.userId, TEST_PASSWORD);
  return {
    userId: added.json.userId as string,
    accessToken: (await local.signIn(added.json.email, TEST_PASSWORD)).accessToken,
  };
}

beforeAll(async () => {
  local = await startLocalApi();
  [org, other] = await Promise.all([local.seedOperatorAndOrg({ maxSeats: 20 }), local.seedOperatorAndOrg()]);
  second = await signedInMember(org, 'org_admin');
  memberToken = (await signedInMember(org, 'member')).accessToken;
  const a = org.admin.accessToken;
  team1 = (await ok(local.api('POST', `/v1/orgs/${org.orgId}/teams`, { token: a, body: { name: 'One' } }))).json.teamId;
  team2 = (
    await ok(local.api('POST', `/v1/orgs/${org.orgId}/teams`, { token: second.accessToken, body: { name: 'Two' } }))
  ).json.teamId;
  await ok(local.api('PUT', `/v1/orgs/${org.orgId}/teams/${team1}`, { token: a, body: { name: 'Uno' } }));
  await ok(local.api('POST', `/v1/orgs/${org.orgId}/api-keys`, { token: a, body: { name: 'Sync' } }));
  await ok(local.api('DELETE', `/v1/orgs/${org.orgId}/teams/${team2}`, { token: second.accessToken }));
  await ok(
    local.api('POST', `/v1/orgs/${other.orgId}/teams`, { token: other.admin.accessToken, body: { name: 'Elsewhere' } }),
  );
});

afterAll(async () => {
  await local?.close();
});

interface EventView {
  eventId: string;
  timestamp: string;
  action: string;
  actor: { id: string };
  target: { id: string } | null;
}

/** Every page of a listing, following nextCursor. */
async function readAll(query: string, limit: number, token = org.admin.accessToken): Promise<EventView[]> {
  const items: EventView[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const res: ApiAnswer = await local.api(
      'GET',
      `${audit(org)}?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('more than 100 pages');
}

/** The table's own events for the org, newest first, optionally narrowed. */
async function expected(keep: (e: Record<string, unknown>) => boolean = () => true): Promise<string[]> {
  return (await auditEventsInTable(local.db, org.orgId))
    .filter(keep)
    .reverse()
    .map((e) => e.eventId as string);
}

describe('audit trail', () => {
  it('lists every event newest first, in pages without duplicates or gaps', async () => {
    const all = await expected();
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const limit of [1, 2, 3, 50]) {
      const ids = (await readAll('', limit)).map((e) => e.eventId);
      expect(ids).toEqual(all);
    }
    const listed = await readAll('', 50);
    const stamps = listed.map((e) => e.timestamp);
    expect([...stamps].sort().reverse()).toEqual(stamps);
  });

  it('answers each event with exactly the documented fields, origin included', async () => {
    const [newest] = await readAll('', 1).then((items) => items.slice(0, 1));
    const res = await local.api('GET', `${audit(org)}?limit=1`, { token: org.admin.accessToken });
    expect(Object.keys(res.json.items[0]).sort()).toEqual([
      'action',
      'actor',
      'after',
      'before',
      'eventId',
      'ip',
      'requestId',
      'target',
      'timestamp',
      'userAgent',
    ]);
    expect(res.json.items[0]).toMatchObject({
      eventId: newest!.eventId,
      action: 'team.deleted',
      actor: { type: 'user', id: second.userId },
      target: { type: 'team', id: team2 },
      before: { name: 'Two' },
      after: null,
      ip: expect.any(String),
      userAgent: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it.each([
    ['action', () => 'team.created', (e: Record<string, unknown>) => e.action === 'team.created'],
    ['actorId', () => second.userId, (e: Record<string, unknown>) => (e.actor as { id: string }).id === second.userId],
    ['targetId', () => team1, (e: Record<string, unknown>) => (e.target as { id: string } | null)?.id === team1],
  ])('serves the %s filter from its own index, newest first, paged', async (filter, value, keep) => {
    const want = await expected(keep);
    expect(want.length).toBeGreaterThanOrEqual(2);
    for (const limit of [1, 50]) {
      expect((await readAll(`&${filter}=${encodeURIComponent(value())}`, limit)).map((e) => e.eventId)).toEqual(want);
    }
  });

  it('narrows to a from/to range (inclusive), alone and with a filter', async () => {
    const events = await auditEventsInTable(local.db, org.orgId);
    const from = events[2]!.timestamp as string;
    const to = events[events.length - 2]!.timestamp as string;
    const inRange = (e: Record<string, unknown>) => (e.timestamp as string) >= from && (e.timestamp as string) <= to;
    expect((await readAll(`&from=${from}&to=${to}`, 2)).map((e) => e.eventId)).toEqual(await expected(inRange));
    expect((await readAll(`&from=${from}`, 2)).map((e) => e.eventId)).toEqual(
      await expected((e) => (e.timestamp as string) >= from),
    );
    expect((await readAll(`&to=${to}`, 2)).map((e) => e.eventId)).toEqual(
      await expected((e) => (e.timestamp as string) <= to),
    );
    const withAction = await readAll(`&action=team.created&from=${from}&to=${to}`, 1);
    expect(withAction.map((e) => e.eventId)).toEqual(await expected((e) => inRange(e) && e.action === 'team.created'));
    // A zoned timestamp means the same instant.
    const zoned = new Date(Date.parse(from)).toISOString().replace('Z', '+00:00');
    expect((await readAll(`&from=${encodeURIComponent(zoned)}`, 50)).length).toBe(
      (await expected((e) => (e.timestamp as string) >= from)).length,
    );
  });

  it('writes no audit event for reading the trail', async () => {
    const before = (await auditEventsInTable(local.db, org.orgId)).length;
    await local.api('GET', audit(org), { token: org.admin.accessToken });
    expect(await auditEventsInTable(local.db, org.orgId)).toHaveLength(before);
  });
});

describe('audit trail: refusals', () => {
  it.each([
    [`action=team.created&actorId=x`, 'query.actorId'],
    [`actorId=x&targetId=y`, 'query.targetId'],
    [`action=team.created&targetId=y&from=2026-01-01T00:00:00Z`, 'query.targetId'],
  ])('refuses combined filters (%s) naming the supported combinations', async (query, field) => {
    const res = await local.api('GET', `${audit(org)}?${query}`, { token: org.admin.accessToken });
    expectFieldProblem(res, field);
    expect(res.json.errors[0].message).toMatch(/supported: .*exactly one of action, actorId or targetId/);
  });

  it.each([
    ['from=yesterday', 'query.from'],
    ['to=2026-01-01', 'query.to'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.to'],
    ['action=Team%20Created', 'query.action'],
    ['action=', 'query.action'],
    [`actorId=${'a'.repeat(200)}`, 'query.actorId'],
    ['targetId=a%23b', 'query.targetId'],
    ['limit=101', 'query.limit'],
    ['limit=-1', 'query.limit'],
    ['order=asc', 'query.order'],
    ['cursor=not!base64', 'query.cursor'],
    [`cursor=${Buffer.from('{"PK":1}').toString('base64url')}`, 'query.cursor'],
  ])('refuses %s naming %s', async (query, field) => {
    expectFieldProblem(await local.api('GET', `${audit(org)}?${query}`, { token: org.admin.accessToken }), field);
  });

  it('refuses a cursor issued for another filter or another org', async () => {
    const filtered = await local.api('GET', `${audit(org)}?limit=1&action=team.created`, {
      token: org.admin.accessToken,
    });
    expectFieldProblem(
      await local.api('GET', `${audit(org)}?cursor=${encodeURIComponent(filtered.json.nextCursor)}`, {
        token: org.admin.accessToken,
      }),
      'query.cursor',
    );
    const foreign = await local.api('GET', `${audit(other)}?limit=1`, { token: other.admin.accessToken });
    expectFieldProblem(
      await local.api('GET', `${audit(org)}?cursor=${encodeURIComponent(foreign.json.nextCursor)}`, {
        token: org.admin.accessToken,
      }),
      'query.cursor',
    );
  });

  it('refuses a cursor from the unranged list reused with a range', async () => {
    const first = await local.api('GET', `${audit(org)}?limit=1`, { token: org.admin.accessToken });
    const res = await local.api(
      'GET',
      `${audit(org)}?from=2999-01-01T00:00:00Z&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      { token: org.admin.accessToken },
    );
    expectFieldProblem(res, 'query.cursor');
  });

  it('refuses a member-role token with 403', async () => {
    expectProblem(await local.api('GET', audit(org), { token: memberToken }), 403, 'insufficient_role');
  });

  it('keeps orgs apart: another org’s admin gets 403 on this trail and nothing of it through their own', async () => {
    const res = await local.api('GET', audit(org), { token: other.admin.accessToken });
    expectProblem(res, 403);
    expect(res.text).not.toContain(team1);
    for (const query of [`actorId=${org.admin.userId}`, `targetId=${team1}`, 'action=team.updated']) {
      const own = await local.api('GET', `${audit(other)}?${query}`, { token: other.admin.accessToken });
      expect(own.status).toBe(200);
      expect(own.json.items).toEqual([]);
    }
  });
});
