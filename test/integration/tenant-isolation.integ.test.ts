import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../infra/routes.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { auditEventsInTable, membershipsInTable } from '../helpers/assertions.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
let victim: SeededOrg;
let attacker: SeededOrg;
const ids: Record<string, string> = {};

beforeAll(async () => {
  local = await startLocalApi();
  [victim, attacker] = await Promise.all([local.seedOperatorAndOrg(), local.seedOperatorAndOrg()]);
  const token = victim.admin.accessToken;
  const member = await local.api('POST', `/v1/orgs/${victim.orgId}/members`, {
    token,
    body: { name: 'Target', email: `target-${uniqueSuffix()}@victim.test`, role: 'member' },
  });
  const team = await local.api('POST', `/v1/orgs/${victim.orgId}/teams`, {
    token,
    body: { name: `Team ${uniqueSuffix()}` },
  });
  const key = await local.api('POST', `/v1/orgs/${victim.orgId}/api-keys`, { token, body: { name: 'Key' } });
  const upload = await local.api('POST', `/v1/orgs/${victim.orgId}/imports?mode=add`, {
    token,
    body: `email,name\nimported-${uniqueSuffix()}@victim.test,Imported\n`,
    headers: { 'content-type': 'text/csv' },
  });
  const memberExport = await local.api('POST', `/v1/orgs/${victim.orgId}/member-exports`, { token });
  Object.assign(ids, {
    orgId: victim.orgId,
    userId: member.json.userId,
    teamId: team.json.teamId,
    keyId: key.json.keyId,
    importId: upload.json.importId,
  });
  ids.exportId = memberExport.json.exportId;
  expect(Object.values(ids).every(Boolean), JSON.stringify(ids)).toBe(true);
});

afterAll(async () => {
  await local?.close();
});

/** Everything another org could change: the org item, its members and its audit trail. */
async function victimState() {
  const [org, members, audit] = await Promise.all([
    getOrg(local.db, victim.orgId, true),
    membershipsInTable(local.db, victim.orgId),
    auditEventsInTable(local.db, victim.orgId),
  ]);
  return { org, members, audit: audit.length };
}

/** Open by design to any signed-in person, member or not (DESIGN.md, self-registration); tested below. */
const OPEN_TO_VISITORS = ['POST /v1/orgs/{orgId}/join-requests'];
const orgRoutes = ROUTES.filter(
  (r) => r.auth === 'jwt' && r.path.includes('{orgId}') && !OPEN_TO_VISITORS.includes(`${r.method} ${r.path}`),
);

describe('tenant isolation: another org’s admin token on every org route', () => {
  it('covers every org-scoped route', () => expect(orgRoutes.length).toBeGreaterThan(15));

  it.each(orgRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s → 403/404, no data, no change',
    async (_name, route) => {
      const before = await victimState();
      const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? 'missing');
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method)
        ? {
            name: 'Hijack',
            email: `x-${uniqueSuffix()}@evil.test`,
            role: 'org_admin',
            teamId: null,
            userIds: [ids.userId],
            maxSeats: 999,
          }
        : undefined;
      const res = await local.api(route.method, path, { token: attacker.admin.accessToken, ...(body ? { body } : {}) });
      expect([403, 404], res.text).toContain(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      for (const id of Object.values(ids)) if (id !== victim.orgId) expect(res.text).not.toContain(id);
      expect(await victimState()).toEqual(before);
    },
  );
});

describe('asking to join, the one org route open to non-members', () => {
  it('answers 202 with no body, telling nothing of the org, and changes nothing else of it', async () => {
    const before = await victimState();
    const res = await local.api('POST', `/v1/orgs/${victim.orgId}/join-requests`, {
      token: attacker.admin.accessToken,
    });
    expect(res.status, res.text).toBe(202);
    expect(res.text).toBe('');
    const after = await victimState();
    expect({ ...after, audit: before.audit }).toEqual(before);
    expect(after.audit).toBe(before.audit + 1);
  });
});
