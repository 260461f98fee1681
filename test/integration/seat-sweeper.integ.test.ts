import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { systemClock } from '../../shared/clock.js';
import type { Database } from '../../shared/data/dynamo-client.js';
import { importJobKey, orgKey } from '../../shared/data/keys.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { LEASE_NAMES, LEASE_SET, leaseValues } from '../../shared/imports/import-lease.js';
import { getImportJob } from '../../shared/imports/import-repository.js';
import { runImport } from '../../shared/imports/run-import.js';
import { createInvitations } from '../../shared/invitations/create-invitations.js';
import { LEASE_SECONDS } from '../../shared/seats/seat-lease.js';
import { SWEEPER_ACTOR, sweepSeatLeases } from '../../shared/seats/sweep-seat-leases.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectInvitationSeatsMatchItems,
  expectProblem,
  orgItemsInTable,
} from '../helpers/assertions.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

/**
 * Crash and fault runs for seat reservations: an owner (a bulk invite request, an import
 * worker) dies holding seats, and the seat sweeper gives back exactly what no row used.
 * A crash is a database client that fails every transaction past a budget: what was written
 * stays written, nothing after it is, and the owner's own clean-up (`finally`) fails too, as
 * when a Lambda times out.
 */
let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

/** The table, except that transactions past the first `budget` fail (the process "dies" there). */
function crashingAfter(db: Database, budget: number): Database {
  let transactions = 0;
  const client = new Proxy(db.client, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return (command: unknown) => {
        if (command instanceof TransactWriteCommand && ++transactions > budget)
          return Promise.reject(new Error('crashed (Lambda timed out)'));
        return (target.send as (c: unknown) => Promise<unknown>)(command);
      };
    },
  });
  return { ...db, client };
}

const sweepAt = (now: Date) =>
  sweepSeatLeases(local.db, { actor: SWEEPER_ACTOR, ip: null, userAgent: null, requestId: 'test-sweep', now });
const later = (ms: number) => new Date(Date.now() + ms);

function adminAudit(org: SeededOrg): AuditContext {
  return {
    actor: { type: 'user', id: org.admin.userId, email: org.admin.email },
    ip: null,
    userAgent: null,
    requestId: 'test-bulk-invite',
    now: new Date(),
  };
}

/** A committed import of `rows` invitations. */
async function committedInviteImport(org: SeededOrg, rows: number): Promise<string> {
  const s = uniqueSuffix();
  const csv = `email,name\n${Array.from({ length: rows }, (_, i) => `imp${i}-${s}@x.test,Imp ${i}`).join('\n')}\n`;
  const upload = await local.api('POST', `/v1/orgs/${org.orgId}/imports?mode=invite`, {
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

/** Time passes for an import: its lease is set to have ended a moment ago. */
async function expireImportLease(orgId: string, importId: string): Promise<void> {
  await local.db.client.send(
    new UpdateCommand({
      TableName: local.db.tableName,
      Key: importJobKey(orgId, importId),
      UpdateExpression: `SET ${LEASE_SET}`,
      ExpressionAttributeNames: LEASE_NAMES,
      ExpressionAttributeValues: leaseValues(orgId, importId, new Date(Date.now() - 1000)),
    }),
  );
}

describe('seat sweeper', { timeout: 120_000 }, () => {
  it('a bulk invite interrupted after its reservation: its unused seats come back within one sweep after the deadline, exactly', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
    const current = (await getOrg(local.db, org.orgId, true))!;
    const emails = Array.from({ length: 5 }, (_, i) => `bulk${i}-${uniqueSuffix()}@x.test`);
    // The reservation and two invitations are written, then the request dies (its `finally` fails too).
    await expect(
      createInvitations(
        { db: crashingAfter(local.db, 3), appUrl: 'http://localhost:3000', clock: systemClock },
        current,
        { userId: org.admin.userId, email: org.admin.email, name: 'Admin' },
        { emails, role: 'member' },
        adminAudit(org),
      ),
    ).rejects.toThrow(/crashed/);
    expect((await getOrg(local.db, org.orgId, true))?.seatsUsed).toBe(1 + 5);
    // Before the deadline the owner may still be alive: nothing is released.
    expect((await sweepAt(new Date())).leasesReleased).toBe(0);
    const summary = await sweepAt(later(LEASE_SECONDS * 1000 + 1000));
    expect(summary).toMatchObject({ leasesReleased: 1, seatsReleased: 3, failed: 0 });
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 3, pending: 2 });
    const released = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'seats.released');
    expect(released).toHaveLength(1);
    expect(released[0]?.after).toMatchObject({ granted: 5, used: 2, released: 3 });
    // A second sweep finds nothing more to give back.
    expect((await sweepAt(later(LEASE_SECONDS * 1000 + 2000))).leasesReleased).toBe(0);
  });

  it('a bulk invite that finishes ends its own lease: the sweeper has nothing to do', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 4 });
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
      token: org.admin.accessToken,
      body: { emails: Array.from({ length: 5 }, (_, i) => `fin${i}-${uniqueSuffix()}@x.test`), role: 'member' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.created).toHaveLength(3);
    expect(
      await orgItemsInTable(local.db, org.orgId, 'SEATLEASE#').then((items) =>
        items.filter((i) => i.entity === 'seatLease'),
      ),
    ).toHaveLength(0);
    expect((await sweepAt(later(LEASE_SECONDS * 1000 + 1000))).leasesReleased).toBe(0);
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, pending: 3 });
  });

  it('an import batch that always fails (past its retries, dead-lettered) is resumed once, then failed with its unused seats released', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 40 });
    const importId = await committedInviteImport(org, 25);
    // The reservation and the first transaction (20 invitation rows) go through; the other 5 rows never do.
    const failing = { db: crashingAfter(local.db, 2), appUrl: 'http://localhost:3000', clock: systemClock };
    // The first try and three stream retries of the record, each dying in the batch.
    for (let attempt = 0; attempt < 4; attempt++)
      await expect(runImport(failing, org.orgId, importId, 1, { remainingMs: () => 0 })).rejects.toThrow(/crashed/);
    expect(await getImportJob(local.db, org.orgId, importId)).toMatchObject({ status: 'running', runSeq: 1 });
    expect((await getOrg(local.db, org.orgId, true))?.seatsUsed).toBe(1 + 25);

    // The worker's lease runs out: the sweeper re-queues it once (a new runSeq starts a worker)…
    await expireImportLease(org.orgId, importId);
    expect(await sweepAt(new Date())).toMatchObject({ importsResumed: 1, failed: 0 });
    expect(await getImportJob(local.db, org.orgId, importId)).toMatchObject({
      status: 'queued',
      runSeq: 2,
      resumes: 1,
    });
    // …which fails the same way, and then the sweeper fails the import.
    await expect(
      runImport({ ...failing, db: crashingAfter(local.db, 0) }, org.orgId, importId, 2, { remainingMs: () => 0 }),
    ).rejects.toThrow(/crashed/);
    await expireImportLease(org.orgId, importId);
    expect(await sweepAt(new Date())).toMatchObject({ importsFailed: 1, failed: 0 });

    const job = await getImportJob(local.db, org.orgId, importId);
    expect(job).toMatchObject({ status: 'failed', created: 20, skipped: 5, nextChunk: 1 });
    expect(job.leaseUntil).toBeUndefined();
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 21, pending: 20 });
    expect((await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'import.failed')).toHaveLength(1);
    // A late retry of the old record does nothing; neither does another sweep.
    expect(await runImport({ ...failing, db: local.db }, org.orgId, importId, 2)).toBe('stale');
    expect(await sweepAt(later(3600_000))).toMatchObject({ importsFailed: 0, importsResumed: 0 });
    const report = await local.api('GET', `/v1/orgs/${org.orgId}/imports/${importId}/report`, {
      token: org.admin.accessToken,
    });
    const outcomes = report.text
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[5]);
    expect(outcomes.filter((o) => o === 'invited')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(5);
  });

  it('a worker killed mid-batch is resumed by the sweeper: every row imported once, seats exact', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 40 });
    const importId = await committedInviteImport(org, 25);
    await expect(
      runImport(
        { db: crashingAfter(local.db, 2), appUrl: 'http://localhost:3000', clock: systemClock },
        org.orgId,
        importId,
        1,
      ),
    ).rejects.toThrow(/crashed/);
    await expireImportLease(org.orgId, importId);
    expect(await sweepAt(new Date())).toMatchObject({ importsResumed: 1 });
    expect(
      await runImport({ db: local.db, appUrl: 'http://localhost:3000', clock: systemClock }, org.orgId, importId, 2),
    ).toBe('completed');
    expect(await getImportJob(local.db, org.orgId, importId)).toMatchObject({
      status: 'completed',
      created: 25,
      skipped: 0,
    });
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 26, pending: 25 });
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'invitation.created'),
    ).toHaveLength(25);
  });

  it('cancel works on a stuck import: cancelled at once, the batch in hand settled and its unused seats released', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 40 });
    const importId = await committedInviteImport(org, 25);
    await expect(
      runImport(
        { db: crashingAfter(local.db, 2), appUrl: 'http://localhost:3000', clock: systemClock },
        org.orgId,
        importId,
        1,
      ),
    ).rejects.toThrow(/crashed/);
    await expireImportLease(org.orgId, importId);
    const cancel = await local.api('POST', `/v1/orgs/${org.orgId}/imports/${importId}/cancel`, {
      token: org.admin.accessToken,
    });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.json).toMatchObject({ status: 'cancelled', created: 20 });
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 21, pending: 20 });
    expect((await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'import.cancelled')).toHaveLength(
      1,
    );
  });
});

describe('POST /v1/orgs/{orgId}/seats/reconcile', () => {
  it('recounts, repairs drift with one audit event, and then finds none', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const invite = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
      token: org.admin.accessToken,
      body: { emails: [`r1-${uniqueSuffix()}@x.test`, `r2-${uniqueSuffix()}@x.test`], role: 'member' },
    });
    expect(invite.json.created).toHaveLength(2);
    // Drift, as a bug or a lost release would leave it.
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: orgKey(org.orgId),
        UpdateExpression: 'SET seatsUsed = seatsUsed + :k',
        ExpressionAttributeValues: { ':k': 4 },
      }),
    );
    const path = `/v1/orgs/${org.orgId}/seats/reconcile`;
    const first = await local.api('POST', path, { token: org.operator.accessToken });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({
      seatsUsed: 7,
      recounted: 3,
      drift: -4,
      activeMembers: 1,
      pendingInvitations: 2,
      reserved: 0,
    });
    await expectCountersMatchItems(local.db, org.orgId);
    const events = (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'seats.reconciled');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ before: { seatsUsed: 7 }, after: { seatsUsed: 3 } });
    expect((await local.api('POST', path, { token: org.operator.accessToken })).json).toMatchObject({
      seatsUsed: 3,
      recounted: 3,
      drift: 0,
    });
  });

  it('counts seats held by a live reservation as used (no false drift while a bulk invite runs)', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const current = (await getOrg(local.db, org.orgId, true))!;
    const emails = Array.from({ length: 4 }, (_, i) => `live${i}-${uniqueSuffix()}@x.test`);
    await expect(
      createInvitations(
        { db: crashingAfter(local.db, 2), appUrl: 'http://localhost:3000', clock: systemClock },
        current,
        { userId: org.admin.userId, email: org.admin.email, name: null },
        { emails, role: 'member' },
        adminAudit(org),
      ),
    ).rejects.toThrow(/crashed/);
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/seats/reconcile`, { token: org.operator.accessToken });
    expect(res.json).toEqual({
      seatsUsed: 5,
      recounted: 5,
      drift: 0,
      activeMembers: 1,
      pendingInvitations: 1,
      reserved: 3,
    });
  });

  it('is for platform operators only: an org admin, another org and an unknown org are refused', async () => {
    const org = await local.seedOperatorAndOrg();
    const other = await local.seedOperatorAndOrg();
    expectProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/seats/reconcile`, { token: org.admin.accessToken }),
      403,
      'platform_admin_required',
    );
    expectProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/seats/reconcile`, { token: other.admin.accessToken }),
      403,
      'platform_admin_required',
    );
    expectProblem(
      await local.api('POST', `/v1/orgs/${randomUUID()}/seats/reconcile`, { token: org.operator.accessToken }),
      404,
    );
  });
});
