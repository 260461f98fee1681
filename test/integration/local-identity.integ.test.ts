import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config.js';
import { database, type Database } from '../../shared/data/dynamo-client.js';
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
    const page = await db.client.send(new ScanCommand({ TableName: db.tableName, FilterExpression: 'SK = :sk AND begins_with(PK, :user)', ExpressionAttributeValues: { ':sk': 'LOCAL_IDENTITY', ':user': 'USER#' }, ExclusiveStartKey }));
    for (const item of page.Items ?? []) if (wanted.has(item.email as string)) records.set(item.email as string, [...(records.get(item.email as string) ?? []), item.userId as string]);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records;
}

describe('LocalIdentity.ensureUsers (the local stand-in for a bulk import against Cognito)', () => {
  it('answers existing identities as they are and creates the others, keyed by normalized email', async () => {
    const s = uniqueSuffix();
    const existing = await identity.ensureUser({ email: `old-${s}@x.test`, name: 'Old' });
    const answers = await identity.ensureUsers([
      { email: `Old-${s}@X.test`, name: 'Old' },
      { email: `new1-${s}@x.test`, name: 'New 1' },
      { email: ` NEW1-${s}@x.test`, name: 'New 1 again' },
      { email: `new2-${s}@x.test`, name: 'New 2' },
    ]);
    expect([...answers.keys()].sort()).toEqual([`new1-${s}@x.test`, `new2-${s}@x.test`, `old-${s}@x.test`]);
    expect(answers.get(`old-${s}@x.test`)).toEqual({ userId: existing.userId, created: false });
    for (const email of [`new1-${s}@x.test`, `new2-${s}@x.test`]) {
      const answer = answers.get(email)!;
      expect(answer.created).toBe(true);
      expect(await identity.getUser(answer.userId)).toMatchObject({ email, enabled: true });
      // The next ensureUser finds it: the claim and the record were both written.
      expect(await identity.ensureUser({ email, name: 'x' })).toEqual({ userId: answer.userId, created: false });
    }
  });

  it('raced by single creations and another bulk call, every email ends with one identity, no stray record', async () => {
    const s = uniqueSuffix();
    const emails = Array.from({ length: 150 }, (_, i) => `race${i}-${s}@x.test`);
    const inputs = emails.map((email) => ({ email, name: 'Race' }));
    const [bulkA, bulkB, ...singles] = await Promise.all([
      identity.ensureUsers(inputs),
      identity.ensureUsers([...inputs].reverse()),
      ...emails.filter((_, i) => i % 3 === 0).map((email) => identity.ensureUser({ email, name: 'Single' })),
    ]);
    const records = await recordsByEmail(emails);
    for (const [i, email] of emails.entries()) {
      const winner = bulkA.get(email)!.userId;
      expect(bulkB.get(email)!.userId).toBe(winner);
      expect(records.get(email)).toEqual([winner]);
      if (i % 3 === 0) expect(singles[i / 3]!.userId).toBe(winner);
    }
    // Exactly one caller created each identity.
    const creations = emails.map((email, i) => [bulkA.get(email)!.created, bulkB.get(email)!.created, i % 3 === 0 ? singles[i / 3]!.created : false].filter(Boolean).length);
    expect(creations.every((n) => n === 1)).toBe(true);
  });
});
