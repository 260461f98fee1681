import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberListPartition, membershipKey, orgPartition, teamKey, teamNameClaimKey } from '../../shared/data/keys.js';
import { RoundTripCounter } from '../../bench/round-trip-counter.js';
import { membershipToItem } from '../../shared/members/membership-repository.js';
import { newId } from '../../shared/ids.js';
import { unassignTeamMembers } from '../../shared/teams/delete-team.js';
import { auditEventsInTable, expectFieldProblem, expectProblem, membershipsInTable } from '../helpers/assertions.js';
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

const UA = 'teams-test/1.0';
const teams = (org: SeededOrg) => `/v1/orgs/${org.orgId}/teams`;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

async function createTeam(org: SeededOrg, body: Record<string, unknown> = { name: `Team ${uniqueSuffix()}` }) {
  const res = await local.api('POST', teams(org), {
    token: org.admin.accessToken,
    body,
    headers: { 'user-agent': UA },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { teamId: string; name: string; description?: string };
}

async function addMember(org: SeededOrg, teamId: string | null, role: 'member' | 'org_admin' = 'member') {
  const suffix = uniqueSuffix();
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: `Person ${suffix}`, email: `p-${suffix}@org.test`, role, teamId },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { userId: string; email: string };
}

async function memberToken(org: SeededOrg): Promise<string> {
  const member = await addMember(org, null);
  await local.setPassword(member.userId, TEST_PASSWORD);
  return (await local.signIn(member.email, TEST_PASSWORD)).accessToken;
}

/** Everything of an org these routes could change: its partition (teams, claims, members) and its audit trail. */
async function orgState(orgId: string) {
  const out = await local.db.client.send(
    new QueryCommand({
      TableName: local.db.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': orgPartition(orgId) },
      ConsistentRead: true,
    }),
  );
  return { items: out.Items, audit: (await auditEventsInTable(local.db, orgId)).length };
}

/** The audit events a request wrote, found by its request id. */
async function auditOf(orgId: string, res: ApiAnswer) {
  const requestId = res.headers.get('apigw-requestid');
  return (await auditEventsInTable(local.db, orgId)).filter((e) => e.requestId === requestId);
}

describe('teams: create, list, rename, delete', () => {
  it('creates a team (201 + location) and writes exactly one audit event with its origin', async () => {
    const org = await local.seedOperatorAndOrg();
    const res = await local.api('POST', teams(org), {
      token: org.admin.accessToken,
      body: { name: '  Platform  ', description: 'Shared infra' },
      headers: { 'user-agent': UA },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      teamId: expect.any(String),
      name: 'Platform',
      description: 'Shared infra',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`${teams(org)}/${res.json.teamId}`);

    const events = await auditOf(org.orgId, res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'team.created',
      actor: { type: 'user', id: org.admin.userId, email: org.admin.email },
      target: { type: 'team', id: res.json.teamId },
      after: { name: 'Platform', description: 'Shared infra' },
      ip: expect.stringMatching(/\d/),
      userAgent: UA,
      requestId: res.headers.get('apigw-requestid'),
    });
  });

  it('lists every team once across pages of a given size', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await Promise.all(Array.from({ length: 5 }, (_, i) => createTeam(org, { name: `Team ${i}` })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiAnswer = await local.api(
        'GET',
        `${teams(org)}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: org.admin.accessToken },
      );
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.items.map((t: { teamId: string }) => t.teamId));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(created.map((t) => t.teamId)));
  });

  it('renames a team (old name freed, one audit event with before/after) and writes nothing when unchanged', async () => {
    const org = await local.seedOperatorAndOrg();
    const team = await createTeam(org, { name: 'Ops' });
    const renamed = await local.api('PUT', `${teams(org)}/${team.teamId}`, {
      token: org.admin.accessToken,
      body: { name: 'Operations', description: 'On call' },
      headers: { 'user-agent': UA },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ teamId: team.teamId, name: 'Operations', description: 'On call' });
    const events = await auditOf(org.orgId, renamed);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'team.updated',
      before: { name: 'Ops', description: null },
      after: { name: 'Operations', description: 'On call' },
      userAgent: UA,
    });

    // The old name is free again; the new one is held.
    await createTeam(org, { name: 'ops' });
    expectProblem(
      await local.api('POST', teams(org), { token: org.admin.accessToken, body: { name: 'OPERATIONS' } }),
      409,
      'team_name_taken',
    );

    const before = await orgState(org.orgId);
    const same = await local.api('PUT', `${teams(org)}/${team.teamId}`, {
      token: org.admin.accessToken,
      body: { name: 'Operations', description: 'On call' },
    });
    expect(same.status).toBe(200);
    expect(await orgState(org.orgId)).toEqual(before);

    // A change of case only keeps the name (no conflict with itself).
    const recased = await local.api('PUT', `${teams(org)}/${team.teamId}`, {
      token: org.admin.accessToken,
      body: { name: 'OPERATIONS' },
    });
    expect(recased.status, recased.text).toBe(200);
    expect(recased.json.name).toBe('OPERATIONS');
    expect(recased.json.description).toBeUndefined();
  });

  it('deletes a team, unassigns exactly its members, frees the name and audits once', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    const doomed = await createTeam(org, { name: 'Doomed' });
    const kept = await createTeam(org, { name: 'Kept' });
    const inDoomed = await Promise.all(Array.from({ length: 4 }, () => addMember(org, doomed.teamId)));
    const inKept = await addMember(org, kept.teamId);

    const res = await local.api('DELETE', `${teams(org)}/${doomed.teamId}`, {
      token: org.admin.accessToken,
      headers: { 'user-agent': UA },
    });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');

    const members = await membershipsInTable(local.db, org.orgId);
    for (const m of inDoomed) expect(members.find((x) => x.userId === m.userId)?.teamId).toBeNull();
    expect(members.find((x) => x.userId === inKept.userId)?.teamId).toBe(kept.teamId);
    const raw = await local.db.client.send(
      new GetCommand({
        TableName: local.db.tableName,
        Key: membershipKey(org.orgId, inDoomed[0]!.userId),
        ConsistentRead: true,
      }),
    );
    expect(raw.Item?.GSI8PK).toBeUndefined();
    expect(raw.Item?.teamId ?? null).toBeNull();

    const filtered = await local.api('GET', `/v1/orgs/${org.orgId}/members?teamId=${doomed.teamId}`, {
      token: org.admin.accessToken,
    });
    expect(filtered.json.items).toEqual([]);
    const stillIn = await local.api('GET', `/v1/orgs/${org.orgId}/members?teamId=${kept.teamId}`, {
      token: org.admin.accessToken,
    });
    expect(stillIn.json.items.map((m: { userId: string }) => m.userId)).toEqual([inKept.userId]);

    const events = await auditOf(org.orgId, res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'team.deleted',
      target: { type: 'team', id: doomed.teamId },
      before: { name: 'Doomed' },
      after: null,
      userAgent: UA,
    });

    expect(
      (
        await local.db.client.send(
          new GetCommand({
            TableName: local.db.tableName,
            Key: teamKey(org.orgId, doomed.teamId),
            ConsistentRead: true,
          }),
        )
      ).Item,
    ).toBeUndefined();
    await createTeam(org, { name: 'doomed' });
    expectProblem(
      await local.api('DELETE', `${teams(org)}/${doomed.teamId}`, { token: org.admin.accessToken }),
      404,
      'team_not_found',
    );
    // A deleted team can no longer be given to a member.
    expectFieldProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
        token: org.admin.accessToken,
        body: { name: 'Late', email: `late-${uniqueSuffix()}@org.test`, role: 'member', teamId: doomed.teamId },
      }),
      'teamId',
    );
  });
});

describe('team deletion sweep', () => {
  it('a repeated DELETE finishes an interrupted sweep (404 for the team, members unassigned)', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const team = await createTeam(org, { name: 'Interrupted' });
    const members = await Promise.all([addMember(org, team.teamId), addMember(org, team.teamId)]);
    // The delete transaction committed, then the function stopped before the sweep.
    await local.db.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: local.db.tableName, Key: teamKey(org.orgId, team.teamId) } },
          { Delete: { TableName: local.db.tableName, Key: teamNameClaimKey(org.orgId, team.name) } },
        ],
      }),
    );
    expectProblem(
      await local.api('DELETE', `${teams(org)}/${team.teamId}`, { token: org.admin.accessToken }),
      404,
      'team_not_found',
    );
    const after = await membershipsInTable(local.db, org.orgId);
    for (const m of members) expect(after.find((x) => x.userId === m.userId)?.teamId).toBeNull();
  });

  it('never unassigns a membership that no longer names the team (stale index entry)', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const [gone, other] = [await createTeam(org, { name: 'Gone' }), await createTeam(org, { name: 'Other' })];
    const moved = await addMember(org, other.teamId);
    // What a lagging index could show: the member still listed under the deleted team.
    const key = membershipKey(org.orgId, moved.userId);
    const item = (
      await local.db.client.send(new GetCommand({ TableName: local.db.tableName, Key: key, ConsistentRead: true }))
    ).Item!;
    await local.db.client.send(
      new PutCommand({
        TableName: local.db.tableName,
        Item: { ...item, GSI8PK: memberListPartition.team(org.orgId, gone.teamId) },
      }),
    );
    expect(await unassignTeamMembers(local.db, org.orgId, gone.teamId, new Date())).toBe(0);
    const now = (
      await local.db.client.send(new GetCommand({ TableName: local.db.tableName, Key: key, ConsistentRead: true }))
    ).Item!;
    expect(now.teamId).toBe(other.teamId);
    expect(now.version).toBe(item.version);
  });

  it('deletes an empty team in two round trips after authorization: one Query (team and first members), one transaction', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const team = await createTeam(org, { name: 'Empty' });
    const counter = new RoundTripCounter();
    counter.install(local.db.client);
    counter.reset();
    const res = await local.api('DELETE', `${teams(org)}/${team.teamId}`, { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(204);
    const operation = counter
      .taken()
      .filter((t) => t.origin === 'operation')
      .map((t) => t.command);
    expect(operation).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    expect(
      (
        await local.db.client.send(
          new GetCommand({ TableName: local.db.tableName, Key: teamKey(org.orgId, team.teamId), ConsistentRead: true }),
        )
      ).Item,
    ).toBeUndefined();
  });

  it('unassigns every member of a team larger than one sweep page, continuing from the first Query', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const team = await createTeam(org, { name: 'Big' });
    const other = await createTeam(org, { name: 'Other big' });
    // 230 members written straight into the table: past the first Query's page and the next.
    const seeded = Array.from({ length: 230 }, (_, i) => {
      const createdAt = new Date().toISOString();
      return {
        orgId: org.orgId,
        userId: newId(),
        name: `Big ${String(i).padStart(3, '0')}`,
        email: `big-${i}-${uniqueSuffix()}@org.test`,
        role: 'member' as const,
        teamId: i < 220 ? team.teamId : other.teamId,
        status: 'active' as const,
        source: 'manual' as const,
        createdAt,
        updatedAt: createdAt,
        lastLoginAt: null,
        lastActiveAt: null,
        version: 1,
      };
    });
    for (let i = 0; i < seeded.length; i += 25) {
      await local.db.client.send(
        new BatchWriteCommand({
          RequestItems: {
            [local.db.tableName]: seeded.slice(i, i + 25).map((m) => ({ PutRequest: { Item: membershipToItem(m) } })),
          },
        }),
      );
    }
    const res = await local.api('DELETE', `${teams(org)}/${team.teamId}`, { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(204);
    const after = await membershipsInTable(local.db, org.orgId);
    expect(after.filter((m) => m.teamId === team.teamId)).toHaveLength(0);
    expect(after.filter((m) => m.teamId === other.teamId)).toHaveLength(10);
    // The team's own index entry is gone with it, and never listed as a member of the other.
    const listed = await local.api('GET', `/v1/orgs/${org.orgId}/members?teamId=${other.teamId}&limit=100`, {
      token: org.admin.accessToken,
    });
    expect(listed.json.items).toHaveLength(10);
    expect((listed.json.items as { userId?: string }[]).every((m) => typeof m.userId === 'string')).toBe(true);
  });

  it('deletes a team written before teams were indexed (no index entry), through a consistent read', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const team = await createTeam(org, { name: 'Legacy' });
    const member = await addMember(org, team.teamId);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: teamKey(org.orgId, team.teamId),
        UpdateExpression: 'REMOVE GSI8PK, GSI8SK',
      }),
    );
    const res = await local.api('DELETE', `${teams(org)}/${team.teamId}`, { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(204);
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === member.userId)?.teamId).toBeNull();
    expect((await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'team.deleted')).toHaveLength(1);
  });
});

describe('team names are unique per org, case-insensitively', () => {
  it('refuses a taken name in any case with 409 team_name_taken and writes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const taken = await createTeam(org, { name: 'Design' });
    const before = await orgState(org.orgId);
    expectProblem(
      await local.api('POST', teams(org), { token: org.admin.accessToken, body: { name: ' DESIGN ' } }),
      409,
      'team_name_taken',
    );
    const second = await createTeam(org, { name: 'Research' });
    const afterSecond = await orgState(org.orgId);
    expectProblem(
      await local.api('PUT', `${teams(org)}/${second.teamId}`, {
        token: org.admin.accessToken,
        body: { name: 'design' },
      }),
      409,
      'team_name_taken',
    );
    expect(await orgState(org.orgId)).toEqual(afterSecond);
    expect(before.audit + 1).toBe(afterSecond.audit);
    // Another org may use the same name.
    await createTeam(other, { name: taken.name });
  });

  it('of concurrent creates of one name exactly one succeeds', async () => {
    const org = await local.seedOperatorAndOrg();
    const variants = ['Growth', 'growth', 'GROWTH', 'Growth ', ' gRoWtH', 'growtH', 'GROWTH', 'growth'];
    const answers = await Promise.all(
      variants.map((name) => local.api('POST', teams(org), { token: org.admin.accessToken, body: { name } })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, 409, 'team_name_taken');
    const items = (await orgState(org.orgId)).items ?? [];
    expect(items.filter((i) => String(i.SK).startsWith('TEAM#'))).toHaveLength(1);
    expect(items.filter((i) => String(i.SK).startsWith('TEAMNAME#'))).toHaveLength(1);
    expect((await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'team.created')).toHaveLength(1);
  });
});

describe('teams: who may call', () => {
  it('refuses a member-role token with 403 on every team route and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const team = await createTeam(org);
    const token = await memberToken(org);
    const before = await orgState(org.orgId);
    for (const [method, path, body] of [
      ['GET', teams(org), undefined],
      ['POST', teams(org), { name: 'Mine' }],
      ['PUT', `${teams(org)}/${team.teamId}`, { name: 'Mine' }],
      ['DELETE', `${teams(org)}/${team.teamId}`, undefined],
    ] as const) {
      expectProblem(await local.api(method, path, { token, ...(body ? { body } : {}) }), 403, 'insufficient_role');
    }
    expect(await orgState(org.orgId)).toEqual(before);
  });

  it('keeps orgs apart: another org’s admin gets 403/404, no data and no change', async () => {
    const victim = await local.seedOperatorAndOrg();
    const attacker = await local.seedOperatorAndOrg();
    const team = await createTeam(victim, { name: 'Secret team' });
    const before = await orgState(victim.orgId);
    const token = attacker.admin.accessToken;
    const attempts = [
      // The victim's paths: not a member there.
      await local.api('GET', teams(victim), { token }),
      await local.api('POST', teams(victim), { token, body: { name: 'Hijack' } }),
      await local.api('PUT', `${teams(victim)}/${team.teamId}`, { token, body: { name: 'Hijack' } }),
      await local.api('DELETE', `${teams(victim)}/${team.teamId}`, { token }),
      // The attacker's own org, naming the victim's team: no such team there.
      await local.api('PUT', `${teams(attacker)}/${team.teamId}`, { token, body: { name: 'Hijack' } }),
      await local.api('DELETE', `${teams(attacker)}/${team.teamId}`, { token }),
    ];
    for (const res of attempts) {
      expect([403, 404], res.text).toContain(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.text).not.toContain('Secret team');
      expect(res.text).not.toContain(team.teamId);
    }
    expect(await orgState(victim.orgId)).toEqual(before);
    const own = await local.api('GET', teams(attacker), { token });
    expect(own.json.items).toEqual([]);
  });
});

describe('teams: bad input is a 400 naming the field, and changes nothing', () => {
  it.each([
    ['wrong type', { name: 42 }, 'name'],
    ['missing name', { description: 'x' }, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['blank name', { name: '   ' }, 'name'],
    ['10 KB name', { name: 'x'.repeat(10_240) }, 'name'],
    ['name with a line break', { name: 'Sales\nBcc: everyone' }, 'name'],
    ['name with a control character', { name: 'Sales\u0007' }, 'name'],
    ['empty description', { name: 'Fine', description: '' }, 'description'],
    ['description of wrong type', { name: 'Fine', description: ['x'] }, 'description'],
    ['unknown field', { name: 'Fine', color: 'red' }, 'color'],
  ])('POST and PUT refuse a body with %s', async (_case, body, field) => {
    const org = await local.seedOperatorAndOrg();
    const team = await createTeam(org, { name: 'Base' });
    const before = await orgState(org.orgId);
    expectFieldProblem(await local.api('POST', teams(org), { token: org.admin.accessToken, body }), field);
    expectFieldProblem(
      await local.api('PUT', `${teams(org)}/${team.teamId}`, { token: org.admin.accessToken, body }),
      field,
    );
    expect(await orgState(org.orgId)).toEqual(before);
  });

  it('refuses bad ids, malformed JSON, bad paging and foreign cursors', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    await Promise.all([createTeam(org), createTeam(org), createTeam(other), createTeam(other)]);
    const token = org.admin.accessToken;
    expectFieldProblem(
      await local.api('PUT', `${teams(org)}/not-an-id`, { token, body: { name: 'X' } }),
      'path.teamId',
    );
    expectFieldProblem(await local.api('DELETE', `${teams(org)}/${'9'.repeat(36)}`, { token }), 'path.teamId');
    const json = { 'content-type': 'application/json' };
    expectFieldProblem(await local.api('POST', teams(org), { token, body: '{"name":', headers: json }), 'body');
    expectFieldProblem(
      await local.api('POST', teams(org), {
        token,
        body: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      'body',
    );
    // parse.ts names a non-object body's field "" rather than "body" (reported); the status is right.
    expectProblem(await local.api('POST', teams(org), { token, body: '["x"]', headers: json }), 400);
    expectFieldProblem(await local.api('GET', `${teams(org)}?limit=0`, { token }), 'query.limit');
    expectFieldProblem(await local.api('GET', `${teams(org)}?limit=abc`, { token }), 'query.limit');
    expectFieldProblem(await local.api('GET', `${teams(org)}?sort=name`, { token }), 'query.sort');
    expectFieldProblem(await local.api('GET', `${teams(org)}?cursor=%%%garbage`, { token }), 'query.cursor');
    const foreign = await local.api('GET', `${teams(other)}?limit=1`, { token: other.admin.accessToken });
    expectFieldProblem(
      await local.api('GET', `${teams(org)}?cursor=${encodeURIComponent(foreign.json.nextCursor)}`, { token }),
      'query.cursor',
    );
    expectProblem(
      await local.api('PUT', `${teams(org)}/${NO_SUCH_ID}`, { token, body: { name: 'X' } }),
      404,
      'team_not_found',
    );
  });

  it('refuses a forged cursor of the right partition but outside the team list', async () => {
    const org = await local.seedOperatorAndOrg();
    const forged = Buffer.from(
      JSON.stringify({ PK: orgPartition(org.orgId), SK: `MEMBER#${org.admin.userId}` }),
    ).toString('base64url');
    expectFieldProblem(
      await local.api('GET', `${teams(org)}?cursor=${forged}`, { token: org.admin.accessToken }),
      'query.cursor',
    );
  });
});
