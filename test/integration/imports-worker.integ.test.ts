import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../shared/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobKey } from '../../shared/data/keys.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { getImportJob } from '../../shared/imports/import-repository.js';
import type { ImportWorkerDeps } from '../../shared/imports/import-rows.js';
import { runImport } from '../../shared/imports/run-import.js';
import { processBatch } from '../../shared/imports/import-batch.js';
import { batchFromItem, queryImportItems } from '../../shared/imports/import-repository.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectProblem,
  membershipsInTable,
} from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

/**
 * The worker driven directly (no table stream in this file), to stop it at chosen points:
 * cancel between batches, hand over near the timeout, a stale stream record.
 */
let local: LocalApi;
let deps: ImportWorkerDeps;

beforeAll(async () => {
  local = await startLocalApi();
  deps = { db: local.db, appUrl: 'http://localhost:3000', clock: systemClock };
});

afterAll(async () => {
  await local?.close();
});

/** A committed import of `rows` people (three chunks for 700 rows). */
async function committedImport(org: SeededOrg, rows: number): Promise<string> {
  const s = uniqueSuffix();
  const csv = `email,name\n${Array.from({ length: rows }, (_, i) => `w${i}-${s}@x.test,W ${i}`).join('\n')}\n`;
  const upload = await local.api('POST', `/v1/orgs/${org.orgId}/imports?mode=add`, {
    token: org.admin.accessToken,
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
  expect(upload.status, upload.text).toBe(201);
  const commit = await local.api('POST', `/v1/orgs/${org.orgId}/imports/${upload.json.importId}/commit`, {
    token: org.admin.accessToken,
  });
  expect(commit.status, commit.text).toBe(202);
  return upload.json.importId as string;
}

describe('import worker', { timeout: 180_000 }, () => {
  it('stops between batches when cancelled: the batch in hand completes, the rest is not imported', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 800 });
    const importId = await committedImport(org, 700);
    const result = await runImport(deps, org.orgId, importId, 1, {
      // One batch at a time, so that "the rest" exists: with BATCHES_IN_FLIGHT, all three would be in hand.
      batchesInFlight: 1,
      beforeSettle: async (chunk) => {
        if (chunk !== 0) return;
        const cancel = await local.api('POST', `/v1/orgs/${org.orgId}/imports/${importId}/cancel`, {
          token: org.admin.accessToken,
        });
        expect(cancel.json).toMatchObject({ status: 'running', cancelRequested: true });
      },
    });
    expect(result).toBe('cancelled');
    const job = await getImportJob(local.db, org.orgId, importId);
    expect(job).toMatchObject({ status: 'cancelled', processed: 300, created: 300, nextChunk: 1 });
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 301, activeAdmins: 1 });
    const report = await local.api('GET', `/v1/orgs/${org.orgId}/imports/${importId}/report`, {
      token: org.admin.accessToken,
    });
    const outcomes = report.text
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[5]);
    expect(outcomes.filter((o) => o === 'added')).toHaveLength(300);
    expect(outcomes.filter((o) => o === 'not_imported')).toHaveLength(400);
    const audit = await auditEventsInTable(local.db, org.orgId);
    expect(audit.filter((e) => e.action === 'import.cancelled')).toHaveLength(1);
  });

  it('hands over near the timeout under a new runSeq, ignores the stale record, and resumes at the checkpoint', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 800 });
    const importId = await committedImport(org, 700);
    let batches = 0;
    // One lane: with three, whichever lease renewal answers first takes the only batch, and the
    // checkpoint stays at 0 when that is not chunk 0 (right, but not what this test pins down).
    const first = await runImport(deps, org.orgId, importId, 1, {
      shouldStop: () => batches++ >= 1,
      batchesInFlight: 1,
    });
    expect(first).toBe('handed_over');
    expect(await getImportJob(local.db, org.orgId, importId)).toMatchObject({
      status: 'queued',
      runSeq: 2,
      nextChunk: 1,
      created: 300,
    });
    // The commit's record again (a retry, a duplicate): its runSeq is no longer the import's.
    expect(await runImport(deps, org.orgId, importId, 1)).toBe('stale');
    expect(await runImport(deps, org.orgId, importId, 2)).toBe('completed');
    expect(await getImportJob(local.db, org.orgId, importId)).toMatchObject({
      status: 'completed',
      processed: 700,
      created: 700,
      skipped: 0,
    });
    expect((await getOrg(local.db, org.orgId, true))?.memberCount).toBe(701);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 701, activeAdmins: 1 });
    // A finished import's record replayed does nothing.
    expect(await runImport(deps, org.orgId, importId, 2)).toBe('stale');
  });

  it('refuses to commit a preview close to its expiry, and an expired import is gone', async () => {
    const org = await local.seedOperatorAndOrg();
    const upload = await local.api('POST', `/v1/orgs/${org.orgId}/imports?mode=add`, {
      token: org.admin.accessToken,
      body: `email,name\nold-${uniqueSuffix()}@x.test,Old\n`,
      headers: { 'content-type': 'text/csv' },
    });
    const path = `/v1/orgs/${org.orgId}/imports/${upload.json.importId}`;
    const setTtl = (seconds: number) =>
      local.db.client.send(
        new UpdateCommand({
          TableName: local.db.tableName,
          Key: importJobKey(org.orgId, upload.json.importId),
          UpdateExpression: 'SET #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':ttl': Math.floor(Date.now() / 1000) + seconds },
        }),
      );
    await setTtl(3600);
    expectProblem(await local.api('POST', `${path}/commit`, { token: org.admin.accessToken }), 409, 'import_expired');
    await setTtl(-1);
    expectProblem(await local.api('GET', path, { token: org.admin.accessToken }), 404);
  });
});

describe('import with custom roles', { timeout: 180_000 }, () => {
  const AUTHOR = { key: 'author', name: 'Author', permissions: ['app:publish'] };
  const CO_OWNER = { key: 'co_owner', name: 'Co-owner', permissions: ['org:manage', 'members:manage'] };

  async function createRoles(org: SeededOrg, ...roles: Record<string, unknown>[]) {
    for (const body of roles) {
      const res = await local.api('POST', `/v1/orgs/${org.orgId}/roles`, { token: org.admin.accessToken, body });
      expect(res.status, res.text).toBe(201);
    }
  }

  async function uploadAndCommit(org: SeededOrg, csv: string, token = org.admin.accessToken) {
    const upload = await local.api('POST', `/v1/orgs/${org.orgId}/imports?mode=add`, {
      token,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(upload.status, upload.text).toBe(201);
    const commit = await local.api('POST', `/v1/orgs/${org.orgId}/imports/${upload.json.importId}/commit`, { token });
    expect(commit.status, commit.text).toBe(202);
    return upload.json as {
      importId: string;
      errors: { line: number; column: string; code: string; message: string }[];
    };
  }

  it('imports any role of the org (key in any case): holders counted, a custom org:manage role makes admins; unknown roles refused by line', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    await createRoles(org, AUTHOR, CO_OWNER);
    const s = uniqueSuffix();
    const csv = [
      'email,name,role',
      `a-${s}@x.test,A,Author`,
      `b-${s}@x.test,B,co_owner`,
      `c-${s}@x.test,C,author`,
      `d-${s}@x.test,D,ghost`,
      `e-${s}@x.test,E,`,
      `f-${s}@x.test,F,ORG_ADMIN`,
    ].join('\n');
    const { importId, errors } = await uploadAndCommit(org, csv);
    expect(errors.map((e) => [e.line, e.column, e.code])).toEqual([[5, 'role', 'unknown_role']]);
    expect(errors[0]!.message).toContain('org_admin, member, author, co_owner');
    expect(await runImport(deps, org.orgId, importId, 1)).toBe('completed');

    const byEmail = new Map((await membershipsInTable(local.db, org.orgId)).map((m) => [m.email, m]));
    expect(byEmail.get(`a-${s}@x.test`)?.role).toBe('author');
    expect(byEmail.get(`a-${s}@x.test`)?.managesOrg).toBeUndefined();
    expect(byEmail.get(`b-${s}@x.test`)).toMatchObject({ role: 'co_owner', managesOrg: true });
    expect(byEmail.get(`e-${s}@x.test`)?.role).toBe('member');
    expect(byEmail.get(`f-${s}@x.test`)?.role).toBe('org_admin');
    expect(byEmail.has(`d-${s}@x.test`)).toBe(false);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 6, activeAdmins: 3 });
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders).toMatchObject({ author: 2, co_owner: 1 });
    expectProblem(
      await local.api('DELETE', `/v1/orgs/${org.orgId}/roles/author`, { token: org.admin.accessToken }),
      409,
      'role_in_use',
    );
  });

  it('a role deleted between validation and the worker skips its rows (unknown_role), imports the rest, and counts exactly', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    await createRoles(org, AUTHOR, { key: 'temp', name: 'Temp', permissions: ['org:manage'] });
    const s = uniqueSuffix();
    const csv = ['email,name,role', `a-${s}@x.test,A,temp`, `b-${s}@x.test,B,author`, `c-${s}@x.test,C,temp`].join(
      '\n',
    );
    const { importId, errors } = await uploadAndCommit(org, csv);
    expect(errors).toEqual([]);
    // The worker read the org while the role existed; the role goes before the batch reserves its seats.
    const stale = (await getOrg(local.db, org.orgId, true))!;
    const deleted = await local.api('DELETE', `/v1/orgs/${org.orgId}/roles/temp`, { token: org.admin.accessToken });
    expect(deleted.status, deleted.text).toBe(204);
    const job = await getImportJob(local.db, org.orgId, importId);
    const { marker } = await processBatch(deps, job, 0, { org: stale, teams: new Map() });
    expect(marker.created).toEqual([3]);
    expect(marker.skipped.map((k) => [k.line, k.code])).toEqual([
      [2, 'unknown_role'],
      [4, 'unknown_role'],
    ]);
    const [stored] = (await queryImportItems(local.db, importId, 'BATCH#')).map(batchFromItem);
    expect(stored).toMatchObject({ settled: true, roles: { author: { holders: 1, managesOrg: false } } });
    expect((await membershipsInTable(local.db, org.orgId)).map((m) => m.role).sort()).toEqual(['author', 'org_admin']);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders).toEqual({ author: 1 });
  });

  it('a member manager cannot import a role holding permissions they lack (role_escalation by line)', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    await createRoles(org, AUTHOR, { key: 'member_manager', name: 'Member manager', permissions: ['members:manage'] });
    const s = uniqueSuffix();
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Manager', email: `mm-${s}@x.test`, role: 'member_manager' },
    });
    expect(added.status, added.text).toBe(201);
    await local.setPassword(added.json.userId as string, TEST_PASSWORD);
    const { accessToken } = await local.signIn(`mm-${s}@x.test`, TEST_PASSWORD);
    const csv = [
      'email,name,role',
      `a-${s}@x.test,A,org_admin`,
      `b-${s}@x.test,B,author`,
      `c-${s}@x.test,C,member_manager`,
      `d-${s}@x.test,D,member`,
    ].join('\n');
    const { importId, errors } = await uploadAndCommit(org, csv, accessToken);
    expect(errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, 'role', 'role_escalation'],
      [3, 'role', 'role_escalation'],
    ]);
    expect(await runImport(deps, org.orgId, importId, 1)).toBe('completed');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, activeAdmins: 1 });

    // An admin's preview giving admins is not the member manager's to commit.
    const adminCsv = ['email,name,role', `g-${s}@x.test,G,org_admin`, `h-${s}@x.test,H,member`].join('\n');
    const preview = await local.api('POST', `/v1/orgs/${org.orgId}/imports?mode=add`, {
      token: org.admin.accessToken,
      body: adminCsv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(preview.status, preview.text).toBe(201);
    const commit = `/v1/orgs/${org.orgId}/imports/${preview.json.importId}/commit`;
    expectProblem(await local.api('POST', commit, { token: accessToken }), 403, 'role_escalation');
    expect((await getImportJob(local.db, org.orgId, preview.json.importId)).status).toBe('validated');
    expect((await local.api('POST', commit, { token: org.admin.accessToken })).status).toBe(202);
    expect((await getOrg(local.db, org.orgId, true))?.roleHolders).toMatchObject({ member_manager: 2 });
  });
});
