import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgKey } from '../../shared/data/keys.js';
import { membershipToItem } from '../../shared/members/membership-repository.js';
import { EXPORT_ENV } from '../../shared/exports/export-env.js';
import { localExportStore } from '../../shared/exports/export-store.js';
import { writeMemberExport } from '../../shared/exports/write-member-export.js';
import { newId } from '../../shared/ids.js';
import type { Membership } from '../../shared/members/membership.js';
import { auditEventsInTable, expectFieldProblem, expectProblem, membershipsInTable } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { parseCsv } from '../helpers/csv.js';

const exportDir = mkdtempSync(join(tmpdir(), 'roster-export-files-'));
let local: LocalApi;

beforeAll(async () => {
  // Read by the local export store at each use: the files of this file's exports go here.
  process.env[EXPORT_ENV.localDir] = exportDir;
  // The table stream drives the export writer (and the mailer, hence the SES emulator).
  local = await startLocalApi({ mail: true });
});

afterAll(async () => {
  await local?.close();
  rmSync(exportDir, { recursive: true, force: true });
});

const exportsPath = (org: SeededOrg) => `/v1/orgs/${org.orgId}/member-exports`;

const TRICKY = [
  '=HYPERLINK("http://evil.test","x")',
  '+1 555',
  '-2+3',
  '@SUM(A1)',
  'Comma, Person',
  'Quote "Q" Person',
  'Multi\nLine',
  'Zoë Ünal',
];

/** `count` members written straight into the table (25 a BatchWriteItem), every fifth in the team. */
async function seedMembers(orgId: string, count: number, teamId: string): Promise<void> {
  const members: Membership[] = Array.from({ length: count }, (_, i) => {
    const createdAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    return {
      orgId,
      userId: newId(),
      name: i < TRICKY.length ? TRICKY[i]! : `Person ${String(i).padStart(5, '0')}`,
      email: `p${i}-${uniqueSuffix()}@bulk.test`,
      role: i % 10 === 0 ? 'org_admin' : 'member',
      teamId: i % 5 === 0 ? teamId : null,
      status: i % 7 === 0 ? 'suspended' : 'active',
      source: 'manual',
      createdAt,
      updatedAt: createdAt,
      lastLoginAt: i % 3 === 0 ? null : createdAt,
      lastActiveAt: null,
      version: 1,
    };
  });
  for (let i = 0; i < members.length; i += 25) {
    let requests = members.slice(i, i + 25).map((m) => ({ PutRequest: { Item: membershipToItem(m) } }));
    while (requests.length > 0) {
      const out = await local.db.client.send(
        new BatchWriteCommand({ RequestItems: { [local.db.tableName]: requests } }),
      );
      requests = (out.UnprocessedItems?.[local.db.tableName] ?? []) as typeof requests;
    }
  }
  await local.db.client.send(
    new UpdateCommand({
      TableName: local.db.tableName,
      Key: orgKey(orgId),
      UpdateExpression: 'ADD memberCount :n',
      ExpressionAttributeValues: { ':n': count },
    }),
  );
}

/** Polls the export until it leaves queued/running. */
async function waitForExport(org: SeededOrg, exportId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await local.api('GET', `${exportsPath(org)}/${exportId}`, { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(200);
    if (!['queued', 'running'].includes(res.json.status as string) || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('asynchronous member export (object store + download link)', () => {
  it('exports 2,500+ members: 202, then ready with a download link whose CSV holds every member once, escaped and neutralized', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const team = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, {
      token: org.admin.accessToken,
      body: { name: 'Ops, "core"' },
    });
    expect(team.status, team.text).toBe(201);
    await seedMembers(org.orgId, 2_500, team.json.teamId as string);

    const queued = await local.api('POST', exportsPath(org), { token: org.admin.accessToken });
    expect(queued.status, queued.text).toBe(202);
    expect(queued.json).toEqual({ exportId: expect.any(String), status: 'queued', createdAt: expect.any(String) });
    expect(queued.headers.get('location')).toBe(`${exportsPath(org)}/${queued.json.exportId}`);

    const done = await waitForExport(org, queued.json.exportId as string);
    expect(done.json).toMatchObject({
      exportId: queued.json.exportId,
      status: 'ready',
      rowCount: 2_501,
      failureReason: null,
    });
    expect(done.headers.get('cache-control')).toBe('no-store');
    const { url, expiresAt } = done.json.download as { url: string; expiresAt: string };
    const lifetime = Date.parse(expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);

    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(download.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="members-${org.orgId}-\\d{4}-\\d\\d-\\d\\d\\.csv"$`),
    );
    const csv = await download.text();
    expect(Buffer.byteLength(csv)).toBe(done.json.sizeBytes);

    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(['name', 'email', 'team', 'role', 'status', 'lastLoginAt', 'createdAt']);
    const members = await membershipsInTable(local.db, org.orgId);
    expect(members).toHaveLength(2_501);
    expect(rows).toHaveLength(members.length);
    const byEmail = new Map(rows.map((r) => [r[1], r]));
    expect(byEmail.size).toBe(rows.length);
    const neutral = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    for (const m of members) {
      expect(byEmail.get(m.email), m.email).toEqual([
        neutral(m.name),
        m.email,
        m.teamId ? 'Ops, "core"' : '',
        m.role,
        m.status,
        m.lastLoginAt ?? '',
        m.createdAt,
      ]);
    }
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // Sorted by name, as the by-name index has it.
    const order = rows.map((r) => r[0]!.replace(/^'/, '').trim().toLowerCase().slice(0, 200));
    expect(order).toEqual([...order].sort());

    // One audit event for the request; the writer's status changes are not member changes.
    const audit = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'member_export.requested');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      target: { type: 'export', id: queued.json.exportId },
      actor: { type: 'user', id: org.admin.userId },
    });

    // The link is signed: changing the file, the expiry or the signature is refused like S3 does.
    const link = new URL(url);
    const tampered = [
      url.replace(`${queued.json.exportId}.csv`, `${newId()}.csv`),
      url.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 3600}`),
      url.replace(/signature=[0-9a-f]{8}/, 'signature=00000000'),
      `${link.origin}${link.pathname}`,
    ];
    for (const bad of tampered) expect((await fetch(bad)).status, bad).toBe(403);
    // It seeds 2,500 members one BatchWriteItem at a time before exporting them: a 2-core CI machine running another file beside it needs more than the default guard.
  }, 180_000);

  it('does nothing for a replayed stream record: a finished job is skipped, its file and status kept', async () => {
    const org = await local.seedOperatorAndOrg();
    const queued = await local.api('POST', exportsPath(org), { token: org.admin.accessToken });
    const job = { orgId: org.orgId, exportId: queued.json.exportId as string };
    const done = await waitForExport(org, job.exportId);
    expect(done.json.status).toBe('ready');
    const failingStore = {
      write: () => Promise.reject(new Error('must not be called')),
      downloadLink: () => Promise.reject(new Error('unused')),
    };
    await expect(writeMemberExport({ db: local.db, store: failingStore }, job)).resolves.toBe('skipped');
    await expect(
      writeMemberExport({ db: local.db, store: localExportStore() }, { orgId: org.orgId, exportId: newId() }),
    ).resolves.toBe('skipped');
    const again = await local.api('GET', `${exportsPath(org)}/${job.exportId}`, { token: org.admin.accessToken });
    expect(again.json).toMatchObject({
      status: 'ready',
      rowCount: done.json.rowCount,
      sizeBytes: done.json.sizeBytes,
      completedAt: done.json.completedAt,
    });
  });

  it('keeps small orgs on the direct download and sends orgs too large for it to the asynchronous route (413 naming it)', async () => {
    const org = await local.seedOperatorAndOrg();
    const small = await local.api('GET', `/v1/orgs/${org.orgId}/members/export`, { token: org.admin.accessToken });
    expect(small.status, small.text).toBe(200);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: orgKey(org.orgId),
        UpdateExpression: 'SET memberCount = :n',
        ExpressionAttributeValues: { ':n': 20_001 },
      }),
    );
    const large = await local.api('GET', `/v1/orgs/${org.orgId}/members/export`, { token: org.admin.accessToken });
    expectProblem(large, 413, 'export_too_large');
    expect(large.json.detail).toContain(`POST /v1/orgs/${org.orgId}/member-exports`);
  });

  it('marks the export failed, with a reason and no link, when the file cannot be written', async () => {
    const org = await local.seedOperatorAndOrg();
    // A regular file where the export folder should be: the writer cannot create anything under it.
    const blocked = join(exportDir, 'not-a-folder');
    writeFileSync(blocked, 'x');
    process.env[EXPORT_ENV.localDir] = blocked;
    try {
      const queued = await local.api('POST', exportsPath(org), { token: org.admin.accessToken });
      expect(queued.status, queued.text).toBe(202);
      const done = await waitForExport(org, queued.json.exportId as string);
      expect(done.json).toMatchObject({
        status: 'failed',
        failureReason: expect.stringMatching(/request a new one/),
        download: null,
        rowCount: null,
      });
    } finally {
      process.env[EXPORT_ENV.localDir] = exportDir;
    }
  });

  it('shows an export only to admins of its own org: another org 404 (by its own path) or 403 (by this one), members 403', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    const queued = await local.api('POST', exportsPath(org), { token: org.admin.accessToken });
    expect(queued.status).toBe(202);
    const exportId = queued.json.exportId as string;

    // Another org's admin: through their own org the id does not exist; through this org they are no member.
    expectProblem(
      await local.api('GET', `${exportsPath(other)}/${exportId}`, { token: other.admin.accessToken }),
      404,
      'export_not_found',
    );
    expectProblem(await local.api('GET', `${exportsPath(org)}/${exportId}`, { token: other.admin.accessToken }), 403);
    expectProblem(await local.api('POST', exportsPath(org), { token: other.admin.accessToken }), 403);

    const member = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Plain Member', email: `m-${uniqueSuffix()}@org.test`, role: 'member' },
    });
    await local.setPassword(member.json.userId as string, TEST_PASSWORD);
    const { accessToken } = await local.signIn(member.json.email as string, TEST_PASSWORD);
    expectProblem(await local.api('GET', `${exportsPath(org)}/${exportId}`, { token: accessToken }), 403);
    expectProblem(await local.api('POST', exportsPath(org), { token: accessToken }), 403);
    expect((await local.api('GET', `${exportsPath(org)}/${exportId}`)).status).toBe(401);
  });

  it('answers 400 naming the field for malformed ids and 404 for unknown ones', async () => {
    const org = await local.seedOperatorAndOrg();
    expectFieldProblem(
      await local.api('GET', `${exportsPath(org)}/not-an-id`, { token: org.admin.accessToken }),
      'path.exportId',
    );
    expectFieldProblem(
      await local.api('GET', `${exportsPath(org)}/${'9'.repeat(500)}`, { token: org.admin.accessToken }),
      'path.exportId',
    );
    expectProblem(
      await local.api('GET', `${exportsPath(org)}/${newId()}`, { token: org.admin.accessToken }),
      404,
      'export_not_found',
    );
  });
});
