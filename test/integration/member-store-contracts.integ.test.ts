import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll } from 'vitest';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import {
  emailClaimKey,
  memberMailKey,
  scimExternalIdKey,
  scimUserProfileKey,
  type ItemKey,
} from '../../shared/data/keys.js';
import { addMemberStore } from '../../shared/members/add-member-store.js';
import { bulkRoleStore } from '../../shared/members/bulk-role-store.js';
import { memberRemovalStore } from '../../shared/members/member-removal-store.js';
import { memberStatusStore } from '../../shared/members/member-status-store.js';
import { membershipToItem } from '../../shared/members/membership-repository.js';
import { replaceMemberStore } from '../../shared/members/replace-member-store.js';
import { getOrg, orgToItem } from '../../shared/orgs/org-repository.js';
import { profileWriteSteps } from '../../shared/scim/scim-user-repository.js';
import { teamToItem } from '../../shared/teams/team-repository.js';
import { emailClaimStep, getUser, userToItem } from '../../shared/users/user-repository.js';
import { ensureTable } from '../../local/ensure-table.js';
import { accountReader } from '../../shared/users/account-management.js';
import { accountReaderContract } from '../contracts/account-reader.js';
import { addMemberStoreContract } from '../contracts/add-member-store.js';
import { bulkRoleStoreContract } from '../contracts/bulk-role-store.js';
import { memberRemovalStoreContract } from '../contracts/member-removal-store.js';
import { memberStatusStoreContract } from '../contracts/member-status-store.js';
import type { MembersSubject } from '../contracts/member-world.js';
import { replaceMemberStoreContract } from '../contracts/replace-member-store.js';
import { InMemoryMembers, type MembersWorld } from '../fakes/in-memory-members.js';
import { auditEventsInTable } from '../helpers/assertions.js';

/**
 * The contracts of the member stores, run against the table (DynamoDB Local) and against the
 * in-memory fake the unit tests use (test/unit/members/*.test.ts,
 * test/unit/users/account-management-reader.test.ts): the fake answers as the table does, or
 * one of these fails.
 */
const db = database();
beforeAll(async () => {
  await ensureTable(config().dynamoDbEndpoint!, db.tableName);
});

const AT = '2026-11-01T09:00:00.000Z';

/** The world's items, put as the repositories write them: each user with their email claim. */
async function seedTable(world: MembersWorld): Promise<void> {
  const putItems = (steps: { item: { Put?: { Item?: Record<string, unknown> } } }[]) =>
    steps.flatMap((s) => (s.item.Put?.Item ? [s.item.Put.Item] : []));
  const items = [
    ...(world.orgs ?? []).map(orgToItem),
    ...(world.users ?? []).flatMap((u) => [userToItem(u), ...putItems([emailClaimStep(db, u.userId, u.email)])]),
    ...(world.memberships ?? []).map(membershipToItem),
    ...(world.teams ?? []).map((t) =>
      teamToItem({ ...t, name: t.teamId, description: null, createdAt: AT, updatedAt: AT, version: 1 }),
    ),
    ...(world.scimProfiles ?? []).flatMap((p) =>
      putItems(
        profileWriteSteps(db, p.orgId, p.userId, { profile: undefined, version: p.version - 1 }, p.profile).steps,
      ),
    ),
  ];
  for (const Item of items) await db.client.send(new PutCommand({ TableName: db.tableName, Item }));
}

async function itemAt(key: ItemKey): Promise<Record<string, unknown> | undefined> {
  return (await db.client.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }))).Item;
}

/** A provider that records the addresses an email change gives it. */
class RecordingIdentity {
  readonly emails = new Map<string, string>();
  updateEmail(userId: string, email: string): Promise<void> {
    this.emails.set(userId, email);
    return Promise.resolve();
  }
}

function tableSubject<Store>(store: (identity: RecordingIdentity) => Store): () => MembersSubject<Store> {
  return () => {
    const identity = new RecordingIdentity();
    return {
      store: store(identity),
      seed: seedTable,
      org: (orgId) => getOrg(db, orgId, true),
      user: (userId) => getUser(db, userId),
      auditActions: async (orgId) => (await auditEventsInTable(db, orgId)).map((e) => String(e.action)),
      claimOf: async (email) => (await itemAt(emailClaimKey(email)))?.userId as string | undefined,
      scimProfileVersion: async (orgId, userId) =>
        (await itemAt(scimUserProfileKey(orgId, userId)))?.version as number | undefined,
      externalIdHolder: async (orgId, externalId) =>
        (await itemAt(scimExternalIdKey(orgId, externalId)))?.userId as string | undefined,
      confirmationMailed: async (orgId, userId) =>
        (await itemAt(memberMailKey(orgId, userId)))?.mail === 'email_confirmation',
      identityEmail: (userId) => Promise.resolve(identity.emails.get(userId)),
    };
  };
}

function fakeSubject(): MembersSubject<InMemoryMembers> {
  const fake = new InMemoryMembers();
  return {
    store: fake,
    seed: (world) => Promise.resolve(fake.seed(world)),
    org: (orgId) => Promise.resolve(fake.org(orgId)),
    user: (userId) => Promise.resolve(fake.user(userId)),
    auditActions: (orgId) => Promise.resolve(fake.auditEvents.filter((e) => e.orgId === orgId).map((e) => e.action)),
    claimOf: (email) => Promise.resolve(fake.claimOf(email)),
    scimProfileVersion: (orgId, userId) => Promise.resolve(fake.scimProfile(orgId, userId)?.version),
    externalIdHolder: (orgId, externalId) => Promise.resolve(fake.externalIdHolder(orgId, externalId)),
    confirmationMailed: (orgId, userId) =>
      Promise.resolve(fake.emailConfirmations.some((c) => c.orgId === orgId && c.userId === userId)),
    identityEmail: (userId) => Promise.resolve(fake.identityEmails.get(userId)),
  };
}

memberStatusStoreContract(
  'DynamoDB (the table)',
  tableSubject(() => memberStatusStore(db)),
);
memberStatusStoreContract('in memory (the fake)', fakeSubject);

addMemberStoreContract(
  'DynamoDB (the table)',
  tableSubject(() => addMemberStore(db)),
);
addMemberStoreContract('in memory (the fake)', fakeSubject);

memberRemovalStoreContract(
  'DynamoDB (the table)',
  tableSubject(() => memberRemovalStore(db)),
);
memberRemovalStoreContract('in memory (the fake)', fakeSubject);

bulkRoleStoreContract(
  'DynamoDB (the table)',
  tableSubject(() => bulkRoleStore(db)),
);
bulkRoleStoreContract('in memory (the fake)', fakeSubject);

replaceMemberStoreContract(
  'DynamoDB (the table)',
  tableSubject((identity) => replaceMemberStore(db, identity)),
);
replaceMemberStoreContract('in memory (the fake)', fakeSubject);

accountReaderContract('DynamoDB (the table)', () => ({ reader: accountReader(db), seed: seedTable }));

accountReaderContract('in memory (the fake)', () => {
  const fake = new InMemoryMembers();
  return { reader: fake, seed: (world) => Promise.resolve(fake.seed(world)) };
});
