/**
 * Okta's "SCIM 2.0 SPEC Test" (Okta-SCIM-20-SPEC-Test.json, the Runscope export Okta asks
 * integrators to pass), replayed step by step on a fresh org: the same 12 requests in the same
 * order, with Okta's headers and bodies and every assertion of the export. The variables come
 * from Okta's Initial_Script_Spec.txt: a mixed-case `Runscope123Abcdefgh456@atko.com`
 * userName, its upper-case copy and Okta's fixed ids. (`scripts/scim-suites.ts` replays the
 * export file itself against a running server.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type ApiAnswer, type LocalApi } from '../helpers/local-api.js';
import { SCIM_ERROR, SCIM_USER, scimClient } from '../helpers/scim-client.js';
import { oktaSpecVariables } from '../../scripts/okta-spec-variables.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Runscope's `not_empty`: present and neither null, '' nor an empty array or object. */
function expectNotEmpty(value: unknown, property: string) {
  expect(value, property).toBeDefined();
  expect(value, property).not.toBeNull();
  expect(value, property).not.toBe('');
  if (typeof value === 'object' && value !== null) expect(Object.keys(value).length, property).toBeGreaterThan(0);
}

describe("Okta's SCIM 2.0 SPEC test on a fresh org", () => {
  it('passes all 12 steps with a mixed-case userName', async () => {
    const org = await local.seedOperatorAndOrg();
    const { token } = await scimClient(local, org);
    const v = oktaSpecVariables();
    const auth = `Bearer ${token.secret}`;
    // The GET steps' headers, as the export has them.
    const getHeaders = (authorization = auth) => ({
      'accept-charset': 'utf-8',
      'content-type': 'application/scim+json; charset=utf-8',
      accept: 'application/scim+json',
      authorization,
      'user-agent': 'OKTA SCIM Integration',
    });
    const get = (path: string, authorization?: string): Promise<ApiAnswer> =>
      local.api('GET', `/scim/v2${path}`, { headers: getHeaders(authorization) });
    const postUser = (body: unknown) =>
      local.api('POST', '/scim/v2/Users', {
        headers: {
          'content-type': 'application/json',
          authorization: auth,
          accept: 'application/scim+json; charset=utf-8',
        },
        body: JSON.stringify(body),
      });

    // 1. Required Test: Test Users endpoint. The org's only member is its admin, added outside SCIM.
    const users = await get('/Users?count=1&startIndex=1');
    expect(users.status, users.text).toBe(200);
    expectNotEmpty(users.json.Resources, 'Resources');
    expect(users.json.schemas).toContain(LIST);
    for (const p of ['itemsPerPage', 'startIndex', 'totalResults']) expect(typeof users.json[p], p).toBe('number');
    const first = users.json.Resources[0];
    expectNotEmpty(first.id, 'Resources[0].id');
    expectNotEmpty(first.name?.familyName, 'Resources[0].name.familyName');
    expectNotEmpty(first.name?.givenName, 'Resources[0].name.givenName');
    expectNotEmpty(first.userName, 'Resources[0].userName');
    expectNotEmpty(first.active, 'Resources[0].active');
    expectNotEmpty(first.emails?.[0]?.value, 'Resources[0].emails[0].value');
    const ISVUserid = first.id as string;

    // 2. Required Test: Get Users/{{id}}
    const one = await get(`/Users/${ISVUserid}`);
    expect(one.status, one.text).toBe(200);
    for (const p of ['id', 'userName', 'active']) expectNotEmpty(one.json[p], p);
    expectNotEmpty(one.json.name?.familyName, 'name.familyName');
    expectNotEmpty(one.json.name?.givenName, 'name.givenName');
    expectNotEmpty(one.json.emails?.[0]?.value, 'emails[0].value');
    expect(one.json.id).toBe(ISVUserid);

    // 3. Required Test: Test invalid User by username
    const invalid = await get(`/Users?filter=${encodeURIComponent(`userName eq "${v.InvalidUserEmail}"`)}`);
    expect(invalid.status, invalid.text).toBe(200);
    expect(invalid.json.schemas).toContain(LIST);
    expect(String(invalid.json.totalResults)).toBe('0');

    // 4. Required Test: Test invalid User by ID
    const noId = await get(`/Users/${v.UserIdThatDoesNotExist}`);
    expect(noId.status, noId.text).toBe(404);
    expectNotEmpty(noId.json.detail, 'detail');
    expect(noId.json.schemas).toContain(SCIM_ERROR);

    // 5. Required Test: Make sure random user doesn't exist
    const absent = await get(`/Users?filter=${encodeURIComponent(`userName eq "${v.randomEmail}"`)}`);
    expect(absent.status, absent.text).toBe(200);
    expect(Number(absent.json.totalResults)).toBe(0);
    expect(absent.json.schemas).toContain(LIST);

    // 6. Required Test: Create Okta user with realistic values
    const created = await postUser({
      schemas: [SCIM_USER],
      userName: v.randomUsername,
      name: { givenName: v.randomGivenName, familyName: v.randomFamilyName },
      emails: [{ primary: true, value: v.randomEmail, type: 'work' }],
      displayName: `${v.randomGivenName} ${v.randomFamilyName}`,
      active: true,
    });
    expect(created.status, created.text).toBe(201);
    expect(String(created.json.active)).toBe('true');
    expectNotEmpty(created.json.id, 'id');
    expect(created.json.name.familyName).toBe(v.randomFamilyName);
    expect(created.json.name.givenName).toBe(v.randomGivenName);
    expect(created.json.schemas).toContain(SCIM_USER);
    expect(created.json.userName).toBe(v.randomUsername);
    const idUserOne = created.json.id as string;
    expect(created.json.emails[0].value).toBe(v.randomEmail);

    // 7. Required Test: Verify that user was created
    const read = await get(`/Users/${idUserOne}`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.userName).toBe(v.randomUsername);
    expect(read.json.name.familyName).toBe(v.randomFamilyName);
    expect(read.json.name.givenName).toBe(v.randomGivenName);

    // 8. Required Test: Expect failure when recreating user with same values
    const again = await postUser({
      schemas: [SCIM_USER],
      userName: v.randomUsername,
      name: { givenName: v.randomGivenName, familyName: v.randomFamilyName },
      emails: [{ primary: true, value: v.randomUsername, type: 'work' }],
      displayName: `${v.randomGivenName} ${v.randomFamilyName}`,
      active: true,
    });
    expect(again.status, again.text).toBe(409);

    // 9. Required Test: Username Case Sensitivity Check (Okta asserts the status only; Roster finds the user).
    const caps = await get(`/Users?filter=${encodeURIComponent(`userName eq "${v.randomUsernameCaps}"`)}`);
    expect(caps.status, caps.text).toBe(200);
    expect(caps.json.Resources.map((r: { id: string }) => r.id)).toEqual([idUserOne]);

    // 10. Optional Test: Verify Groups endpoint (and its script: Resources is an array when there are groups).
    const groups = await get('/Groups');
    expect(groups.status, groups.text).toBe(200);
    if (groups.json.totalResults > 0) expect(Array.isArray(groups.json.Resources)).toBe(true);

    // 11. Required Test: Check status 401
    const unauthorized = await get(
      `/Users?filter=${encodeURIComponent(`userName eq "${v.randomUsernameCaps}"`)}`,
      'non-token',
    );
    expect(unauthorized.status, unauthorized.text).toBe(401);
    expectNotEmpty(unauthorized.json.detail, 'detail');
    expect(unauthorized.json.status).toBe('401');
    expect(unauthorized.json.schemas).toContain(SCIM_ERROR);

    // 12. Required Test: Check status 404
    const missing = await get('/Users/00919288221112222');
    expect(missing.status, missing.text).toBe(404);
    expectNotEmpty(missing.json.detail, 'detail');
    expect(missing.json.status).toBe('404');
    expect(missing.json.schemas).toContain(SCIM_ERROR);
  });
});
