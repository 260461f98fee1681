/**
 * SCIM provisioning driven by org settings: group → role mapping (Okta- and Entra-style
 * Group PATCH sequences, last-admin refusal as a SCIM error), what DELETE /Users does
 * (deprovision or remove), idempotent IdP retries, and concurrent PATCHes of one user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectFieldProblem,
  membershipsInTable,
  orgItemsInTable,
} from '../helpers/assertions.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { expectScimError, newScimUser, scimClient, scimPatch } from '../helpers/scim-client.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const ADMINS = 'Roster Admins';

async function setScimSettings(org: SeededOrg, scim: Record<string, unknown>) {
  const res = await local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken, body: { scim } });
  expect(res.status, res.text).toBe(200);
  return res.json.settings.scim as { groupRoles: { group: string; role: string }[]; deleteAction: string };
}

async function memberOf(orgId: string, userId: string) {
  return (await membershipsInTable(local.db, orgId)).find((m) => m.userId === userId);
}

const roleOf = async (orgId: string, userId: string) => (await memberOf(orgId, userId))?.role;

describe('SCIM settings on the org', () => {
  it('are documented defaults, patched field by field, validated with the field named, and audited', async () => {
    const org = await local.seedOperatorAndOrg();
    const read = await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken });
    expect(read.json.settings.scim).toEqual({ groupRoles: [], deleteAction: 'deprovision' });

    expect(await setScimSettings(org, { groupRoles: [{ group: ADMINS, role: 'org_admin' }] })).toEqual({
      groupRoles: [{ group: ADMINS, role: 'org_admin' }],
      deleteAction: 'deprovision',
    });
    // A patch of one SCIM setting keeps the other.
    expect(await setScimSettings(org, { deleteAction: 'remove' })).toEqual({
      groupRoles: [{ group: ADMINS, role: 'org_admin' }],
      deleteAction: 'remove',
    });

    const patch = (scim: unknown) =>
      local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken, body: { scim } });
    expectFieldProblem(await patch({ deleteAction: 'erase' }), 'scim.deleteAction');
    expectFieldProblem(await patch({ groupRoles: [{ group: 'Ops', role: 'owner' }] }), 'scim.groupRoles.0.role');
    expectFieldProblem(
      await patch({
        groupRoles: [
          { group: 'Ops', role: 'org_admin' },
          { group: ' ops ', role: 'member' },
        ],
      }),
      'scim.groupRoles',
    );
    expectFieldProblem(
      await patch({ groupRoles: [{ group: 'Ops', role: 'org_admin', extra: 1 }] }),
      'scim.groupRoles.0.extra',
    );
    expectFieldProblem(await patch({}), 'scim');

    const audit = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'org.updated');
    expect(audit.map((e) => e.after)).toEqual([
      { scim: { groupRoles: [{ group: ADMINS, role: 'org_admin' }], deleteAction: 'deprovision' } },
      { scim: { groupRoles: [{ group: ADMINS, role: 'org_admin' }], deleteAction: 'remove' } },
    ]);

    const member = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Plain Member', email: `plain-${uniqueSuffix()}@org.test`, role: 'member' },
    });
    await local.setPassword(member.json.userId as string, TEST_PASSWORD);
    const { accessToken } = await local.signIn(member.json.email as string, TEST_PASSWORD);
    expect(
      (
        await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
          token: accessToken,
          body: { scim: { deleteAction: 'deprovision' } },
        })
      ).status,
    ).toBe(403);
  });
});

describe('group → role mapping', () => {
  it('Okta sequence: push group, add members (admin), remove by value path (member again)', async () => {
    const org = await local.seedOperatorAndOrg();
    await setScimSettings(org, { groupRoles: [{ group: ADMINS, role: 'org_admin' }] });
    const okta = await scimClient(local, org);
    const [ann, bob] = [await okta.createUser(), await okta.createUser()];
    const everyone = await okta.createGroup(`Everyone ${uniqueSuffix()}`);
    // Okta pushes the group empty, then its members; the name is compared case-insensitively.
    const admins = await okta.createGroup(ADMINS.toLowerCase());
    expect(
      (
        await okta.send(
          'PATCH',
          `/Groups/${admins.id}`,
          scimPatch({
            op: 'add',
            path: 'members',
            value: [
              { value: ann.id, display: 'Ann' },
              { value: bob.id, display: 'Bob' },
            ],
          }),
        )
      ).status,
    ).toBe(204);
    expect([await roleOf(org.orgId, ann.id), await roleOf(org.orgId, bob.id)]).toEqual(['org_admin', 'org_admin']);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 3 });

    expect(
      (
        await okta.send(
          'PATCH',
          `/Groups/${admins.id}`,
          scimPatch({ op: 'remove', path: `members[value eq "${ann.id}"]` }),
        )
      ).status,
    ).toBe(204);
    expect(await memberOf(org.orgId, ann.id)).toMatchObject({ role: 'member', teamId: null });
    // Moving to an unmapped group leaves the admin group: member again.
    expect(
      (
        await okta.send(
          'PATCH',
          `/Groups/${everyone.id}`,
          scimPatch({ op: 'add', path: 'members', value: [{ value: bob.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(await memberOf(org.orgId, bob.id)).toMatchObject({ role: 'member', teamId: everyone.id });
    // A retried PATCH changes nothing more.
    expect(
      (
        await okta.send(
          'PATCH',
          `/Groups/${everyone.id}`,
          scimPatch({ op: 'add', path: 'members', value: [{ value: bob.id }] }),
        )
      ).status,
    ).toBe(204);
    await expectCountersMatchItems(local.db, org.orgId);

    const roleChanges = (await auditEventsInTable(local.db, org.orgId)).filter(
      (e) => e.action === 'member.updated' && (e.after as Record<string, unknown>).role !== undefined,
    );
    // Events of one millisecond sort by id, so compare as a set.
    expect(
      roleChanges.map((e) => `${(e.target as { id: string }).id} ${(e.after as { role: string }).role}`).sort(),
    ).toEqual([`${ann.id} org_admin`, `${bob.id} org_admin`, `${ann.id} member`, `${bob.id} member`].sort());
    for (const event of roleChanges) expect(event.actor).toEqual({ type: 'scim', id: okta.token.tokenId });

    // Deleting the mapped group takes its role back from its members, who stay in the org.
    expect(
      (
        await okta.send(
          'PATCH',
          `/Groups/${admins.id}`,
          scimPatch({ op: 'add', path: 'members', value: [{ value: ann.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(await roleOf(org.orgId, ann.id)).toBe('org_admin');
    expect((await okta.send('DELETE', `/Groups/${admins.id}`)).status).toBe(204);
    expect(await memberOf(org.orgId, ann.id)).toMatchObject({ role: 'member', teamId: null, status: 'active' });
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('Entra sequence: Add/Remove with value lists; a mapping set later applies from then on', async () => {
    const org = await local.seedOperatorAndOrg();
    const entra = await scimClient(local, org, 'Microsoft.AAD.Provisioning');
    const cat = await entra.createUser(newScimUser({ externalId: `aad-${uniqueSuffix()}` }));
    const groupName = `Entra Admins ${uniqueSuffix()}`;
    const group = await entra.createGroup(groupName);
    expect(
      (
        await entra.send(
          'PATCH',
          `/Groups/${group.id}`,
          scimPatch({ op: 'Add', path: 'members', value: [{ value: cat.id }] }),
        )
      ).status,
    ).toBe(204);
    // No mapping yet: membership only.
    expect(await memberOf(org.orgId, cat.id)).toMatchObject({ role: 'member', teamId: group.id });

    await setScimSettings(org, { groupRoles: [{ group: groupName, role: 'org_admin' }] });
    // Not retroactive: the member keeps their role until a Group request touches them.
    expect(await roleOf(org.orgId, cat.id)).toBe('member');
    expect(
      (
        await entra.send(
          'PATCH',
          `/Groups/${group.id}`,
          scimPatch({ op: 'Add', path: 'members', value: [{ value: cat.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(await roleOf(org.orgId, cat.id)).toBe('org_admin');

    expect(
      (
        await entra.send(
          'PATCH',
          `/Groups/${group.id}`,
          scimPatch({ op: 'Remove', path: 'members', value: [{ value: cat.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(await memberOf(org.orgId, cat.id)).toMatchObject({ role: 'member', teamId: null });
    // PUT of the group with members maps too.
    expect(
      (
        await entra.send('PUT', `/Groups/${group.id}`, {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: groupName,
          members: [{ value: cat.id }],
        })
      ).status,
    ).toBe(200);
    expect(await roleOf(org.orgId, cat.id)).toBe('org_admin');
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('refuses to take the admin group from the last active admin with a SCIM 409, changing nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    await setScimSettings(org, { groupRoles: [{ group: ADMINS, role: 'org_admin' }] });
    const okta = await scimClient(local, org);
    const ann = await okta.createUser();
    const admins = await okta.createGroup(ADMINS, [ann.id]);
    expect(await roleOf(org.orgId, ann.id)).toBe('org_admin');
    // The seeded admin steps down: Ann, admin through the group, is the last active admin.
    const admin = await memberOf(org.orgId, org.admin.userId);
    const demoted = await local.api('PUT', `/v1/orgs/${org.orgId}/members/${org.admin.userId}`, {
      token: org.admin.accessToken,
      body: { name: admin!.name, email: admin!.email, role: 'member', teamId: null },
    });
    expect(demoted.status, demoted.text).toBe(200);

    const auditBefore = (await auditEventsInTable(local.db, org.orgId)).length;
    expectScimError(
      await okta.send(
        'PATCH',
        `/Groups/${admins.id}`,
        scimPatch({ op: 'remove', path: `members[value eq "${ann.id}"]` }),
      ),
      409,
    );
    const other = await okta.createGroup(`Other ${uniqueSuffix()}`);
    expectScimError(
      await okta.send(
        'PATCH',
        `/Groups/${other.id}`,
        scimPatch({ op: 'add', path: 'members', value: [{ value: ann.id }] }),
      ),
      409,
    );
    expect(await memberOf(org.orgId, ann.id)).toMatchObject({ role: 'org_admin', teamId: admins.id, status: 'active' });
    // Only the second group's creation was written.
    expect((await auditEventsInTable(local.db, org.orgId)).length).toBe(auditBefore + 1);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 1 });
  });
});

describe('group → custom role mapping', () => {
  it('maps a group to a custom role of the org: unknown roles are a 400 naming the row, a mapped role cannot be deleted', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    const role = { key: 'author', name: 'Author', permissions: ['app:publish'] };
    expect((await local.api('POST', `/v1/orgs/${org.orgId}/roles`, { token, body: role })).status).toBe(201);
    const patch = (scim: unknown) => local.api('PATCH', `/v1/orgs/${org.orgId}`, { token, body: { scim } });
    expectFieldProblem(
      await patch({
        groupRoles: [
          { group: 'Writers', role: 'author' },
          { group: 'Ghosts', role: 'ghost' },
        ],
      }),
      'scim.groupRoles.1.role',
    );
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token })).json.settings.scim.groupRoles).toEqual([]);
    expect(await setScimSettings(org, { groupRoles: [{ group: 'Writers', role: 'author' }] })).toMatchObject({
      groupRoles: [{ group: 'Writers', role: 'author' }],
    });
    const refused = await local.api('DELETE', `/v1/orgs/${org.orgId}/roles/author`, { token });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.code).toBe('role_in_use');
    await setScimSettings(org, { groupRoles: [] });
    expect((await local.api('DELETE', `/v1/orgs/${org.orgId}/roles/author`, { token })).status).toBe(204);
  });

  it('a member a Group request adds gets the custom role (org:manage makes a counted admin); leaving keeps the last org:manage holder', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    const role = { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:manage'] };
    expect((await local.api('POST', `/v1/orgs/${org.orgId}/roles`, { token, body: role })).status).toBe(201);
    await setScimSettings(org, { groupRoles: [{ group: 'Owners', role: 'co_owner' }] });
    const okta = await scimClient(local, org);
    const [ann, bob] = [await okta.createUser(), await okta.createUser()];
    const owners = await okta.createGroup('owners', [ann.id, bob.id]);
    expect(await memberOf(org.orgId, ann.id)).toMatchObject({ role: 'co_owner', managesOrg: true, teamId: owners.id });
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 3 });
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders.co_owner).toBe(2);

    expect(
      (
        await okta.send(
          'PATCH',
          `/Groups/${owners.id}`,
          scimPatch({ op: 'remove', path: `members[value eq "${bob.id}"]` }),
        )
      ).status,
    ).toBe(204);
    const bobNow = await memberOf(org.orgId, bob.id);
    expect(bobNow).toMatchObject({ role: 'member', teamId: null });
    expect(bobNow?.managesOrg).toBeUndefined();
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 2 });

    // The seeded admin steps down: Ann, co-owner through the group, is the last org:manage holder.
    const demoted = await local.api('PUT', `/v1/orgs/${org.orgId}/members/${org.admin.userId}`, {
      token,
      body: { name: 'Admin', email: org.admin.email, role: 'member', teamId: null },
    });
    expect(demoted.status, demoted.text).toBe(200);
    expectScimError(
      await okta.send(
        'PATCH',
        `/Groups/${owners.id}`,
        scimPatch({ op: 'remove', path: `members[value eq "${ann.id}"]` }),
      ),
      409,
    );
    expect(await memberOf(org.orgId, ann.id)).toMatchObject({ role: 'co_owner', managesOrg: true, teamId: owners.id });
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ activeAdmins: 1 });
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders.co_owner).toBe(1);
  });

  it('refuses a mapping to a role holding permissions the caller lacks (403 role_escalation)', async () => {
    const org = await local.seedOperatorAndOrg();
    const token = org.admin.accessToken;
    const role = { key: 'settings_admin', name: 'Settings admin', permissions: ['org:manage', 'scim:manage'] };
    expect((await local.api('POST', `/v1/orgs/${org.orgId}/roles`, { token, body: role })).status).toBe(201);
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token,
      body: { name: 'Settings', email: `settings-${uniqueSuffix()}@org.test`, role: 'settings_admin' },
    });
    expect(added.status, added.text).toBe(201);
    await local.setPassword(added.json.userId as string, TEST_PASSWORD);
    const { accessToken } = await local.signIn(added.json.email as string, TEST_PASSWORD);
    const patch = (groupRoles: unknown) =>
      local.api('PATCH', `/v1/orgs/${org.orgId}`, { token: accessToken, body: { scim: { groupRoles } } });
    const refused = await patch([{ group: 'Admins', role: 'org_admin' }]);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.code).toBe('role_escalation');
    expect((await patch([{ group: 'Leads', role: 'settings_admin' }])).status).toBe(200);
  });
});

describe('DELETE /Users', () => {
  it('deprovisions by default: row and history kept in Roster, seat freed; the SCIM resource is gone (RFC 7644 §3.6)', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const user = await okta.createUser();
    expect((await okta.send('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await okta.send('DELETE', `/Users/${user.id}`)).status).toBe(404);
    expect(await memberOf(org.orgId, user.id)).toMatchObject({ status: 'deprovisioned', scimDeleted: true });
    expect((await okta.send('GET', `/Users/${user.id}`)).status).toBe(404);
    const events = (await auditEventsInTable(local.db, org.orgId)).filter(
      (e) => e.action === 'member.deprovisioned' || e.action === 'member.scim_deleted',
    );
    expect(events.map((e) => e.action).sort()).toEqual(['member.deprovisioned', 'member.scim_deleted']);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ seatsUsed: 1 });
  });

  it('removes when the org says so: membership, SCIM profile and externalId claim gone in one change, sessions ended, history kept', async () => {
    const org = await local.seedOperatorAndOrg();
    await setScimSettings(org, { deleteAction: 'remove' });
    const okta = await scimClient(local, org);
    const externalId = `00u${uniqueSuffix()}`;
    const body = newScimUser({ externalId });
    const user = await okta.createUser(body);
    await local.setPassword(user.id, TEST_PASSWORD);
    const { accessToken } = await local.signIn(user.userName, TEST_PASSWORD);
    expect((await local.api('GET', '/v1/me', { token: accessToken })).status).toBe(200);

    expect((await okta.send('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect(await memberOf(org.orgId, user.id)).toBeUndefined();
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMUSER#${user.id}`)).toEqual([]);
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMEXT#${externalId}`)).toEqual([]);
    expect((await local.api('GET', '/v1/me', { token: accessToken })).status).toBe(401);
    expectScimError(await okta.send('GET', `/Users/${user.id}`), 404);
    expectScimError(await okta.send('DELETE', `/Users/${user.id}`), 404);
    const removed = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'member.removed');
    expect(removed).toEqual([
      expect.objectContaining({
        target: { type: 'member', id: user.id },
        actor: { type: 'scim', id: okta.token.tokenId },
      }),
    ]);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ seatsUsed: 1 });

    // The IdP may provision the same person again: same user, a new membership.
    const again = await okta.createUser(body);
    expect(again.id).toBe(user.id);
    expect(
      (await okta.send('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`)).json
        .totalResults,
    ).toBe(1);
  });

  it('an admin removing a provisioned member through the member API frees the SCIM profile too: the IdP can create them again', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const externalId = `00u${uniqueSuffix()}`;
    const body = newScimUser({ externalId });
    const user = await okta.createUser(body);

    const removed = await local.api('DELETE', `/v1/orgs/${org.orgId}/members/${user.id}`, {
      token: org.admin.accessToken,
    });
    expect(removed.status, removed.text).toBe(204);
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMUSER#${user.id}`)).toEqual([]);
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMEXT#${externalId}`)).toEqual([]);
    expectScimError(await okta.send('GET', `/Users/${user.id}`), 404);

    const again = await okta.createUser(body);
    expect(again.id).toBe(user.id);
    expect((await okta.send('GET', `/Users/${user.id}`)).json).toMatchObject({ externalId, active: true });
    expect(await expectCountersMatchItems(local.db, org.orgId)).toMatchObject({ seatsUsed: 2 });
  });

  it('keeps the last active admin, whatever the action, with a SCIM 409', async () => {
    const org = await local.seedOperatorAndOrg();
    await setScimSettings(org, { deleteAction: 'remove' });
    const okta = await scimClient(local, org);
    expectScimError(await okta.send('DELETE', `/Users/${org.admin.userId}`), 409);
    await setScimSettings(org, { deleteAction: 'deprovision' });
    expectScimError(await okta.send('DELETE', `/Users/${org.admin.userId}`), 409);
    expect(await memberOf(org.orgId, org.admin.userId)).toMatchObject({ status: 'active', role: 'org_admin' });
  });
});

describe('IdP retries and races', () => {
  it('a create is one transaction: a retried create or a taken externalId writes nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const externalId = `00u${uniqueSuffix()}`;
    const body = newScimUser({ externalId });
    await okta.createUser(body);
    expectScimError(await okta.send('POST', '/Users', body), 409, 'uniqueness');
    const other = newScimUser({ externalId });
    expectScimError(await okta.send('POST', '/Users', other), 409, 'uniqueness');
    const members = await membershipsInTable(local.db, org.orgId);
    expect(members.filter((m) => m.email === body.userName)).toHaveLength(1);
    expect(members.filter((m) => m.email === other.userName)).toHaveLength(0);
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter(
        (e) => e.action === 'member.added' && (e.actor as { type: string }).type === 'scim',
      ),
    ).toHaveLength(1);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('a repeated deactivation changes the member once', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const user = await okta.createUser();
    for (let i = 0; i < 2; i++)
      expect(
        (await okta.send('PATCH', `/Users/${user.id}`, scimPatch({ op: 'replace', value: { active: false } }))).json
          .active,
      ).toBe(false);
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'member.deprovisioned'),
    ).toHaveLength(1);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('concurrent PATCHes of one user all land, one after the other, in one consistent record', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const user = await okta.createUser();
    const patches = [
      scimPatch({ op: 'replace', path: 'name.givenName', value: 'Samantha' }),
      scimPatch({
        op: 'replace',
        path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
        value: 'Research',
      }),
      scimPatch({ op: 'replace', path: 'active', value: 'False' }),
    ];
    const answers = await Promise.all(patches.map((p) => okta.send('PATCH', `/Users/${user.id}`, p)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const read = await okta.send('GET', `/Users/${user.id}`);
    expect(read.json).toMatchObject({
      active: false,
      name: { givenName: 'Samantha' },
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Research' },
    });
    expect(await memberOf(org.orgId, user.id)).toMatchObject({
      status: 'deprovisioned',
      name: expect.stringContaining('Samantha'),
    });
    await expectCountersMatchItems(local.db, org.orgId);
  });
});
