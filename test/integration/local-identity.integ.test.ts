import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config.js';
import { database, type Database } from '../../shared/data/dynamo-client.js';
import { randomUUID } from 'node:crypto';
import { IdentityNotFoundError } from '../../shared/identity/identity-port.js';
import { LocalIdentity } from '../../shared/identity/local-identity.js';
import { ensureTable } from '../../local/ensure-table.js';
import { uniqueSuffix } from '../helpers/local-api.js';

let db: Database;
let identity: LocalIdentity;

beforeAll(async () => {
  const { dynamoDbEndpoint, tableName } = config();
  await ensureTable(dynamoDbEndpoint!, tableName);
  db = database();
  identity = new LocalIdentity(db);
});

/** Every identity record in the table per email (a record whose claim lost a race must not stay behind). */
async function recordsByEmail(emails: string[]): Promise<Map<string, string[]>> {
  const wanted = new Set(emails);
  const records = new Map<string, string[]>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.client.send(
      new ScanCommand({
        TableName: db.tableName,
        FilterExpression: 'SK = :sk AND begins_with(PK, :user)',
        ExpressionAttributeValues: { ':sk': 'LOCAL_IDENTITY', ':user': 'USER#' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? [])
      if (wanted.has(item.email as string))
        records.set(item.email as string, [...(records.get(item.email as string) ?? []), item.userId as string]);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records;
}

describe('LocalIdentity: identities created for Roster users, lazily', () => {
  it('creates the identity under the Roster user id it is given, and answers the existing one for a known email', async () => {
    const s = uniqueSuffix();
    const userId = randomUUID();
    expect(await identity.ensureUser({ userId, email: ` New-${s}@X.test`, name: 'New' })).toEqual({
      userId,
      created: true,
    });
    expect(await identity.getUser(userId)).toMatchObject({ userId, email: `new-${s}@x.test`, enabled: true });
    // Asked again, for the same user or another id: the identity holding the email is answered.
    expect(await identity.ensureUser({ userId, email: `new-${s}@x.test`, name: 'x' })).toEqual({
      userId,
      created: false,
    });
    expect(await identity.ensureUser({ userId: randomUUID(), email: `new-${s}@x.test`, name: 'x' })).toEqual({
      userId,
      created: false,
    });
  });

  it('raced for one email by different user ids, one identity is created and every caller is answered with it', async () => {
    const s = uniqueSuffix();
    const emails = Array.from({ length: 20 }, (_, i) => `race${i}-${s}@x.test`);
    const answers = await Promise.all(
      emails.flatMap((email) =>
        [0, 1, 2].map(() => identity.ensureUser({ userId: randomUUID(), email, name: 'Race' })),
      ),
    );
    const records = await recordsByEmail(emails);
    for (const [i, email] of emails.entries()) {
      const mine = answers.slice(i * 3, i * 3 + 3);
      const winner = mine.find((a) => a.created)!.userId;
      expect(mine.filter((a) => a.created)).toHaveLength(1);
      expect(mine.every((a) => a.userId === winner)).toBe(true);
      expect(records.get(email)).toEqual([winner]);
    }
  });

  it('a user without an identity yet: the admin actions are no-ops, getUser answers nothing, setPassword says so', async () => {
    const userId = randomUUID();
    await identity.disableUser(userId);
    await identity.enableUser(userId);
    await identity.globalSignOut(userId);
    await identity.disableMfa(userId);
    await identity.updateEmail(userId, `nobody-${uniqueSuffix()}@x.test`);
    expect(await identity.getUser(userId)).toBeUndefined();
    await expect(identity.setPassword(userId, 'Pw-123456789!')).rejects.toBeInstanceOf(IdentityNotFoundError);
    // None of it created anything.
    expect(await identity.describe(userId)).toBeUndefined();
  });
});
