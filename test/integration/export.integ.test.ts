import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgKey } from '../../shared/data/keys.js';
import { auditEventsInTable, expectFieldProblem, expectProblem } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { parseCsv } from '../helpers/csv.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const exportPath = (org: SeededOrg) => `/v1/orgs/${org.orgId}/members/export`;

async function addMember(org: SeededOrg, body: { name: string; email?: string; role?: string; teamId?: string }) {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { email: `m-${uniqueSuffix()}@org.test`, role: 'member', ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { userId: string; email: string; name: string };
}

describe('member CSV export', () => {
  it('exports every member by name, team by name, safely quoted and neutralized, without an audit event', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    const team = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, {
      token: org.admin.accessToken,
      body: { name: 'Ops, "core"' },
    });
    const tricky = [
      '=HYPERLINK("http://evil.test","click")',
      '+1 555',
      '-2+3',
      '@SUM(A1)',
      'Comma, Person',
      'Quote "Q" Person',
      // A line break cannot reach a name through the API any more (one name rule); its quoting is csvField's unit test.
      'Zoë Ünal',
    ];
    for (const name of tricky) await addMember(org, { name, teamId: team.json.teamId });
    const plain = await addMember(org, { name: 'Plain Person', role: 'org_admin' });
    const auditBefore = (await auditEventsInTable(local.db, org.orgId)).length;

    const res = await local.api('GET', exportPath(org), { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="members-${org.orgId}.csv"`);
    expect(res.text.startsWith('name,email,team,role,status,lastLoginAt,createdAt\r\n')).toBe(true);

    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['name', 'email', 'team', 'role', 'status', 'lastLoginAt', 'createdAt']);
    expect(rows).toHaveLength(tricky.length + 2);
    const byName = new Map(rows.map((r) => [r[0], r]));
    const neutral = (name: string) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
    for (const name of tricky) {
      const row = byName.get(neutral(name));
      expect(row, name).toBeDefined();
      expect(row![2]).toBe('Ops, "core"');
      expect(row!.slice(3, 5)).toEqual(['member', 'active']);
      expect(row![5]).toBe('');
      expect(row![6]).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(byName.get('Plain Person')!.slice(1, 5)).toEqual([plain.email, '', 'org_admin', 'active']);
    // No cell opens with a formula trigger.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // Sorted by name, as the by-name index has it.
    const order = rows.map((r) => r[0]!.replace(/^'/, '').trim().toLowerCase());
    expect(order).toEqual([...order].sort());

    expect(await auditEventsInTable(local.db, org.orgId)).toHaveLength(auditBefore);
  });

  it('answers 413 export_too_large, pointing at the asynchronous export, when the list cannot fit a response', async () => {
    const org = await local.seedOperatorAndOrg();
    // Arrange an org too big to fit without writing 100,000 members: the export refuses on the count first.
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: orgKey(org.orgId),
        UpdateExpression: 'SET memberCount = :n',
        ExpressionAttributeValues: { ':n': 250_000 },
      }),
    );
    const res = await local.api('GET', exportPath(org), { token: org.admin.accessToken });
    expectProblem(res, 413, 'export_too_large');
    expect(res.json.detail).toMatch(/asynchronous export/);
  });

  it('refuses a member-role token with 403 and another org’s admin with 403, leaking nothing', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const member = await addMember(org, { name: 'Secret Member' });
    await local.setPassword(member.userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    for (const token of [accessToken, other.admin.accessToken]) {
      const res = await local.api('GET', exportPath(org), { token });
      expectProblem(res, 403);
      expect(res.text).not.toContain('Secret Member');
      expect(res.text).not.toContain(member.email);
    }
  });

  it('refuses unknown query parameters and bad org ids with a 400 naming the field', async () => {
    const org = await local.seedOperatorAndOrg();
    expectFieldProblem(
      await local.api('GET', `${exportPath(org)}?format=xlsx`, { token: org.admin.accessToken }),
      'query.format',
    );
    const bad = await local.api('GET', '/v1/orgs/not-an-org/members/export', { token: org.admin.accessToken });
    expect([400, 403]).toContain(bad.status);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
  });
});
