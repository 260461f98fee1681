import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMembership } from '../../shared/members/membership-repository.js';
import { expectFieldProblem } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi } from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

describe('last active', () => {
  it('records a member’s authorized request once an hour, lists by it and by "not active since"', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 5 });
    const members = `/v1/orgs/${org.orgId}/members`;
    const email = `active-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', members, {
      token: org.admin.accessToken,
      body: { name: 'Active Person', email, role: 'member' },
    });
    const userId = added.json.userId as string;
    expect(added.json.lastActiveAt).toBeNull();
    await local.setPassword(userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    const before = new Date().toISOString();
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: accessToken })).status).toBe(200);
    const first = (await getMembership(local.db, org.orgId, userId))!;
    expect(first.lastActiveAt! >= before).toBe(true);
    // Within the hour nothing is written again, and the version never moves for it.
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: accessToken })).status).toBe(200);
    const second = (await getMembership(local.db, org.orgId, userId))!;
    expect(second.lastActiveAt).toBe(first.lastActiveAt);
    expect(second.version).toBe(first.version);

    const byActivity = await local.api('GET', `${members}?sort=lastActiveAt&order=desc`, {
      token: org.admin.accessToken,
    });
    expect(byActivity.status, byActivity.text).toBe(200);
    expect(byActivity.json.items.map((m: { userId: string }) => m.userId)).toContain(userId);
    expect(byActivity.json.items.find((m: { userId: string }) => m.userId === userId).lastActiveAt).toBe(
      first.lastActiveAt,
    );

    const inactiveBefore = await local.api('GET', `${members}?inactiveSince=${encodeURIComponent(before)}`, {
      token: org.admin.accessToken,
    });
    expect(inactiveBefore.status, inactiveBefore.text).toBe(200);
    expect(inactiveBefore.json.items.map((m: { userId: string }) => m.userId)).not.toContain(userId);
    const inactiveLater = await local.api(
      'GET',
      `${members}?inactiveSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      { token: org.admin.accessToken },
    );
    expect(inactiveLater.json.items.map((m: { userId: string }) => m.userId)).toContain(userId);
  });

  it.each([
    ['inactiveSince=yesterday', 'query.inactiveSince'],
    ['inactiveSince=2026-01-01T00:00:00Z&status=active', 'query.status'],
    ['inactiveSince=2026-01-01T00:00:00Z&sort=email', 'query.sort'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const org = await local.seedOperatorAndOrg();
    expectFieldProblem(
      await local.api('GET', `/v1/orgs/${org.orgId}/members?${query}`, { token: org.admin.accessToken }),
      field,
    );
  });
});
