/**
 * SCIM deactivation and removal read the member, their SCIM profile and their other
 * memberships in ONE Query of the user's GSI1 partition (DESIGN.md §5). The index may lag the
 * table; DynamoDB Local keeps its indexes in step, so the lag is played by `laggingIndex`
 * (the first index Query answers what the index showed earlier, or lets a write land after
 * it): every such read must end in a failed condition and a strong retry, never in a lost or
 * wrong change. Profiles written before profiles had an index entry take the same retry once.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoundTripCounter } from '../../bench/round-trip-counter.js';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import type { Database } from '../../shared/data/dynamo-client.js';
import {
  membershipKey,
  memberListIndex,
  scimUserProfileKey,
  userMembershipsPartition,
} from '../../shared/data/keys.js';
import { indexKeyAttributes } from '../../shared/data/table-definition.js';
import { changeScimUser, deleteScimUser, scimStateOf } from '../../shared/scim/scim-users.js';
import { patchOperationsOf } from '../../shared/scim/patch-operations.js';
import { applyUserPatch } from '../../shared/scim/user-patch.js';
import { auditEventsInTable, expectCountersMatchItems, orgItemsInTable } from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { newScimUser, scimClient, scimPatch, type ScimClient } from '../helpers/scim-client.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const DEACTIVATE = scimPatch({ op: 'replace', value: { active: false } });
const REACTIVATE = scimPatch({ op: 'replace', path: 'active', value: true });

type Send = (command: unknown) => Promise<unknown>;

/**
 * The test file's table behind an index that lags: the first GSI1 Query is answered by
 * `firstIndexQuery` (given the real answer's thunk), every other request by the table.
 * `sent` lists the commands in order.
 */
function laggingIndex(firstIndexQuery: (real: () => Promise<unknown>) => Promise<unknown>): {
  db: Database;
  sent: string[];
} {
  const sent: string[] = [];
  let lagged = false;
  const client = new Proxy(local.db.client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      const send = (target.send as Send).bind(target);
      return (command: unknown) => {
        sent.push((command as object).constructor.name);
        if (
          !lagged &&
          command instanceof QueryCommand &&
          command.input.IndexName === memberListIndex.byMembershipsOfUser
        ) {
          lagged = true;
          return firstIndexQuery(() => send(command));
        }
        return send(command);
      };
    },
  });
  return { db: { ...local.db, client }, sent };
}

/** What the index shows of the user's partition right now (to be served later, stale). */
async function indexSnapshot(userId: string): Promise<unknown> {
  const names = indexKeyAttributes(memberListIndex.byMembershipsOfUser);
  return local.db.client.send(
    new QueryCommand({
      TableName: local.db.tableName,
      IndexName: memberListIndex.byMembershipsOfUser,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': names.partitionKey },
      ExpressionAttributeValues: { ':pk': userMembershipsPartition(userId) },
    }),
  );
}

const scimAudit = (idp: ScimClient): AuditContext => ({
  actor: { type: 'scim', id: idp.token.tokenId },
  ip: null,
  userAgent: 'test',
  requestId: null,
  now: new Date(),
});
const deps = (db: Database) => ({ db, identity: local.server.identity });
const deactivateVia = (db: Database, idp: ScimClient, org: SeededOrg, userId: string) =>
  changeScimUser(
    deps(db),
    org.orgId,
    userId,
    (current) => applyUserPatch(scimStateOf(current), patchOperationsOf(DEACTIVATE)),
    scimAudit(idp),
    true,
  );

async function item(key: { PK: string; SK: string }) {
  return (await local.db.client.send(new GetCommand({ TableName: local.db.tableName, Key: key, ConsistentRead: true })))
    .Item;
}

/** A profile as written before profiles had an index entry. */
async function dropProfileIndexEntry(orgId: string, userId: string) {
  const names = indexKeyAttributes(memberListIndex.byMembershipsOfUser);
  await local.db.client.send(
    new UpdateCommand({
      TableName: local.db.tableName,
      Key: scimUserProfileKey(orgId, userId),
      UpdateExpression: 'REMOVE #pk, #sk',
      ExpressionAttributeNames: { '#pk': names.partitionKey, '#sk': names.sortKey },
    }),
  );
}

function countOperations(): RoundTripCounter {
  const counter = new RoundTripCounter();
  counter.install(local.db.client);
  counter.reset();
  return counter;
}
const operationCommands = (counter: RoundTripCounter) =>
  counter
    .taken()
    .filter((t) => t.origin === 'operation')
    .map((t) => t.command);

async function scimSetup() {
  const org = await local.seedOperatorAndOrg({ maxSeats: 20 });
  const idp = await scimClient(local, org);
  return { org, idp };
}

describe("deactivation and removal: one Query, then the transaction (the user and org for the ownership rule come with the token's read)", () => {
  it('reads the member, profile and other memberships in one Query; /me and sign-in still see memberships only', async () => {
    const { org, idp } = await scimSetup();
    const other = await local.seedOperatorAndOrg();
    const externalId = `ext-${uniqueSuffix()}`;
    const user = await idp.createUser(newScimUser({ externalId }));
    const added = await local.api('POST', `/v1/orgs/${other.orgId}/members`, {
      token: other.admin.accessToken,
      body: { name: 'Two Orgs', email: user.userName, role: 'member' },
    });
    expect(added.status, added.text).toBe(201);
    await local.setPassword(user.id, TEST_PASSWORD);
    const { accessToken } = await local.signIn(user.userName, TEST_PASSWORD);
    const me = await local.api('GET', '/v1/me', { token: accessToken });
    expect(me.status, me.text).toBe(200);
    expect((me.json.memberships as { orgId: string }[]).map((m) => m.orgId).sort()).toEqual(
      [org.orgId, other.orgId].sort(),
    );

    const counter = countOperations();
    const res = await idp.send('PATCH', `/Users/${user.id}`, DEACTIVATE);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ active: false, externalId, name: { givenName: 'Sam' } });
    expect(operationCommands(counter)).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    // Still active in the other org: the sessions live on.
    expect((await local.api('GET', '/v1/me', { token: accessToken })).status).toBe(200);

    await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
      token: org.admin.accessToken,
      body: { scim: { deleteAction: 'remove' } },
    });
    counter.reset();
    expect((await idp.send('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect(operationCommands(counter)).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMUSER#${user.id}`)).toEqual([]);
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMEXT#${externalId}`)).toEqual([]);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('handles a profile written before profiles had an index entry: one strong retry, which adds the entry', async () => {
    const { org, idp } = await scimSetup();
    const externalId = `ext-${uniqueSuffix()}`;
    const user = await idp.createUser(newScimUser({ externalId }));
    await dropProfileIndexEntry(org.orgId, user.id);

    const counter = countOperations();
    const res = await idp.send('PATCH', `/Users/${user.id}`, DEACTIVATE);
    expect(res.status, res.text).toBe(200);
    // The index read missed the profile: had the change gone through, it would answer without the SCIM attributes.
    expect(res.json).toMatchObject({ active: false, externalId, name: { givenName: 'Sam' } });
    const sent = operationCommands(counter);
    // The person has no other org: whether this org manages the account (and may end its sessions
    // everywhere) is decided from the user record and org the token's read brought along.
    expect(sent.slice(0, 2)).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    expect(sent.slice(2, 4).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(sent.slice(4)).toEqual(['TransactWriteItemsCommand']);
    expect(await item(scimUserProfileKey(org.orgId, user.id))).toMatchObject({
      externalId,
      version: 1,
      GSI1SK: `SCIM#ORG#${org.orgId}`,
    });

    // From then on the one Query finds it.
    expect((await idp.send('PATCH', `/Users/${user.id}`, REACTIVATE)).status).toBe(200);
    counter.reset();
    expect((await idp.send('PATCH', `/Users/${user.id}`, DEACTIVATE)).status).toBe(200);
    expect(operationCommands(counter)).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    expect(await item(membershipKey(org.orgId, user.id))).toMatchObject({ status: 'deprovisioned' });
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('removes a member whose profile has no index entry with the profile and externalId claim, so the IdP can create them again', async () => {
    const { org, idp } = await scimSetup();
    await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
      token: org.admin.accessToken,
      body: { scim: { deleteAction: 'remove' } },
    });
    const externalId = `ext-${uniqueSuffix()}`;
    const body = newScimUser({ externalId });
    const user = await idp.createUser(body);
    await dropProfileIndexEntry(org.orgId, user.id);

    expect((await idp.send('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect(await item(membershipKey(org.orgId, user.id))).toBeUndefined();
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMUSER#${user.id}`)).toEqual([]);
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMEXT#${externalId}`)).toEqual([]);
    expect((await idp.createUser(body)).id).toBe(user.id);
    await expectCountersMatchItems(local.db, org.orgId);
  });
});

describe('a lagging index read never loses or corrupts a change', () => {
  it('a PATCH landing between the Query and the transaction: the deactivation retries on a strong read, both changes kept', async () => {
    const { org, idp } = await scimSetup();
    const user = await idp.createUser();
    const { db, sent } = laggingIndex(async (real) => {
      const answer = await real();
      const concurrent = await idp.send(
        'PATCH',
        `/Users/${user.id}`,
        scimPatch({ op: 'replace', path: 'name.givenName', value: 'Concurrent' }),
      );
      expect(concurrent.status, concurrent.text).toBe(200);
      return answer;
    });
    const result = await deactivateVia(db, idp, org, user.id);
    expect(result.membership.status).toBe('deprovisioned');
    expect(result.profile?.givenName).toBe('Concurrent');
    expect(sent.filter((c) => c === 'TransactWriteCommand')).toHaveLength(2);
    expect(await item(membershipKey(org.orgId, user.id))).toMatchObject({
      status: 'deprovisioned',
      version: result.membership.version,
    });
    expect(await item(scimUserProfileKey(org.orgId, user.id))).toMatchObject({ givenName: 'Concurrent', version: 2 });
    const actions = (await auditEventsInTable(local.db, org.orgId))
      .filter((e) => (e.target as { id?: string } | undefined)?.id === user.id)
      .map((e) => e.action);
    expect(actions.filter((a) => a === 'member.deprovisioned')).toHaveLength(1);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('an index still showing a reactivated member as deprovisioned: PATCH active=false and DELETE still deprovision', async () => {
    const { org, idp } = await scimSetup();
    const user = await idp.createUser();
    expect((await idp.send('PATCH', `/Users/${user.id}`, DEACTIVATE)).status).toBe(200);
    const stale = await indexSnapshot(user.id);
    expect((await idp.send('PATCH', `/Users/${user.id}`, REACTIVATE)).status).toBe(200);

    // As read, nothing to do; the check of the version read fails and the strong retry deprovisions.
    const patched = laggingIndex(() => Promise.resolve(stale));
    expect((await deactivateVia(patched.db, idp, org, user.id)).membership.status).toBe('deprovisioned');
    expect(patched.sent.filter((c) => c === 'TransactWriteCommand')).toHaveLength(2);
    expect(await item(membershipKey(org.orgId, user.id))).toMatchObject({ status: 'deprovisioned' });

    expect((await idp.send('PATCH', `/Users/${user.id}`, REACTIVATE)).status).toBe(200);
    const deleted = laggingIndex(() => Promise.resolve(stale));
    await deleteScimUser(deps(deleted.db), org.orgId, user.id, 'deprovision', scimAudit(idp));
    expect(deleted.sent.filter((c) => c === 'TransactWriteCommand')).toHaveLength(2);
    expect(await item(membershipKey(org.orgId, user.id))).toMatchObject({ status: 'deprovisioned' });
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('an index not yet showing a just-created member: read strongly instead of answering 404', async () => {
    const { org, idp } = await scimSetup();
    const [first, second] = [
      await idp.createUser(newScimUser({ externalId: `ext-${uniqueSuffix()}` })),
      await idp.createUser(),
    ];
    const empty = { Items: [], Count: 0, ScannedCount: 0, $metadata: {} };

    const patched = laggingIndex(() => Promise.resolve(empty));
    expect((await deactivateVia(patched.db, idp, org, first.id)).membership.status).toBe('deprovisioned');
    // The strong read of the member, then (no other org) the user and org for the account-ownership rule.
    expect(patched.sent).toEqual(['QueryCommand', 'BatchGetCommand', 'BatchGetCommand', 'TransactWriteCommand']);

    const removed = laggingIndex(() => Promise.resolve(empty));
    await deleteScimUser(deps(removed.db), org.orgId, second.id, 'remove', scimAudit(idp));
    expect(await item(membershipKey(org.orgId, second.id))).toBeUndefined();
    expect(await orgItemsInTable(local.db, org.orgId, `SCIMUSER#${second.id}`)).toEqual([]);
    await expectCountersMatchItems(local.db, org.orgId);
  });
});
