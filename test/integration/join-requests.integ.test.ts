import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinRequestKey } from '../../shared/data/keys.js';
import { JOIN_REQUEST_COOLDOWN_MS } from '../../shared/join-requests/join-requests.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
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

const requests = (org: SeededOrg) => `/v1/orgs/${org.orgId}/join-requests`;

/** A person Roster knows (an identity and a user record) with no membership in `org`. */
async function outsider(domain = 'outside.test') {
  const email = `visitor-${uniqueSuffix()}@${domain}`;
  const { userId } = await local.createUserWithPassword(email, TEST_PASSWORD, { name: 'Visitor' });
  const { accessToken } = await local.signIn(email, TEST_PASSWORD);
  return { userId, email, accessToken };
}

describe('join requests', () => {
  it('a person asks; an admin sees it pending and approves it into an active member holding a seat', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 3 });
    const visitor = await outsider();
    const asked = await local.api('POST', requests(org), { token: visitor.accessToken });
    expect(asked.status, asked.text).toBe(202);
    // Asking again is answered as the first ask was, and records nothing more.
    const again = await local.api('POST', requests(org), { token: visitor.accessToken });
    expect([again.status, again.text]).toEqual([202, '']);
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'join_request.created'),
    ).toHaveLength(1);

    const pending = await local.api('GET', requests(org), { token: org.admin.accessToken });
    expect(pending.json.items).toMatchObject([{ requestId: visitor.userId, status: 'pending', email: visitor.email }]);

    const approved = await local.api('POST', `${requests(org)}/${visitor.userId}/approve`, {
      token: org.admin.accessToken,
    });
    expect(approved.json.status).toBe('approved');
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: visitor.accessToken })).status).toBe(200);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === visitor.userId)?.source).toBe(
      'join_request',
    );
    expect(
      (await local.api('GET', `${requests(org)}?status=pending`, { token: org.admin.accessToken })).json.items,
    ).toEqual([]);
    const actions = (await auditEventsInTable(local.db, org.orgId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['join_request.created', 'join_request.approved', 'member.added']));
  });

  it('rejects a request; the person may ask again only after a day’s cooldown', async () => {
    const org = await local.seedOperatorAndOrg();
    const visitor = await outsider();
    await local.api('POST', requests(org), { token: visitor.accessToken });
    expect(
      (await local.api('POST', `${requests(org)}/${visitor.userId}/reject`, { token: org.admin.accessToken })).json
        .status,
    ).toBe('rejected');
    expectProblem(
      await local.api('POST', `${requests(org)}/${visitor.userId}/approve`, { token: org.admin.accessToken }),
      409,
      'join_request_not_pending',
    );

    // At once, and again and again: refused, nothing written, and told when to come back.
    for (let attempt = 0; attempt < 3; attempt++) {
      const early = await local.api('POST', requests(org), { token: visitor.accessToken });
      expectProblem(early, 429, 'join_request_cooldown');
      const retryAfter = Number(early.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(JOIN_REQUEST_COOLDOWN_MS / 1000 - 60);
      expect(retryAfter).toBeLessThanOrEqual(JOIN_REQUEST_COOLDOWN_MS / 1000);
    }
    expect(
      (await local.api('GET', `${requests(org)}?status=pending`, { token: org.admin.accessToken })).json.items,
    ).toEqual([]);
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'join_request.created'),
    ).toHaveLength(1);

    // A day later (the rejection moved back in the table), the person may ask again.
    const key = joinRequestKey(org.orgId, visitor.userId);
    const dayAgo = new Date(Date.now() - JOIN_REQUEST_COOLDOWN_MS - 1000).toISOString();
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: key,
        UpdateExpression: 'SET decidedAt = :d',
        ExpressionAttributeValues: { ':d': dayAgo },
      }),
    );
    const again = await local.api('POST', requests(org), { token: visitor.accessToken });
    expect(again.status, again.text).toBe(202);
    expect(
      (await local.api('GET', `${requests(org)}?status=pending`, { token: org.admin.accessToken })).json.items,
    ).toMatchObject([{ requestId: visitor.userId }]);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 1, activeAdmins: 1 });
  });

  it('records nothing from an email domain the org does not allow, and answers as for any request', async () => {
    const org = await local.seedOperatorAndOrg();
    await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
      token: org.admin.accessToken,
      body: { allowedEmailDomains: ['acme.test'] },
    });
    const auditBefore = (await auditEventsInTable(local.db, org.orgId)).length;
    const elsewhere = await local.api('POST', requests(org), { token: (await outsider('elsewhere.test')).accessToken });
    expect([elsewhere.status, elsewhere.text]).toEqual([202, '']);
    const pendingNow = async () =>
      (await local.api('GET', `${requests(org)}?status=pending`, { token: org.admin.accessToken })).json
        .items as unknown[];
    expect(await pendingNow()).toEqual([]);
    expect(await auditEventsInTable(local.db, org.orgId)).toHaveLength(auditBefore);
    const allowed = await outsider('acme.test');
    expect((await local.api('POST', requests(org), { token: allowed.accessToken })).status).toBe(202);
    expect(await pendingNow()).toMatchObject([{ requestId: allowed.userId }]);
  });

  it('answers an unknown org exactly as a real one, and writes nothing for it', async () => {
    const org = await local.seedOperatorAndOrg();
    const visitor = await outsider();
    const unknownOrgId = randomUUID();
    const answerOf = async (orgId: string) => {
      const res = await local.api('POST', `/v1/orgs/${orgId}/join-requests`, { token: visitor.accessToken });
      return { status: res.status, body: res.text, contentType: res.headers.get('content-type') };
    };
    const real = await answerOf(org.orgId);
    expect(real).toMatchObject({ status: 202, body: '' });
    expect(await answerOf(unknownOrgId)).toEqual(real);
    // Again, once the real org holds the pending request: still alike.
    expect(await answerOf(org.orgId)).toEqual(real);
    expect(await answerOf(unknownOrgId)).toEqual(real);
    const { Item } = await local.db.client.send(
      new GetCommand({ TableName: local.db.tableName, Key: joinRequestKey(unknownOrgId, visitor.userId) }),
    );
    expect(Item).toBeUndefined();
  });

  it('with autoActivation the request becomes an active membership at once; without a seat it waits, pending', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 2 });
    await local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken, body: { autoActivation: true } });
    const first = await outsider();
    const joined = await local.api('POST', requests(org), { token: first.accessToken });
    expect(joined.status, joined.text).toBe(202);
    expect(
      (await local.api('GET', `${requests(org)}?status=approved`, { token: org.admin.accessToken })).json.items,
    ).toMatchObject([{ requestId: first.userId, decidedBy: 'autoActivation' }]);
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === first.userId)?.role).toBe('member');
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: first.accessToken })).status).toBe(200);
    // Out of seats: the request waits for the admins instead, answered alike.
    const second = await outsider();
    const waiting = await local.api('POST', requests(org), { token: second.accessToken });
    expect(waiting.status, waiting.text).toBe(202);
    expect(
      (await local.api('GET', `${requests(org)}?status=pending`, { token: org.admin.accessToken })).json.items,
    ).toMatchObject([{ requestId: second.userId }]);
    expect((await membershipsInTable(local.db, org.orgId)).some((m) => m.userId === second.userId)).toBe(false);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
  });

  it('approval needs a seat, and concurrent approvals of one request make one membership', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 2 });
    const [a, b] = [await outsider(), await outsider()];
    await local.api('POST', requests(org), { token: a.accessToken });
    await local.api('POST', requests(org), { token: b.accessToken });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        local.api('POST', `${requests(org)}/${a.userId}/approve`, { token: org.admin.accessToken }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expectProblem(
      await local.api('POST', `${requests(org)}/${b.userId}/approve`, { token: org.admin.accessToken }),
      409,
      'seat_limit_reached',
    );
    expect(
      (await local.api('GET', `${requests(org)}?status=pending`, { token: org.admin.accessToken })).json.items,
    ).toHaveLength(1);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
  });

  it('refuses members, non-admin deciders and unknown requests', async () => {
    const org = await local.seedOperatorAndOrg();
    expectProblem(await local.api('POST', requests(org), { token: org.admin.accessToken }), 409, 'already_member');
    const visitor = await outsider();
    expectProblem(await local.api('GET', requests(org), { token: visitor.accessToken }), 403);
    expectProblem(
      await local.api('POST', `${requests(org)}/${visitor.userId}/approve`, { token: org.admin.accessToken }),
      404,
      'join_request_not_found',
    );
    expectProblem(await local.api('GET', `${requests(org)}?status=maybe`, { token: org.admin.accessToken }), 400);
  });

  it('approves into any role of the org: a custom role is counted, one holding org:manage makes an admin', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    for (const role of [
      { key: 'author', name: 'Author', permissions: ['app:publish'] },
      { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:manage'] },
    ])
      expect((await local.api('POST', `/v1/orgs/${org.orgId}/roles`, { token, body: role })).status).toBe(201);
    const [a, b, c] = [await outsider(), await outsider(), await outsider()];
    for (const v of [a, b, c]) await local.api('POST', requests(org), { token: v.accessToken });

    const approve = (userId: string, body?: unknown) =>
      local.api('POST', `${requests(org)}/${userId}/approve`, { token, ...(body ? { body } : {}) });
    // An unknown role names the field and leaves the request pending; so does a bad key.
    expectFieldProblem(await approve(a.userId, { role: 'ghost' }), 'role');
    expectFieldProblem(await approve(a.userId, { role: 'Not A Key' }), 'role');
    expectFieldProblem(await approve(a.userId, { role: 'author', extra: 1 }), 'extra');
    expect((await approve(a.userId, { role: 'AUTHOR' })).status).toBe(400);

    expect((await approve(a.userId, { role: 'author' })).status).toBe(200);
    expect((await approve(b.userId, { role: 'co_owner' })).status).toBe(200);
    expect((await approve(c.userId, {})).status).toBe(200);
    const roleOf = new Map((await membershipsInTable(local.db, org.orgId)).map((m) => [m.userId, m]));
    expect(roleOf.get(a.userId)?.role).toBe('author');
    expect(roleOf.get(b.userId)).toMatchObject({ role: 'co_owner', managesOrg: true });
    expect(roleOf.get(c.userId)?.role).toBe('member');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, activeAdmins: 2 });
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders).toMatchObject({ author: 1, co_owner: 1 });
    const added = (await auditEventsInTable(local.db, org.orgId)).find(
      (e) => e.action === 'member.added' && (e.target as { id: string }).id === a.userId,
    );
    expect(added?.after).toMatchObject({ role: 'author', source: 'join_request' });
    // A role in use cannot be deleted.
    expectProblem(await local.api('DELETE', `/v1/orgs/${org.orgId}/roles/author`, { token }), 409, 'role_in_use');
  });

  it('a member manager approves into roles they may give, never one holding permissions they lack', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    const role = { key: 'member_manager', name: 'Member manager', permissions: ['members:read', 'members:manage'] };
    expect((await local.api('POST', `/v1/orgs/${org.orgId}/roles`, { token, body: role })).status).toBe(201);
    const suffix = uniqueSuffix();
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token,
      body: { name: 'Manager', email: `mm-${suffix}@join.test`, role: 'member_manager' },
    });
    expect(added.status, added.text).toBe(201);
    await local.setPassword(added.json.userId, TEST_PASSWORD);
    const manager = (await local.signIn(`mm-${suffix}@join.test`, TEST_PASSWORD)).accessToken;
    const [a, b] = [await outsider(), await outsider()];
    for (const v of [a, b]) await local.api('POST', requests(org), { token: v.accessToken });

    expectProblem(
      await local.api('POST', `${requests(org)}/${a.userId}/approve`, { token: manager, body: { role: 'org_admin' } }),
      403,
      'role_escalation',
    );
    const pending = await local.api('GET', requests(org), { token: manager });
    expect(pending.json.items.map((r: { requestId: string }) => r.requestId).sort()).toEqual(
      [a.userId, b.userId].sort(),
    );
    expect(
      (await local.api('POST', `${requests(org)}/${a.userId}/approve`, { token: manager, body: { role: 'member' } }))
        .status,
    ).toBe(200);
    expect(
      (
        await local.api('POST', `${requests(org)}/${b.userId}/approve`, {
          token: manager,
          body: { role: 'member_manager' },
        })
      ).status,
    ).toBe(200);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, activeAdmins: 1 });
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders.member_manager).toBe(2);
  });
});
