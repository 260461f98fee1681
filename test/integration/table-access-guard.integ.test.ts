/**
 * The local stack enforces each function's declared partition-key families as its IAM policy
 * does in AWS (local/table-access-guard.ts; the families are declared with each function: its
 * operation object, consumer entry or trigger entry): a command naming a leading key outside them
 * is refused, so a wrong declaration fails the tests that drive it.
 */
import { readdirSync } from 'node:fs';
import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardTableAccess, tableAccessOfFunction, withTableAccess } from '../../local/table-access-guard.js';
import { database } from '../../shared/data/dynamo-client.js';
import {
  auditEventKey,
  memberListIndex,
  orgKey,
  tokenKey,
  userKey,
  userMembershipsPartition,
} from '../../shared/data/keys.js';
import { FUNCTIONS_DIR } from '../../local/paths.js';
import { startLocalApi, type LocalApi } from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  // get-org's use case reads nothing beyond the pipeline's user and org: declared as user items only,
  // its authorization read of the org's partition must be refused.
  local = await startLocalApi({
    tableAccess: (handler) => (handler === 'orgs/get-org' ? ['USER'] : tableAccessOfFunction(handler)),
  });
  guardTableAccess(database().client);
});

afterAll(async () => {
  await local?.close();
});

const denied = { name: 'AccessDeniedException' };

describe('the local table-access guard', () => {
  it("checks every function by its declaration, the consumers' and triggers' too: none has the whole table, an undeclared module has nothing", () => {
    const modules = readdirSync(FUNCTIONS_DIR, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, '').replaceAll('\\', '/'));
    expect(modules.length).toBeGreaterThan(90);
    for (const name of modules) expect(tableAccessOfFunction(name), name).not.toBe('wholeTable');
    expect(tableAccessOfFunction('mail/send-outbox-mail')).toEqual(['ORG', 'OUTBOX']);
    expect(tableAccessOfFunction('triggers/pre-authentication')).toEqual(['ORG', 'SSODOMAIN', 'USER']);
    expect(tableAccessOfFunction('async/dispatch-stream-records')).toBe('none');
    expect(tableAccessOfFunction('no/such-function')).toBe('none');
  });

  it('answers 500 when a route touches a partition outside its declaration, and serves the routes declared right', async () => {
    const org = await local.seedOperatorAndOrg();
    const refused = await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken });
    expect(refused.status).toBe(500);
    const served = await local.api('GET', `/v1/orgs/${org.orgId}/members`, { token: org.admin.accessToken });
    expect(served.status, served.text).toBe(200);
  });

  it('checks the partition key of every item a command names, and the queried index partition, as LeadingKeys', async () => {
    const { client, tableName } = local.db;
    const get = (key: { PK: string; SK: string }) => client.send(new GetCommand({ TableName: tableName, Key: key }));
    await expect(withTableAccess('test', ['TOKEN'], () => get(tokenKey('x')))).resolves.toBeDefined();
    await expect(withTableAccess('test', ['TOKEN'], () => get(userKey('u')))).rejects.toMatchObject(denied);
    await expect(withTableAccess('test', 'none', () => get(tokenKey('x')))).rejects.toMatchObject(denied);

    // One key of a batch or of a transaction outside the families refuses the whole request.
    const batch = new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [orgKey('o'), userKey('u')] } } });
    await expect(withTableAccess('test', ['ORG'], () => client.send(batch))).rejects.toMatchObject(denied);
    const transaction = new TransactWriteCommand({
      TransactItems: [
        { ConditionCheck: { TableName: tableName, Key: orgKey('o'), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: tableName, Item: { ...auditEventKey('o', 't', 'e') } } },
      ],
    });
    await expect(withTableAccess('test', ['ORG'], () => client.send(transaction))).rejects.toMatchObject(denied);

    // On an index the leading key is the index's partition key: a user's memberships are USER#u in GSI1.
    const memberships = new QueryCommand({
      TableName: tableName,
      IndexName: memberListIndex.byMembershipsOfUser,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'GSI1PK' },
      ExpressionAttributeValues: { ':pk': userMembershipsPartition('u') },
    });
    await expect(withTableAccess('test', ['ORG'], () => client.send(memberships))).rejects.toMatchObject(denied);
    await expect(withTableAccess('test', ['USER'], () => client.send(memberships))).resolves.toBeDefined();

    // A Scan has no leading keys: only a function with the whole table may scan.
    const scan = new ScanCommand({ TableName: tableName, Limit: 1 });
    await expect(withTableAccess('test', ['ORG', 'USER'], () => client.send(scan))).rejects.toMatchObject(denied);
    await expect(withTableAccess('test', 'wholeTable', () => client.send(scan))).resolves.toBeDefined();
  });
});
