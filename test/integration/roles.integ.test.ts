import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../shared/api/operations.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { MAX_CUSTOM_ROLES, PERMISSIONS, type Permission } from '../../shared/roles.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectFieldProblem,
  expectProblem,
  membershipsInTable,
} from '../helpers/assertions.js';
import { onlyQueuedToken } from '../helpers/outbox.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const roles = (org: SeededOrg) => `/v1/orgs/${org.orgId}/roles`;
const members = (org: SeededOrg) => `/v1/orgs/${org.orgId}/members`;
const AUTHOR = { key: 'author', name: 'Author', description: 'Publishes articles', permissions: ['app:publish'] };
const MEMBER_MANAGER = {
  key: 'member_manager',
  name: 'Member manager',
  permissions: ['members:read', 'members:manage', 'invitations:manage'],
};

async function createRole(org: SeededOrg, body: Record<string, unknown>, token = org.admin.accessToken) {
  const res = await local.api('POST', roles(org), { token, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { key: string; permissions: string[] };
}

async function addMember(org: SeededOrg, role: string, token = org.admin.accessToken) {
  const suffix = uniqueSuffix();
  const res = await local.api('POST', members(org), {
    token,
    body: { name: `Person ${suffix}`, email: `p-${suffix}@roles.test`, role },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { userId: string; email: string; role: string };
}

/** A member of `org` with `role`, signed in. */
async function signedInMember(org: SeededOrg, role: string) {
  const member = await addMember(org, role);
  await local.setPassword(member.userId, TEST_PASSWORD);
  return { ...member, token: (await local.signIn(member.email, TEST_PASSWORD)).accessToken };
}

describe('custom roles API', () => {
  it('lists the built-ins, creates, edits and deletes a role, with an audit event for each change', async () => {
    const org = await local.seedOperatorAndOrg();
    const empty = await local.api('GET', roles(org), { token: org.admin.accessToken });
    expect(empty.status, empty.text).toBe(200);
    expect(empty.json.items.map((r: { key: string }) => r.key)).toEqual(['org_admin', 'member']);
    expect(empty.json.items[0]).toMatchObject({ builtIn: true, holders: null, permissions: [...PERMISSIONS] });
    expect(empty.json.permissions).toEqual([...PERMISSIONS]);

    const created = await createRole(org, AUTHOR);
    expect(created).toEqual({ ...AUTHOR, builtIn: false, holders: 0 });
    const edited = await local.api('PUT', `${roles(org)}/author`, {
      token: org.admin.accessToken,
      body: { name: 'Writer', permissions: ['app:publish', 'app:review', 'members:read'] },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json).toMatchObject({ key: 'author', name: 'Writer', description: null });
    const listed = await local.api('GET', roles(org), { token: org.admin.accessToken });
    expect(listed.json.items.map((r: { key: string }) => r.key)).toEqual(['org_admin', 'member', 'author']);
    expect(listed.json.items[2].permissions).toEqual(['app:publish', 'app:review', 'members:read']);

    const deleted = await local.api('DELETE', `${roles(org)}/author`, { token: org.admin.accessToken });
    expect(deleted.status, deleted.text).toBe(204);
    expectProblem(
      await local.api('DELETE', `${roles(org)}/author`, { token: org.admin.accessToken }),
      404,
      'role_not_found',
    );
    const actions = (await auditEventsInTable(local.db, org.orgId))
      .filter((e) => (e.target as { type?: string } | null)?.type === 'role')
      .map((e) => e.action);
    expect(actions).toEqual(['role.created', 'role.updated', 'role.deleted']);
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const post = (body: unknown) => local.api('POST', roles(org), { token: org.admin.accessToken, body });
    expectFieldProblem(await post({ ...AUTHOR, key: 'Has Spaces' }), 'key');
    expectFieldProblem(await post({ ...AUTHOR, key: 'org_admin' }), 'key');
    expectFieldProblem(await post({ ...AUTHOR, permissions: ['members:write'] }), 'permissions.0');
    expectFieldProblem(await post({ ...AUTHOR, permissions: ['app:'] }), 'permissions.0');
    expectFieldProblem(await post({ ...AUTHOR, permissions: ['app:x', 'app:x'] }), 'permissions');
    expectFieldProblem(await post({ ...AUTHOR, name: '' }), 'name');
    expectFieldProblem(await post({ key: 'x1', name: 'X' }), 'permissions');
    expectFieldProblem(await post({ ...AUTHOR, extra: true }), 'extra');
    expect((await getOrg(local.db, org.orgId, true))?.customRoles).toEqual({});
  });

  it('never edits nor deletes a built-in role; refuses a duplicate key and more than the bound', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    for (const key of ['org_admin', 'member']) {
      expectProblem(await local.api('DELETE', `${roles(org)}/${key}`, { token }), 409, 'role_built_in');
      expectProblem(
        await local.api('PUT', `${roles(org)}/${key}`, { token, body: { name: 'X', permissions: [] } }),
        409,
        'role_built_in',
      );
    }
    await createRole(org, AUTHOR);
    expectProblem(await local.api('POST', roles(org), { token, body: AUTHOR }), 409, 'role_exists');
    for (let i = 1; i < MAX_CUSTOM_ROLES; i++)
      await createRole(org, { key: `role_${i}`, name: `Role ${i}`, permissions: [] });
    expectProblem(
      await local.api('POST', roles(org), { token, body: { key: 'one_more', name: 'One more', permissions: [] } }),
      409,
      'role_limit_reached',
    );
  });

  it('refuses to delete a role in use (409 role_in_use) until nobody holds it, by the holder count', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    await createRole(org, AUTHOR);
    const a = await addMember(org, 'author');
    const b = await addMember(org, 'author');
    expect((await local.api('GET', roles(org), { token })).json.items[2].holders).toBe(2);
    expectProblem(await local.api('DELETE', `${roles(org)}/author`, { token }), 409, 'role_in_use');
    // Suspended holders still hold the role.
    await local.api('POST', `${members(org)}/${a.userId}/suspend`, { token });
    expectProblem(await local.api('DELETE', `${roles(org)}/author`, { token }), 409, 'role_in_use');
    await local.api('DELETE', `${members(org)}/${a.userId}`, { token });
    const back = await local.api('PUT', `${members(org)}/${b.userId}`, {
      token,
      body: { name: 'B', email: b.email, role: 'member', teamId: null },
    });
    expect(back.status, back.text).toBe(200);
    await expectCountersMatchItems(local.db, org.orgId);
    expect((await local.api('DELETE', `${roles(org)}/author`, { token })).status).toBe(204);
    // A role deleted is no longer given.
    expectFieldProblem(
      await local.api('POST', members(org), {
        token,
        body: { name: 'C', email: `c-${uniqueSuffix()}@roles.test`, role: 'author' },
      }),
      'role',
    );
  });

  it('refuses a role edit that moves org:manage while the role is held, allows it while unheld', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    await createRole(org, { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage'] });
    await createRole(org, { key: 'helper', name: 'Helper', permissions: ['members:read'] });
    await addMember(org, 'co_owner');
    await addMember(org, 'helper');
    const put = (key: string, permissions: string[]) =>
      local.api('PUT', `${roles(org)}/${key}`, { token, body: { name: key, permissions } });
    expectProblem(await put('co_owner', ['members:read']), 409, 'role_in_use');
    expectProblem(await put('helper', ['members:read', 'org:manage']), 409, 'role_in_use');
    // Other permissions of a role in use may change.
    expect((await put('co_owner', ['org:manage', 'audit:read'])).status).toBe(200);
    expect((await put('helper', ['members:read', 'audit:read'])).status).toBe(200);
    await createRole(org, { key: 'spare', name: 'Spare', permissions: [] });
    expect((await put('spare', ['org:manage'])).status).toBe(200);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 2 });
  });

  it('answers another org’s admin and a plain member with 403 on every roles route, changing nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    await createRole(org, AUTHOR);
    const plain = await signedInMember(org, 'member');
    for (const token of [other.admin.accessToken, plain.token]) {
      for (const [method, path, body] of [
        ['GET', roles(org), undefined],
        ['POST', roles(org), { ...AUTHOR, key: 'stolen' }],
        ['PUT', `${roles(org)}/author`, { name: 'Hijacked', permissions: ['org:manage'] }],
        ['DELETE', `${roles(org)}/author`, undefined],
      ] as const) {
        const res = await local.api(method, path, { token, body });
        expectProblem(res, 403);
      }
    }
    expect((await getOrg(local.db, org.orgId, true))?.customRoles).toEqual({
      author: { name: AUTHOR.name, description: AUTHOR.description, permissions: AUTHOR.permissions },
    });
  });
});

describe('custom roles at work', () => {
  it('an Author holds app:publish (reported by GET /v1/me) and nothing of Roster', async () => {
    const org = await local.seedOperatorAndOrg();
    await createRole(org, AUTHOR);
    const author = await signedInMember(org, 'author');
    const me = await local.api('GET', '/v1/me', { token: author.token });
    expect(me.json.memberships).toEqual([
      expect.objectContaining({ orgId: org.orgId, role: 'author', permissions: ['app:publish'] }),
    ]);
    const admin = await local.api('GET', '/v1/me', { token: org.admin.accessToken });
    expect(admin.json.memberships[0]).toMatchObject({ role: 'org_admin', permissions: [...PERMISSIONS] });
    expectProblem(await local.api('GET', members(org), { token: author.token }), 403, 'insufficient_role');
    expectProblem(await local.api('GET', `/v1/orgs/${org.orgId}/audit-events`, { token: author.token }), 403);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: author.token })).status).toBe(200);
  });

  it('a Member manager lists, adds, edits and invites members, and is refused settings, keys, roles and audit', async () => {
    const org = await local.seedOperatorAndOrg();
    await createRole(org, MEMBER_MANAGER);
    await createRole(org, AUTHOR);
    const manager = await signedInMember(org, 'member_manager');
    const token = manager.token;
    expect((await local.api('GET', members(org), { token })).status).toBe(200);
    const added = await addMember(org, 'member', token);
    const renamed = await local.api('PUT', `${members(org)}/${added.userId}`, {
      token,
      body: { name: 'Renamed', email: added.email, role: 'member', teamId: null },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const invited = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
      token,
      body: { emails: `i-${uniqueSuffix()}@roles.test`, role: 'member_manager' },
    });
    expect(invited.status, invited.text).toBe(200);
    for (const [method, path, body] of [
      ['PATCH', `/v1/orgs/${org.orgId}`, { name: 'Taken over' }],
      ['GET', `/v1/orgs/${org.orgId}/api-keys`, undefined],
      ['GET', roles(org), undefined],
      ['GET', `/v1/orgs/${org.orgId}/audit-events`, undefined],
      ['POST', `${members(org)}/${added.userId}/reset-mfa`, undefined],
    ] as const) {
      expectProblem(await local.api(method, path, { token, body }), 403, 'insufficient_role');
    }
  });

  it('refuses escalation: no role holding a permission the actor lacks, no change of one’s own role', async () => {
    const org = await local.seedOperatorAndOrg();
    await createRole(org, MEMBER_MANAGER);
    await createRole(org, AUTHOR);
    await createRole(org, { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:read'] });
    const manager = await signedInMember(org, 'member_manager');
    const token = manager.token;
    const plain = await addMember(org, 'member');
    const before = await membershipsInTable(local.db, org.orgId);
    const add = (role: string) =>
      local.api('POST', members(org), { token, body: { name: 'X', email: `x-${uniqueSuffix()}@roles.test`, role } });
    expectProblem(await add('org_admin'), 403, 'role_escalation');
    expectProblem(await add('author'), 403, 'role_escalation');
    const replace = (userId: string, email: string, role: string) =>
      local.api('PUT', `${members(org)}/${userId}`, { token, body: { name: 'X', email, role, teamId: null } });
    expectProblem(await replace(plain.userId, plain.email, 'org_admin'), 403, 'role_escalation');
    expectProblem(await replace(manager.userId, manager.email, 'member'), 403, 'own_role_change');
    expectProblem(await replace(org.admin.userId, org.admin.email, 'member'), 403, 'role_escalation');
    expectProblem(
      await local.api('POST', `${members(org)}/bulk-role`, {
        token,
        body: { userIds: [plain.userId], role: 'author' },
      }),
      403,
      'role_escalation',
    );
    expectProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
        token,
        body: { emails: `e-${uniqueSuffix()}@roles.test`, role: 'org_admin' },
      }),
      403,
      'role_escalation',
    );
    expectFieldProblem(await add('no_such_role'), 'role');
    // A holder of org:manage without members:manage defines no role holding it.
    const coOwner = await signedInMember(org, 'co_owner');
    expectProblem(
      await local.api('POST', roles(org), {
        token: coOwner.token,
        body: { key: 'sneaky', name: 'Sneaky', permissions: ['api-keys:manage'] },
      }),
      403,
      'permission_not_held',
    );
    const after = await membershipsInTable(local.db, org.orgId);
    expect(after.filter((m) => m.userId !== coOwner.userId)).toEqual(before);
  });

  it('gives a custom role through bulk role and invitations, counting its holders', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    await createRole(org, AUTHOR);
    const a = await addMember(org, 'member');
    const b = await addMember(org, 'member');
    const bulk = await local.api('POST', `${members(org)}/bulk-role`, {
      token,
      body: { userIds: [a.userId, b.userId], role: 'author' },
    });
    expect(bulk.status, bulk.text).toBe(200);
    expectFieldProblem(
      await local.api('POST', `${members(org)}/bulk-role`, { token, body: { userIds: [a.userId], role: 'ghost' } }),
      'role',
    );
    expectFieldProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
        token,
        body: { emails: `g-${uniqueSuffix()}@roles.test`, role: 'ghost' },
      }),
      'role',
    );
    await expectCountersMatchItems(local.db, org.orgId);
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders.author).toBe(2);
  });
});

describe('an invitation to a custom role', () => {
  it('makes a holder of the role on accept, and a member when the org deleted the role meanwhile', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    await createRole(org, AUTHOR);
    await createRole(org, { key: 'reviewer', name: 'Reviewer', permissions: ['app:review'] });
    const invite = async (role: string) => {
      const email = `inv-${uniqueSuffix()}@roles.test`;
      const res = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
        token,
        body: { emails: [email], role },
      });
      expect(res.status, res.text).toBe(200);
      return onlyQueuedToken(local.db, email, 'invitation');
    };
    const accept = (invitationToken: string) =>
      local.api('POST', `/v1/invitations/${invitationToken}/accept`, {
        body: { name: 'Invited Person', password: TEST_PASSWORD },
      });
    const authorToken = await invite('author');
    const reviewerToken = await invite('reviewer');
    // Nobody holds the reviewer role yet (its invitation is pending), so the org may delete it.
    expect((await local.api('DELETE', `${roles(org)}/reviewer`, { token })).status).toBe(204);

    const asAuthor = await accept(authorToken);
    expect(asAuthor.status, asAuthor.text).toBe(201);
    const asReviewer = await accept(reviewerToken);
    expect(asReviewer.status, asReviewer.text).toBe(201);
    const byUser = new Map((await membershipsInTable(local.db, org.orgId)).map((m) => [m.userId, m.role]));
    expect(byUser.get(asAuthor.json.userId)).toBe('author');
    expect(byUser.get(asReviewer.json.userId)).toBe('member');
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders.author).toBe(1);
    await expectCountersMatchItems(local.db, org.orgId);
  });
});

describe('every route asks for its permission', () => {
  const NO_ID = '00000000-0000-4000-8000-000000000000';
  const guarded = OPERATIONS.filter(
    (op): op is typeof op & { auth: { kind: 'orgMember'; permission: Permission } } =>
      op.auth.kind === 'orgMember' && op.auth.permission !== undefined,
  );

  it('refuses a member whose role lacks the permission (403) and admits one whose role holds it', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 50 });
    const tokens = new Map<Permission, { lacks: string; has: string }>();
    for (const permission of PERMISSIONS) {
      const slug = permission.replace(/[^a-z]/g, '_');
      await createRole(org, {
        key: `lacks_${slug}`,
        name: `Lacks ${permission}`,
        permissions: PERMISSIONS.filter((p) => p !== permission),
      });
      await createRole(org, { key: `has_${slug}`, name: `Has ${permission}`, permissions: [permission] });
      tokens.set(permission, {
        lacks: (await signedInMember(org, `lacks_${slug}`)).token,
        has: (await signedInMember(org, `has_${slug}`)).token,
      });
    }
    expect(guarded.length).toBeGreaterThan(40);
    for (const op of guarded) {
      const path = op.path
        .replace('{orgId}', org.orgId)
        .replace('{key}', 'no_such_role')
        .replace(/\{\w+\}/g, NO_ID);
      const { lacks, has } = tokens.get(op.auth.permission)!;
      const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
      const refused = await local.api(op.method, path, { token: lacks, body });
      expect(refused.status, `${op.method} ${op.path} without ${op.auth.permission}: ${refused.text}`).toBe(403);
      expect(refused.json.code).toBe('insufficient_role');
      const admitted = await local.api(op.method, path, { token: has, body });
      expect(admitted.json?.code, `${op.method} ${op.path} with ${op.auth.permission}: ${admitted.text}`).not.toBe(
        'insufficient_role',
      );
    }
  });
});

describe('last org:manage holder', () => {
  it('a storm of concurrent demotions among org:manage holders (built-in and custom) leaves at least one', async () => {
    const org = await local.seedOperatorAndOrg();
    await createRole(org, { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:manage'] });
    const holders = [
      { userId: org.admin.userId, email: org.admin.email, token: org.admin.accessToken },
      ...(await Promise.all([1, 2, 3, 4].map(() => signedInMember(org, 'co_owner')))),
    ];
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 5 });
    // Each holder demotes every holder (themselves included) to member, all at once.
    const answers = await Promise.all(
      holders.flatMap((actor) =>
        holders.map((target) =>
          local.api('PUT', `${members(org)}/${target.userId}`, {
            token: actor.token,
            body: { name: 'Demoted', email: target.email, role: 'member', teamId: null },
          }),
        ),
      ),
    );
    for (const res of answers) expect([200, 403, 409], res.text).toContain(res.status);
    const { activeAdmins } = await expectCountersMatchItems(local.db, org.orgId);
    expect(activeAdmins).toBeGreaterThanOrEqual(1);
    expect(answers.some((r) => r.json?.code === 'last_admin')).toBe(true);
    const left = (await membershipsInTable(local.db, org.orgId)).filter(
      (m) => m.role === 'org_admin' || m.role === 'co_owner',
    );
    expect(left.length).toBe(activeAdmins);
  });

  it('suspending and removing custom-role admins keeps one, and the count stays exact', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    await createRole(org, { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:manage'] });
    const co = await signedInMember(org, 'co_owner');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 2 });
    // The built-in admin steps down: the co-owner is the org's admin now.
    const down = await local.api('PUT', `${members(org)}/${org.admin.userId}`, {
      token,
      body: { name: 'Former', email: org.admin.email, role: 'member', teamId: null },
    });
    expect(down.status, down.text).toBe(200);
    expectProblem(
      await local.api('POST', `${members(org)}/${co.userId}/suspend`, { token: co.token }),
      409,
      'last_admin',
    );
    expectProblem(await local.api('DELETE', `${members(org)}/${co.userId}`, { token: co.token }), 409, 'last_admin');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 1 });
  });
});
