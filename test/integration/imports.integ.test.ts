import { PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../shared/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../shared/data/dynamo-client.js';
import { emailClaimKey, orgPartition, ORG_PARTITION_PREFIX, teamKey } from '../../shared/data/keys.js';
import { queryWholePartition } from '../../shared/data/pagination.js';
import { MEMBER_SEARCH_ENTITY, MEMBERSHIP_ENTITY } from '../../shared/members/membership-repository.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from '../../shared/imports/csv-file.js';
import { getImportJob, queryImportItems, batchFromItem } from '../../shared/imports/import-repository.js';
import { processBatch } from '../../shared/imports/import-batch.js';
import type { ImportWorkerDeps } from '../../shared/imports/import-rows.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectFieldProblem,
  expectInvitationSeatsMatchItems,
  expectProblem,
  expectSearchItemsMatchMembers,
  membershipsInTable,
  pendingInvitationsInTable,
} from '../helpers/assertions.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
let deps: ImportWorkerDeps;

beforeAll(async () => {
  // mail: the table stream runs, so a commit starts the import worker exactly as under npm start.
  local = await startLocalApi({ mail: true });
  deps = { db: local.db, appUrl: 'http://localhost:3000', clock: systemClock };
});

afterAll(async () => {
  await local?.close();
});

const imports = (org: SeededOrg) => `/v1/orgs/${org.orgId}/imports`;

function upload(org: SeededOrg, csv: string | Buffer, query = 'mode=add', contentType = 'text/csv') {
  return local.api('POST', `${imports(org)}?${query}`, {
    token: org.admin.accessToken,
    body: csv,
    headers: { 'content-type': contentType },
  });
}

async function uploadOk(org: SeededOrg, csv: string, query = 'mode=add') {
  const res = await upload(org, csv, query);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Polls GET until the import is finished (the stream-driven worker runs in this process). */
async function waitFinished(org: SeededOrg, importId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await local.api('GET', `${imports(org)}/${importId}`, { token: org.admin.accessToken });
    expect(res.status, res.text).toBe(200);
    if (res.json.status === 'completed' || res.json.status === 'cancelled') return res.json;
    if (Date.now() > deadline) throw new Error(`import still ${res.json.status}: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every batch of the import settled: no seat is held by a reservation any more. */
async function expectNoOpenReservations(importId: string) {
  const batches = (await queryImportItems(local.db, importId, 'BATCH#')).map(batchFromItem);
  expect(batches.filter((b) => !b.settled)).toEqual([]);
}

describe('CSV import: the mixed file', () => {
  let org: SeededOrg;
  let s: string;
  let csv: string;

  beforeAll(async () => {
    org = await local.seedOperatorAndOrg({ maxSeats: 6 }); // the admin holds 1
    s = uniqueSuffix();
    const token = org.admin.accessToken;
    const team = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, { token, body: { name: 'Engineering' } });
    expect(team.status, team.text).toBe(201);
    const member = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token,
      body: { name: 'Existing', email: `existing-${s}@x.test`, role: 'member' },
    });
    expect(member.status, member.text).toBe(201);
    const invited = await local.api('POST', `/v1/orgs/${org.orgId}/invitations`, {
      token,
      body: { emails: [`invited-${s}@x.test`], role: 'member' },
    });
    expect(invited.json.created).toHaveLength(1);
    // 6 seats: admin, member, invitation → 3 free.
    csv = [
      '\uFEFFemail,name,role,team',
      `ada-${s}@x.test,"Lovelace, Ada",member,engineering`,
      'not-an-email,Bad Email,member,',
      '',
      `ADA-${s}@x.test,Ada Again,,`,
      `existing-${s}@x.test,Existing,member,`,
      `invited-${s}@x.test,Invited,,`,
      `grace-${s}@x.test,Grace,superuser,`,
      `alan-${s}@x.test,Alan,org_admin,`,
      `linus-${s}@x.test,Linus,,Nowhere`,
      `ken-${s}@x.test,"Ken ""K"" Thompson",member,`,
      `barbara-${s}@x.test,"=HYPERLINK(""http://evil.test"")",,`,
      '',
    ].join('\r\n');
  });

  it('previews exactly: counts, rows as they will be imported, every error by line and column', async () => {
    const preview = await uploadOk(org, csv);
    expect(preview).toMatchObject({
      status: 'validated',
      mode: 'add',
      createTeams: false,
      counts: { rows: 10, toImport: 3, rejected: 7 },
      total: 3,
      processed: 0,
      created: 0,
    });
    expect(preview.preview).toEqual([
      { line: 2, email: `ada-${s}@x.test`, name: 'Lovelace, Ada', role: 'member', team: 'engineering' },
      { line: 9, email: `alan-${s}@x.test`, name: 'Alan', role: 'org_admin', team: null },
      { line: 11, email: `ken-${s}@x.test`, name: 'Ken "K" Thompson', role: 'member', team: null },
    ]);
    expect(
      preview.errors.map((e: { line: number; column: string | null; code: string }) => [e.line, e.column, e.code]),
    ).toEqual([
      [3, 'email', 'invalid_email'],
      [5, 'email', 'duplicate_email'],
      [6, 'email', 'already_member'],
      [7, 'email', 'already_invited'],
      [8, 'role', 'unknown_role'],
      [10, 'team', 'unknown_team'],
      [12, null, 'seat_limit_reached'],
    ]);
    expect(preview.errors[1].message).toContain('line 2');
    expect(preview.errors[6].message).toContain('Seat limit reached (6)');
    // A preview holds no seat and changes nothing of the org.
    expect((await getOrg(local.db, org.orgId, true))?.seatsUsed).toBe(3);
  });

  it('commit imports exactly the valid rows, with progress, audit events and a safe report', async () => {
    const preview = await uploadOk(org, csv);
    const commit = await local.api('POST', `${imports(org)}/${preview.importId}/commit`, {
      token: org.admin.accessToken,
    });
    expect(commit.status, commit.text).toBe(202);
    expect(commit.json.status).toBe('queued');
    const done = await waitFinished(org, preview.importId);
    expect(done).toMatchObject({ status: 'completed', processed: 3, total: 3, created: 3, skipped: 0 });

    const members = await membershipsInTable(local.db, org.orgId);
    const imported = members.filter((m) =>
      [`ada-${s}@x.test`, `alan-${s}@x.test`, `ken-${s}@x.test`].includes(m.email),
    );
    expect(imported.map((m) => [m.email, m.name, m.role, m.teamId !== null]).sort()).toEqual([
      [`ada-${s}@x.test`, 'Lovelace, Ada', 'member', true],
      [`alan-${s}@x.test`, 'Alan', 'org_admin', false],
      [`ken-${s}@x.test`, 'Ken "K" Thompson', 'member', false],
    ]);
    expect(members).toHaveLength(5);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 6, activeAdmins: 2 });
    await expectNoOpenReservations(preview.importId);

    const audit = await auditEventsInTable(local.db, org.orgId);
    const added = audit.filter(
      (e) => e.action === 'member.added' && (e.after as { importId?: string }).importId === preview.importId,
    );
    expect(added).toHaveLength(3);
    expect(audit.filter((e) => e.action === 'import.completed')).toHaveLength(1);

    const report = await local.api('GET', `${imports(org)}/${preview.importId}/report`, {
      token: org.admin.accessToken,
    });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = report.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('line,email,name,role,team,outcome,code,detail');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toBe(`2,ada-${s}@x.test,"Lovelace, Ada",member,engineering,added,,`);
    expect(lines[2]).toBe(
      '3,not-an-email,Bad Email,member,,rejected,invalid_email,"email: ""not-an-email"" is not an email address"',
    );
    // The file's own formula comes back neutralized.
    expect(lines[10]).toMatch(/^12,barbara-.*,"'=HYPERLINK\(""http:\/\/evil.test""\)",,,rejected,seat_limit_reached,/);
  });
});

describe('CSV import: invite mode and teams created on commit', () => {
  it('invites the valid rows through the outbox and creates the named teams', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const s = uniqueSuffix();
    const csv = `email,team,name\n${[1, 2, 3].map((i) => `inv${i}-${s}@x.test,Design,Invitee ${i}`).join('\n')}\n`;
    const preview = await uploadOk(org, csv, 'mode=invite&createTeams=true');
    expect(preview.newTeams).toEqual(['Design']);
    expect(preview.counts).toEqual({ rows: 3, toImport: 3, rejected: 0 });
    await local.api('POST', `${imports(org)}/${preview.importId}/commit`, { token: org.admin.accessToken });
    expect(await waitFinished(org, preview.importId)).toMatchObject({ status: 'completed', created: 3 });
    const pending = await pendingInvitationsInTable(local.db, org.orgId);
    expect(pending).toHaveLength(3);
    expect(new Set(pending.map((p) => p.teamId)).size).toBe(1);
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, pending: 3 });
    const mails = await local.mailTo(`inv1-${s}@x.test`);
    expect(mails).toHaveLength(1);
  });
});

describe('CSV import: idempotent batches', () => {
  it('replaying a settled batch imports nothing twice', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const s = uniqueSuffix();
    const preview = await uploadOk(
      org,
      `email,name\n${[1, 2, 3, 4].map((i) => `r${i}-${s}@x.test,R ${i}`).join('\n')}`,
    );
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    const context = { org: (await getOrg(local.db, org.orgId, true))!, teams: new Map<string, string>() };
    const first = await processBatch(deps, job, 0, context);
    expect(first.replayed).toBe(false);
    expect(first.marker.created).toHaveLength(4);
    const again = await processBatch(deps, job, 0, context);
    expect(again.replayed).toBe(true);
    expect(await membershipsInTable(local.db, org.orgId)).toHaveLength(5);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 5, activeAdmins: 1 });
    expect((await getImportJob(local.db, org.orgId, preview.importId)).created).toBe(4);
  });

  it('a batch that crashed after writing its rows is finished by the replay, each row once', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const s = uniqueSuffix();
    const preview = await uploadOk(
      org,
      `email,name\n${[1, 2, 3].map((i) => `c${i}-${s}@x.test,C ${i}`).join('\n')}`,
      'mode=invite',
    );
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    const context = { org: (await getOrg(local.db, org.orgId, true))!, teams: new Map<string, string>() };
    await expect(
      processBatch(deps, job, 0, {
        ...context,
        beforeSettle: () => Promise.reject(new Error('crash')),
      }),
    ).rejects.toThrow('crash');
    // Rows written, seats still held by the reservation, not yet settled.
    expect((await getOrg(local.db, org.orgId, true))?.seatsUsed).toBe(4);
    const replay = await processBatch(deps, job, 0, context);
    expect(replay.replayed).toBe(false);
    expect(replay.marker.created).toEqual([2, 3, 4]);
    expect(await pendingInvitationsInTable(local.db, org.orgId)).toHaveLength(3);
    expect(await expectInvitationSeatsMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, pending: 3 });
    const audit = await auditEventsInTable(local.db, org.orgId);
    expect(audit.filter((e) => e.action === 'invitation.created')).toHaveLength(3);
  });

  it('an add-mode batch that crashed after writing its rows is finished by the replay, each member once', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const s = uniqueSuffix();
    const preview = await uploadOk(org, `email,name\n${[1, 2, 3].map((i) => `a${i}-${s}@x.test,A ${i}`).join('\n')}`);
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    const context = { org: (await getOrg(local.db, org.orgId, true))!, teams: new Map<string, string>() };
    await expect(
      processBatch(deps, job, 0, { ...context, beforeSettle: () => Promise.reject(new Error('crash')) }),
    ).rejects.toThrow('crash');
    // The members exist (they are the rows' done-markers); the batch is not settled yet.
    expect(await membershipsInTable(local.db, org.orgId)).toHaveLength(4);
    const replay = await processBatch(deps, job, 0, context);
    expect(replay.replayed).toBe(false);
    expect(replay.marker.created).toEqual([2, 3, 4]);
    expect(replay.marker.skipped).toEqual([]);
    expect(await membershipsInTable(local.db, org.orgId)).toHaveLength(4);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 4, activeAdmins: 1 });
    const audit = await auditEventsInTable(local.db, org.orgId);
    expect(audit.filter((e) => e.action === 'member.added')).toHaveLength(3 + 1);
    await expectSearchItemsMatchMembers(local.db, org.orgId);
  });

  it('a crash between the search items of new people and their transactions leaves none behind: the replay writes the rows, and deletes those of a row refused meanwhile', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const s = uniqueSuffix();
    const emails = [1, 2, 3].map((i) => `pre${i}-${s}@x.test`);
    const preview = await uploadOk(org, `email,name\n${emails.map((e, i) => `${e},Pre Written ${i}`).join('\n')}`);
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    const context = { org: (await getOrg(local.db, org.orgId, true))!, teams: new Map<string, string>() };
    // The worker dies on its first row transaction: the search items are put, no member is.
    const crashing = new Proxy(local.db.client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return (command: { input: unknown }) => {
          if (command instanceof TransactWriteCommand && putsOf(command.input, MEMBERSHIP_ENTITY) > 0)
            return Promise.reject(new Error('crash'));
          return target.send(command as TransactWriteCommand);
        };
      },
    });
    await expect(
      processBatch({ ...deps, db: { client: crashing, tableName: local.db.tableName } }, job, 0, context),
    ).rejects.toThrow('crash');
    expect(await membershipsInTable(local.db, org.orgId)).toHaveLength(1);
    const stored = await queryWholePartition(local.db, orgPartition(org.orgId), ORG_PARTITION_PREFIX.memberSearch);
    expect(stored.length).toBeGreaterThan(3 * 3);
    // Meanwhile line 3's address came to belong to someone else: the replay refuses that row.
    await local.db.client.send(
      new PutCommand({
        TableName: local.db.tableName,
        Item: { ...emailClaimKey(emails[1]!), entity: 'emailClaim', userId: 'someone-else', email: emails[1] },
      }),
    );
    const replay = await processBatch(deps, job, 0, context);
    expect(replay.marker.created).toEqual([2, 4]);
    expect(replay.marker.skipped).toEqual([{ line: 3, code: 'email_taken', message: expect.any(String) }]);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 3, activeAdmins: 1 });
    await expectSearchItemsMatchMembers(local.db, org.orgId);
  });
});

/** The table seen through a client that records every TransactWriteItems it sends. */
function recordingDb(): { db: Database; transactions: TransactWriteCommandInput[] } {
  const transactions: TransactWriteCommandInput[] = [];
  const client = new Proxy(local.db.client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return (command: { input: unknown }) => {
        if (command instanceof TransactWriteCommand) transactions.push(command.input);
        return target.send(command as TransactWriteCommand);
      };
    },
  });
  return { db: { client, tableName: local.db.tableName }, transactions };
}

const putsOf = (tx: TransactWriteCommandInput, entity: string) =>
  (tx.TransactItems ?? []).filter((i) => i.Put?.Item?.entity === entity).length;

describe('CSV import: rows many to a transaction', () => {
  it('writes 60 new members on one team in 3 transactions of up to 100 actions, the team checked once in each', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 100 });
    const s = uniqueSuffix();
    const team = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, {
      token: org.admin.accessToken,
      body: { name: 'Ops' },
    });
    const preview = await uploadOk(
      org,
      `email,name,team\n${Array.from({ length: 60 }, (_, i) => `pack${i}-${s}@x.test,Pack ${i},ops`).join('\n')}`,
    );
    expect(preview.counts.toImport).toBe(60);
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    const recording = recordingDb();
    const result = await processBatch({ ...deps, db: recording.db }, job, 0, {
      org: (await getOrg(local.db, org.orgId, true))!,
      teams: new Map(),
    });
    expect(result.marker.created).toHaveLength(60);
    const rowTransactions = recording.transactions.filter((tx) => putsOf(tx, MEMBERSHIP_ENTITY) > 0);
    // A new member "Pack N" is 4 actions (audit event, membership, user, email claim); its three search entries
    // (the name from its first word, from its second word, and the email) were batch-written before: 24 rows +
    // the shared team check fit in 97.
    expect(rowTransactions.map((tx) => putsOf(tx, MEMBERSHIP_ENTITY))).toEqual([24, 24, 12]);
    expect(
      rowTransactions
        .flatMap((tx) => tx.TransactItems ?? [])
        .filter((i) => i.Put?.Item?.entity === MEMBER_SEARCH_ENTITY),
    ).toEqual([]);
    // The admin's entries and three for each of the 60.
    expect(await expectSearchItemsMatchMembers(local.db, org.orgId)).toBeGreaterThanOrEqual(180);
    for (const tx of rowTransactions) {
      expect(tx.TransactItems!.length).toBeLessThanOrEqual(100);
      expect(tx.TransactItems!.filter((i) => i.ConditionCheck).map((i) => i.ConditionCheck!.Key)).toEqual([
        teamKey(org.orgId, team.json.teamId),
      ]);
    }
    const members = await membershipsInTable(local.db, org.orgId);
    expect(members.filter((m) => m.teamId === team.json.teamId)).toHaveLength(60);
    const audit = await auditEventsInTable(local.db, org.orgId);
    expect(
      audit.filter(
        (e) => e.action === 'member.added' && (e.after as { importId?: string }).importId === preview.importId,
      ),
    ).toHaveLength(60);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 61, activeAdmins: 1 });
  });

  it('a row refused inside a shared transaction is skipped with its reason; the others of that transaction are still imported', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 100 });
    const s = uniqueSuffix();
    const emails = Array.from({ length: 30 }, (_, i) => `mixed${i}-${s}@x.test`);
    const preview = await uploadOk(org, `email,name\n${emails.map((e) => `${e},Mixed`).join('\n')}`);
    // A Roster user record holds line 7's address without an identity of the same id (an identity deleted at the
    // provider, say): the preview and the batch's re-check let the row through; only its transaction can refuse it.
    await local.db.client.send(
      new PutCommand({
        TableName: local.db.tableName,
        Item: { ...emailClaimKey(emails[5]!), entity: 'emailClaim', userId: 'someone-else', email: emails[5] },
      }),
    );
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    const result = await processBatch(deps, job, 0, {
      org: (await getOrg(local.db, org.orgId, true))!,
      teams: new Map(),
    });
    expect(result.marker.created).toEqual(Array.from({ length: 30 }, (_, i) => i + 2).filter((line) => line !== 7));
    expect(result.marker.skipped).toEqual([
      { line: 7, code: 'email_taken', message: expect.stringContaining(emails[5]!) },
    ]);
    const members = await membershipsInTable(local.db, org.orgId);
    expect(members.map((m) => m.email).sort()).toEqual([org.admin.email, ...emails.filter((_, i) => i !== 5)].sort());
    const audit = await auditEventsInTable(local.db, org.orgId);
    expect(
      audit.filter(
        (e) => e.action === 'member.added' && (e.after as { importId?: string }).importId === preview.importId,
      ),
    ).toHaveLength(29);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 30, activeAdmins: 1 });
    // Line 7's search items, put before its transaction, went with its refusal.
    await expectSearchItemsMatchMembers(local.db, org.orgId);
  });
});

describe('CSV import: search items put before the transactions', () => {
  it('a new person whose address is taken between the claims read and the transaction is skipped, and their search items go', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const s = uniqueSuffix();
    const emails = [1, 2, 3].map((i) => `race${i}-${s}@x.test`);
    const preview = await uploadOk(org, `email,name\n${emails.map((e, i) => `${e},Race Person ${i}`).join('\n')}`);
    const job = await getImportJob(local.db, org.orgId, preview.importId);
    let taken = false;
    // Someone else claims line 3's address just before the rows' first transaction.
    const racing = new Proxy(local.db.client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return async (command: { input: unknown }) => {
          if (!taken && command instanceof TransactWriteCommand && putsOf(command.input, MEMBERSHIP_ENTITY) > 0) {
            taken = true;
            await target.send(
              new PutCommand({
                TableName: local.db.tableName,
                Item: { ...emailClaimKey(emails[1]!), entity: 'emailClaim', userId: 'someone-else', email: emails[1] },
              }),
            );
          }
          return target.send(command as TransactWriteCommand);
        };
      },
    });
    const result = await processBatch({ ...deps, db: { client: racing, tableName: local.db.tableName } }, job, 0, {
      org: (await getOrg(local.db, org.orgId, true))!,
      teams: new Map(),
    });
    expect(taken).toBe(true);
    expect(result.marker.created).toEqual([2, 4]);
    expect(result.marker.skipped).toEqual([{ line: 3, code: 'email_taken', message: expect.any(String) }]);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 3, activeAdmins: 1 });
    await expectSearchItemsMatchMembers(local.db, org.orgId);
  });
});

describe('CSV import: seats under concurrency', () => {
  it('manual adds during the import never push seats over the limit', async () => {
    const maxSeats = 40;
    const org = await local.seedOperatorAndOrg({ maxSeats });
    const s = uniqueSuffix();
    const preview = await uploadOk(
      org,
      `email,name\n${Array.from({ length: 39 }, (_, i) => `bulk${i}-${s}@x.test,Bulk ${i}`).join('\n')}`,
    );
    expect(preview.counts.toImport).toBe(39);
    const commit = local.api('POST', `${imports(org)}/${preview.importId}/commit`, { token: org.admin.accessToken });
    const manual = Array.from({ length: 12 }, (_, i) =>
      local.api('POST', `/v1/orgs/${org.orgId}/members`, {
        token: org.admin.accessToken,
        body: { name: `Manual ${i}`, email: `manual${i}-${s}@x.test`, role: 'member' },
      }),
    );
    const [committed, ...adds] = await Promise.all([commit, ...manual]);
    expect(committed.status, committed.text).toBe(202);
    const done = await waitFinished(org, preview.importId);
    const manualAdded = adds.filter((a) => a.status === 201).length;
    for (const a of adds) if (a.status !== 201) expectProblem(a, 409, 'seat_limit_reached');
    expect(done.created + manualAdded).toBe(39);
    expect(done.created + (done.skippedByReason.seat_limit_reached ?? 0)).toBe(39);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: maxSeats, activeAdmins: 1 });
    await expectNoOpenReservations(preview.importId);
  });
});

describe('CSV import: cancel', () => {
  it('cancels a validated import at once; it can then not be committed', async () => {
    const org = await local.seedOperatorAndOrg();
    const preview = await uploadOk(org, `email,name\nx-${uniqueSuffix()}@x.test,X`);
    const cancel = await local.api('POST', `${imports(org)}/${preview.importId}/cancel`, {
      token: org.admin.accessToken,
    });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.json.status).toBe('cancelled');
    expectProblem(
      await local.api('POST', `${imports(org)}/${preview.importId}/commit`, { token: org.admin.accessToken }),
      409,
      'import_not_committable',
    );
    expectProblem(
      await local.api('POST', `${imports(org)}/${preview.importId}/cancel`, { token: org.admin.accessToken }),
      409,
      'import_finished',
    );
  });

  it('an unknown import is 404', async () => {
    const org = await local.seedOperatorAndOrg();
    expectProblem(
      await local.api('GET', `${imports(org)}/00000000-0000-4000-8000-000000000000`, { token: org.admin.accessToken }),
      404,
    );
  });
});

describe('CSV import: bad files', () => {
  let org: SeededOrg;
  beforeAll(async () => {
    org = await local.seedOperatorAndOrg();
  });

  it('not CSV: a JSON body, binary bytes, invalid UTF-8, an unclosed quote', async () => {
    expectFieldProblem(
      await upload(org, '{"email":"a@b.test"}', 'mode=add', 'application/json'),
      'headers.content-type',
    );
    expectFieldProblem(
      await upload(org, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])),
      'body',
    );
    expectFieldProblem(
      await upload(org, Buffer.concat([Buffer.from('email,name\n'), Buffer.from([0xc3, 0x28]), Buffer.from(',x\n')])),
      'body',
    );
    expectFieldProblem(await upload(org, 'email,name\n"a@b.test,x\n'), 'body');
    expectFieldProblem(await upload(org, ''), 'body');
  });

  it('wrong header: unknown, missing or repeated columns', async () => {
    expectFieldProblem(await upload(org, 'mail,name\na@b.test,A\n'), 'body.header');
    expectFieldProblem(await upload(org, 'email,role\na@b.test,member\n'), 'body.header');
    expectFieldProblem(await upload(org, 'email,name,email\na@b.test,A,a@b.test\n'), 'body.header');
    expectFieldProblem(await upload(org, 'email,name\n\n'), 'body');
  });

  it('mode is required and checked', async () => {
    expectFieldProblem(await upload(org, 'email,name\na@b.test,A\n', ''), 'query.mode');
    expectFieldProblem(await upload(org, 'email,name\na@b.test,A\n', 'mode=merge'), 'query.mode');
  });

  it('over the row or byte limit: 413', async () => {
    const tooMany = `email,name\n${Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => `u${i}@x.test,U`).join('\n')}\n`;
    expectProblem(await upload(org, tooMany), 413, 'payload_too_large');
    const tooBig = `email,name\n${'a@x.test,'.padEnd(IMPORT_MAX_BYTES, 'n')}\n`;
    expectProblem(await upload(org, tooBig), 413, 'payload_too_large');
  });
});
