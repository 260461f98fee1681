import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll } from 'vitest';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import { memberStatusStore } from '../../shared/members/member-status-store.js';
import { membershipToItem } from '../../shared/members/membership-repository.js';
import { getOrg, orgToItem } from '../../shared/orgs/org-repository.js';
import { getUser, userToItem } from '../../shared/users/user-repository.js';
import { ensureTable } from '../../local/ensure-table.js';
import { accountReader } from '../../shared/users/account-management.js';
import { accountReaderContract } from '../contracts/account-reader.js';
import { memberStatusStoreContract } from '../contracts/member-status-store.js';
import { InMemoryMembers, type MembersWorld } from '../fakes/in-memory-members.js';
import { auditEventsInTable } from '../helpers/assertions.js';

/**
 * The contracts of the member stores, run against the table (DynamoDB Local) and against the
 * in-memory fake the unit tests use (test/unit/members/change-member-status.test.ts,
 * test/unit/users/account-management-reader.test.ts): the fake answers as the table does, or
 * one of these fails.
 */
const db = database();
beforeAll(async () => {
  await ensureTable(config().dynamoDbEndpoint!, db.tableName);
});

/** The world's items, put as the repositories write them. */
async function seedTable(world: MembersWorld): Promise<void> {
  const items = [
    ...(world.orgs ?? []).map(orgToItem),
    ...(world.users ?? []).map(userToItem),
    ...(world.memberships ?? []).map(membershipToItem),
  ];
  for (const Item of items) await db.client.send(new PutCommand({ TableName: db.tableName, Item }));
}

memberStatusStoreContract('DynamoDB (the table)', () => ({
  store: memberStatusStore(db),
  seed: seedTable,
  org: (orgId) => getOrg(db, orgId, true),
  user: (userId) => getUser(db, userId),
  auditActions: async (orgId) => (await auditEventsInTable(db, orgId)).map((e) => String(e.action)),
}));

memberStatusStoreContract('in memory (the fake)', () => {
  const fake = new InMemoryMembers();
  return {
    store: fake,
    seed: (world) => Promise.resolve(fake.seed(world)),
    org: (orgId) => Promise.resolve(fake.org(orgId)),
    user: (userId) => Promise.resolve(fake.user(userId)),
    auditActions: (orgId) => Promise.resolve(fake.auditEvents.filter((e) => e.orgId === orgId).map((e) => e.action)),
  };
});

accountReaderContract('DynamoDB (the table)', () => ({ reader: accountReader(db), seed: seedTable }));

accountReaderContract('in memory (the fake)', () => {
  const fake = new InMemoryMembers();
  return { reader: fake, seed: (world) => Promise.resolve(fake.seed(world)) };
});
