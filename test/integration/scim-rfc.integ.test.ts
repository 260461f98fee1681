/**
 * The request shapes the IdPs' own suites send (Okta's SCIM 2.0 SPEC test, Microsoft's
 * SCIMReferenceCode collection, scim-sanity), replayed against DynamoDB Local: the RFC 7644
 * rules they check (DELETE makes the resource gone, a failed Group write changes nothing,
 * userName required), Okta's case-kept userNames, and Group writes under an injected failure.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEventsInTable, expectCountersMatchItems, membershipsInTable } from '../helpers/assertions.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import {
  expectScimError,
  newScimUser,
  SCIM_GROUP,
  SCIM_USER,
  scimClient,
  scimPatch,
  type ScimClient,
} from '../helpers/scim-client.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

async function setDeleteAction(org: SeededOrg, deleteAction: 'deprovision' | 'remove') {
  const res = await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
    token: org.admin.accessToken,
    body: { scim: { deleteAction } },
  });
  expect(res.status, res.text).toBe(200);
}

const filterUsers = (idp: ScimClient, filter: string) => idp.send('GET', `/Users?filter=${encodeURIComponent(filter)}`);
const memberOf = async (orgId: string, userId: string) =>
  (await membershipsInTable(local.db, orgId)).find((m) => m.userId === userId);

describe('DELETE /Users makes the SCIM resource gone (RFC 7644 §3.6), whatever the org keeps', () => {
  for (const action of ['deprovision', 'remove'] as const) {
    it(`deleteAction ${action}: 404 on every operation, left out of lists and filters, a second DELETE 404, a later POST provisions again`, async () => {
      const org = await local.seedOperatorAndOrg();
      await setDeleteAction(org, action);
      const idp = await scimClient(local, org);
      const externalId = `ext-${uniqueSuffix()}`;
      const body = newScimUser({ externalId });
      const user = await idp.createUser(body);
      const listed = await idp.send('GET', '/Users');
      const before = listed.json.totalResults as number;

      expect((await idp.send('DELETE', `/Users/${user.id}`)).status).toBe(204);
      expectScimError(await idp.send('GET', `/Users/${user.id}`), 404);
      expectScimError(await idp.send('PUT', `/Users/${user.id}`, body), 404);
      expectScimError(
        await idp.send('PATCH', `/Users/${user.id}`, scimPatch({ op: 'replace', path: 'active', value: true })),
        404,
      );
      expectScimError(await idp.send('DELETE', `/Users/${user.id}`), 404);
      for (const filter of [`userName eq "${user.userName}"`, `id eq "${user.id}"`, `externalId eq "${externalId}"`]) {
        expect((await filterUsers(idp, filter)).json).toMatchObject({
          schemas: [LIST],
          totalResults: 0,
          Resources: [],
        });
      }
      const after = await idp.send('GET', '/Users');
      expect(after.json.totalResults).toBe(before - 1);
      expect((after.json.Resources as { id: string }[]).map((r) => r.id)).not.toContain(user.id);

      // Inside Roster: deprovision keeps the membership and its history; remove deletes it.
      const kept = await memberOf(org.orgId, user.id);
      if (action === 'deprovision') expect(kept).toMatchObject({ status: 'deprovisioned', scimDeleted: true });
      else expect(kept).toBeUndefined();
      await expectCountersMatchItems(local.db, org.orgId);

      // The IdP assigns the person again: the same user comes back, active, with the externalId reusable.
      const again = await idp.send('POST', '/Users', { ...body, name: { givenName: 'Back', familyName: 'Again' } });
      expect(again.status, again.text).toBe(201);
      expect(again.json).toMatchObject({
        id: user.id,
        userName: body.userName,
        active: true,
        externalId,
        name: { givenName: 'Back', familyName: 'Again' },
      });
      expect((await idp.send('GET', `/Users/${user.id}`)).status).toBe(200);
      expect((await filterUsers(idp, `userName eq "${user.userName}"`)).json.totalResults).toBe(1);
      expect((await idp.send('GET', '/Users')).json.totalResults).toBe(before);
      expect(await memberOf(org.orgId, user.id)).toMatchObject({ status: 'active' });
      expect((await memberOf(org.orgId, user.id))?.scimDeleted).toBeUndefined();
      // A second POST is a duplicate again.
      expectScimError(await idp.send('POST', '/Users', body), 409, 'uniqueness');
      await expectCountersMatchItems(local.db, org.orgId);
    });
  }

  it('keeps a deactivated (not deleted) user listed and found by userName eq, with active false', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org, 'Microsoft.Identity.Provisioning');
    const user = await idp.createUser();
    expect(
      (await idp.send('PATCH', `/Users/${user.id}`, scimPatch({ op: 'Replace', path: 'active', value: 'False' })))
        .status,
    ).toBe(200);
    const found = await filterUsers(idp, `userName eq "${user.userName}"`);
    expect(found.json).toMatchObject({ totalResults: 1, Resources: [{ id: user.id, active: false }] });
    expect((await idp.send('GET', '/Users?count=100')).json.Resources.map((r: { id: string }) => r.id)).toContain(
      user.id,
    );
  });
});

describe('userName is required (RFC 7643 §4.1.1)', () => {
  it('answers a POST without userName with 400 invalidValue, even with a work email, and creates nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const { userName: _omitted, ...body } = newScimUser();
    expectScimError(await idp.send('POST', '/Users', body), 400, 'invalidValue');
    expect(await membershipsInTable(local.db, org.orgId)).toHaveLength(1);
  });

  it('answers a PUT with a misspelt userName with 400 invalidValue, the user unchanged', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const user = await idp.createUser();
    const res = await idp.send('PUT', `/Users/${user.id}`, {
      schemas: [SCIM_USER],
      userame: 'other@idp.test',
      emails: [{ value: 'other@idp.test', type: 'work' }],
      active: true,
    });
    expectScimError(res, 400, 'invalidValue');
    expect((await idp.send('GET', `/Users/${user.id}`)).json.userName).toBe(user.userName);
  });
});

describe("Okta's SPEC test sequence", () => {
  it('keeps the userName case as submitted, finds it in any case, and refuses a duplicate differing in case', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const userName = `Runscope${uniqueSuffix().replace(/[^a-z0-9]/gi, '')}Xildtalxy046@Atko.com`;
    const body = {
      schemas: [SCIM_USER],
      userName,
      name: { givenName: 'Mixed', familyName: 'Case' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      active: true,
      password: 'whatever-1A',
      nickName: 'ignored',
    };
    const created = await okta.send('POST', '/Users', body);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ userName, emails: [{ value: userName }], active: true });
    expect(created.json.nickName).toBeUndefined();
    const id = created.json.id as string;
    expect((await okta.send('GET', `/Users/${id}`)).json.userName).toBe(userName);
    for (const asked of [userName, userName.toLowerCase(), userName.toUpperCase()]) {
      const found = await filterUsers(okta, `userName eq "${asked}"`);
      expect(found.json).toMatchObject({ totalResults: 1, Resources: [{ id, userName }] });
    }
    expectScimError(
      await okta.send('POST', '/Users', { ...body, userName: userName.toLowerCase() }),
      409,
      'uniqueness',
    );
    // Roster's email stays the lower-cased address, unique platform-wide.
    expect((await memberOf(org.orgId, id))?.email).toBe(userName.toLowerCase());
    // A change of case only is kept too, without touching Roster's email.
    const recased = userName.toLowerCase();
    const put = await okta.send('PUT', `/Users/${id}`, { ...body, userName: recased });
    expect(put.status, put.text).toBe(200);
    expect(put.json.userName).toBe(recased);
    // Okta's list step reads name parts of whichever user sorts first, a member added outside SCIM included.
    const list = await okta.send('GET', '/Users?startIndex=1&count=100');
    for (const resource of list.json.Resources as { name: { givenName?: string } }[])
      expect(resource.name.givenName).toEqual(expect.any(String));
    const admin = (list.json.Resources as { userName: string; name: Record<string, string> }[]).find(
      (r) => r.userName === org.admin.email,
    );
    expect(admin?.name).toMatchObject({ givenName: 'Admin', familyName: expect.any(String) });
  });

  it('treats removing an already-absent member in the same PATCH as an add as a no-op', async () => {
    const org = await local.seedOperatorAndOrg();
    const okta = await scimClient(local, org);
    const [a, b] = [await okta.createUser(), await okta.createUser()];
    const group = await okta.createGroup(`Okta ${uniqueSuffix()}`);
    const gone = await okta.createUser();
    expect((await okta.send('DELETE', `/Users/${gone.id}`)).status).toBe(204);
    const res = await okta.send(
      'PATCH',
      `/Groups/${group.id}`,
      scimPatch(
        { op: 'remove', path: `members[value eq "${b.id}"]` },
        { op: 'remove', path: `members[value eq "${gone.id}"]` },
        { op: 'add', path: 'members', value: [{ value: a.id }] },
      ),
    );
    expect(res.status, res.text).toBe(204);
    expect(
      ((await okta.send('GET', `/Groups/${group.id}`)).json.members as { value: string }[]).map((m) => m.value),
    ).toEqual([a.id]);
  });
});

describe('Group writes are atomic (RFC 7644 §3.5.2)', () => {
  const unknownId = '00000000-0000-4000-8000-000000000000';

  async function groupSetup() {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const users = [await idp.createUser(), await idp.createUser()];
    const group = await idp.createGroup(`Team ${uniqueSuffix()}`, [users[0]!.id]);
    return { org, idp, users, group };
  }

  async function expectUnchanged(idp: ScimClient, group: { id: string; displayName: string }, memberIds: string[]) {
    const res = await idp.send('GET', `/Groups/${group.id}`);
    expect(res.json.displayName).toBe(group.displayName);
    expect(((res.json.members ?? []) as { value: string }[]).map((m) => m.value).sort()).toEqual([...memberIds].sort());
  }

  it('POST with one unknown member: 400, no team created, nobody moved', async () => {
    const { org, idp, users } = await groupSetup();
    const name = `New ${uniqueSuffix()}`;
    expectScimError(
      await idp.send('POST', '/Groups', {
        schemas: [SCIM_GROUP],
        displayName: name,
        members: [{ value: users[1]!.id }, { value: unknownId }],
      }),
      400,
      'invalidValue',
    );
    expect(
      (await idp.send('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`)).json.totalResults,
    ).toBe(0);
    expect((await memberOf(org.orgId, users[1]!.id))?.teamId).toBeNull();
  });

  it('PUT with one unknown member: 400, name and members unchanged', async () => {
    const { idp, users, group } = await groupSetup();
    expectScimError(
      await idp.send('PUT', `/Groups/${group.id}`, {
        schemas: [SCIM_GROUP],
        displayName: 'Renamed',
        members: [{ value: users[1]!.id }, { value: unknownId }],
      }),
      400,
      'invalidValue',
    );
    await expectUnchanged(idp, group, [users[0]!.id]);
  });

  it('PATCH renaming and adding an unknown member: 400, nothing changed', async () => {
    const { idp, users, group } = await groupSetup();
    const res = await idp.send(
      'PATCH',
      `/Groups/${group.id}`,
      scimPatch(
        { op: 'replace', path: 'displayName', value: 'Renamed' },
        { op: 'add', path: 'members', value: [{ value: users[1]!.id }, { value: unknownId }] },
      ),
    );
    expectScimError(res, 400, 'invalidValue');
    await expectUnchanged(idp, group, [users[0]!.id]);
  });

  it('a large PUT spans transactions: a failure injected in the second undoes the first, and the retry applies it all', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    // Deactivated users hold no seat, so the org's cap does not limit the test.
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await idp.createUser(newScimUser({ active: false }))).id);
    const group = await idp.createGroup(`Big ${uniqueSuffix()}`, ids.slice(0, 5));
    const eventsBefore = (await auditEventsInTable(local.db, org.orgId)).length;

    const send = local.db.client.send.bind(local.db.client);
    let transactions = 0;
    // The fake send returns a promise where the SDK's overloads also allow a callback form.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    const spy = vi.spyOn(local.db.client, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
      if (command instanceof TransactWriteCommand && ++transactions === 2)
        return Promise.reject(new Error('injected failure'));
      return (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof local.db.client.send);
    const body = {
      schemas: [SCIM_GROUP],
      displayName: `${group.displayName} renamed`,
      members: ids.slice(5).map((value) => ({ value })),
    };
    try {
      expectScimError(await idp.send('PUT', `/Groups/${group.id}`, body), 500);
    } finally {
      spy.mockRestore();
    }
    expect(transactions).toBeGreaterThanOrEqual(3);
    await expectUnchanged(idp, group, ids.slice(0, 5));
    const teams = new Map((await membershipsInTable(local.db, org.orgId)).map((m) => [m.userId, m.teamId]));
    expect(ids.filter((id) => teams.get(id) === group.id)).toEqual(ids.slice(0, 5));
    // The undo is recorded too: the history shows the change and its reversal.
    expect((await auditEventsInTable(local.db, org.orgId)).length).toBeGreaterThan(eventsBefore);

    const retried = await idp.send('PUT', `/Groups/${group.id}`, body);
    expect(retried.status, retried.text).toBe(200);
    expect((retried.json.members as { value: string }[]).map((m) => m.value).sort()).toEqual(ids.slice(5).sort());
    expect(retried.json.displayName).toBe(body.displayName);
    await expectCountersMatchItems(local.db, org.orgId);
  });
});

describe('SCIM protocol details', () => {
  it('answers 401 with WWW-Authenticate: Bearer (RFC 6750 §3)', async () => {
    const none = await local.api('GET', '/scim/v2/Users');
    expectScimError(none, 401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="scim"');
    const bad = await local.api('GET', '/scim/v2/Users', { headers: { authorization: 'Bearer nope' } });
    expectScimError(bad, 401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer realm="scim", error="invalid_token"$/);
  });

  it('serves Schemas and ResourceTypes by id, and answers unknown ids and paths with SCIM 404s', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const user = await idp.send('GET', `/Schemas/${SCIM_USER}`);
    expect(user.status, user.text).toBe(200);
    expect(user.headers.get('content-type')).toBe('application/scim+json');
    expect(user.json).toMatchObject({ id: SCIM_USER, name: 'User' });
    expect((user.json.attributes as { name: string }[]).map((a) => a.name)).toEqual(
      expect.arrayContaining(['userName', 'name', 'title', 'preferredLanguage', 'emails', 'active']),
    );
    const enterprise = await idp.send('GET', '/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    expect((enterprise.json.attributes as { name: string }[]).map((a) => a.name).sort()).toEqual([
      'costCenter',
      'department',
      'division',
      'employeeNumber',
      'manager',
      'organization',
    ]);
    expect((await idp.send('GET', '/ResourceTypes/Group')).json).toMatchObject({ id: 'Group', endpoint: '/Groups' });
    expectScimError(await idp.send('GET', '/Schemas/urn:example:nothing'), 404);
    expectScimError(await idp.send('GET', '/ResourceTypes/Device'), 404);
    expectScimError(await idp.send('GET', '/Devices'), 404);
    expectScimError(
      await idp.send('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'] }),
      404,
    );
    expectScimError(await idp.send('DELETE', '/Users'), 404);
    // The fallback route checks the token first, like every SCIM route.
    const anonymous = await local.api('GET', '/scim/v2/Devices');
    expectScimError(anonymous, 401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('honours attributes= and excludedAttributes= (RFC 7644 §3.9) on one resource and on lists', async () => {
    const org = await local.seedOperatorAndOrg();
    const idp = await scimClient(local, org);
    const user = await idp.createUser(
      newScimUser({
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', costCenter: 'cc-1' },
      }),
    );
    const only = await idp.send(
      'GET',
      `/Users/${user.id}?attributes=userName,name.givenName,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`,
    );
    expect(Object.keys(only.json).sort()).toEqual([
      'id',
      'name',
      'schemas',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'userName',
    ]);
    expect(only.json.name).toEqual({ givenName: 'Sam' });
    expect(only.json['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'R&D' });
    const without = await idp.send(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}&excludedAttributes=emails,name.familyName,meta`,
    );
    const resource = without.json.Resources[0] as Record<string, unknown>;
    expect(resource).toMatchObject({ id: user.id, userName: user.userName, name: { givenName: 'Sam' } });
    expect(resource.emails).toBeUndefined();
    expect(resource.meta).toBeUndefined();
    expect((resource.name as Record<string, unknown>).familyName).toBeUndefined();
    const group = await idp.createGroup(`Sel ${uniqueSuffix()}`, [user.id]);
    const noMembers = await idp.send('GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(noMembers.json.members).toBeUndefined();
    expect(noMembers.json.displayName).toBe(group.displayName);
    expect((await idp.send('GET', `/Groups/${group.id}?attributes=displayName`)).json).toEqual({
      schemas: [SCIM_GROUP],
      id: group.id,
      displayName: group.displayName,
    });
    // Lists: the selection applies to each resource; a Group list carries members only when attributes= names them.
    const byName = `filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`;
    expect((await idp.send('GET', `/Groups?${byName}&attributes=displayName`)).json.Resources).toEqual([
      { schemas: [SCIM_GROUP], id: group.id, displayName: group.displayName },
    ]);
    expect((await idp.send('GET', `/Groups?${byName}&attributes=members`)).json.Resources).toEqual([
      { schemas: [SCIM_GROUP], id: group.id, members: [expect.objectContaining({ value: user.id })] },
    ]);
    expect((await idp.send('GET', `/Groups?${byName}`)).json.Resources[0].members).toBeUndefined();
    const usersPage = await idp.send('GET', '/Users?attributes=userName&count=5');
    for (const r of usersPage.json.Resources as Record<string, unknown>[])
      expect(Object.keys(r).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});

describe("Entra ID's request shapes", () => {
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

  it('creates with the enterprise extension, roles: [] and meta.resourceType; keeps and returns the mapped attributes; ignores unknown ones', async () => {
    const org = await local.seedOperatorAndOrg();
    const entra = await scimClient(local, org, 'Microsoft.Identity.Provisioning');
    const suffix = uniqueSuffix();
    const body = {
      schemas: [SCIM_USER, ENTERPRISE],
      externalId: `ext-${suffix}`,
      userName: `Entra.${suffix}@Contoso.test`,
      active: true,
      displayName: 'Adele Vance',
      title: 'Retail Manager',
      preferredLanguage: 'en-US',
      nickName: 'Dele',
      roles: [],
      meta: { resourceType: 'User' },
      name: { formatted: 'Adele Vance', familyName: 'Vance', givenName: 'Adele' },
      emails: [{ primary: true, type: 'work', value: `adele.${suffix}@contoso.test` }],
      [ENTERPRISE]: {
        employeeNumber: '42',
        department: 'Retail',
        costCenter: 'CC-7',
        organization: 'Contoso',
        division: 'West',
        manager: { value: 'mgr-1' },
      },
    };
    const created = await entra.send('POST', '/Users', body);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      userName: body.userName,
      displayName: 'Adele Vance',
      title: 'Retail Manager',
      preferredLanguage: 'en-US',
      emails: [{ value: `adele.${suffix}@contoso.test`, type: 'work', primary: true }],
      [ENTERPRISE]: {
        employeeNumber: '42',
        department: 'Retail',
        costCenter: 'CC-7',
        organization: 'Contoso',
        division: 'West',
        manager: { value: 'mgr-1' },
      },
    });
    expect(created.json.nickName).toBeUndefined();
    expect(created.json.roles).toBeUndefined();
    expect((await entra.send('GET', `/Users/${created.json.id}`)).json).toMatchObject({
      title: 'Retail Manager',
      [ENTERPRISE]: { costCenter: 'CC-7' },
    });
    // The member API shows the title and department on the member; null for a member the IdP never sent them for.
    const shown = await local.api('GET', `/v1/orgs/${org.orgId}/members/${created.json.id}`, {
      token: org.admin.accessToken,
    });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.json).toMatchObject({ userId: created.json.id, title: 'Retail Manager', department: 'Retail' });
    const admin = await local.api('GET', `/v1/orgs/${org.orgId}/members/${org.admin.userId}`, {
      token: org.admin.accessToken,
    });
    expect(admin.json).toMatchObject({ title: null, department: null });
    expect(
      await entra.send(
        'PATCH',
        `/Users/${created.json.id}`,
        scimPatch({ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Online' }),
      ),
    ).toMatchObject({ status: 200 });
    expect(
      (await local.api('GET', `/v1/orgs/${org.orgId}/members/${created.json.id}`, { token: org.admin.accessToken }))
        .json.department,
    ).toBe('Online');
  });

  it('applies PATCH paths as Entra writes them: filtered emails, name parts, op names in any case, string booleans, path-less objects with dotted keys, the enterprise URN as key and in paths', async () => {
    const org = await local.seedOperatorAndOrg();
    const entra = await scimClient(local, org, 'Microsoft.Identity.Provisioning');
    const user = await entra.createUser();
    const patched = await entra.send(
      'PATCH',
      `/Users/${user.id}`,
      scimPatch(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'Work.Mail@contoso.test' },
        { op: 'replace', path: 'name.familyName', value: 'Vance' },
        { op: 'Add', path: 'title', value: 'Engineer' },
        { op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '7' },
        {
          op: 'Replace',
          value: {
            'name.givenName': 'Adele',
            displayName: 'Adele V',
            [ENTERPRISE]: { department: 'Sales' },
            [`${ENTERPRISE}:division`]: 'North',
            nickName: 'ignored',
          },
        },
        { op: 'Replace', path: 'active', value: 'False' },
      ),
    );
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({
      userName: user.userName,
      active: false,
      displayName: 'Adele V',
      title: 'Engineer',
      name: { givenName: 'Adele', familyName: 'Vance' },
      emails: [{ value: 'Work.Mail@contoso.test', type: 'work' }],
      [ENTERPRISE]: { employeeNumber: '7', department: 'Sales', division: 'North' },
    });
    const reactivated = await entra.send(
      'PATCH',
      `/Users/${user.id}`,
      scimPatch({ op: 'Replace', value: { active: 'True' } }, { op: 'Remove', path: `${ENTERPRISE}:employeeNumber` }),
    );
    expect(reactivated.status, reactivated.text).toBe(200);
    expect(reactivated.json.active).toBe(true);
    expect(reactivated.json[ENTERPRISE].employeeNumber).toBeUndefined();
  });
});
