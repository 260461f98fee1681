import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newUserRecord, type IdentityState, type User } from './user.js';
import { ConcurrentModificationError, ConflictError } from '../errors.js';
import { emailClaimKey, normalizeEmail, userKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { check, put, remove, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { writeStep } from '../data/conditional-write.js';
import { batchGetAll } from '../data/batch-get.js';
import { newId } from '../ids.js';

export const USER_ENTITY = 'user';
const EMAIL_CLAIM_ENTITY = 'emailClaim';

/** Claims an email for a user as a step of a transaction; fails while anyone holds it. */
export function emailClaimStep(
  db: Database,
  userId: string,
  email: string,
  onConditionFailed?: TransactionStep['onConditionFailed'],
): TransactionStep {
  const normalized = normalizeEmail(email);
  return put(
    db,
    { ...emailClaimKey(normalized), entity: EMAIL_CLAIM_ENTITY, userId, email: normalized },
    'attribute_not_exists(PK)',
    onConditionFailed,
  );
}

export function userToItem(user: User): Record<string, unknown> {
  return { ...userKey(user.userId), entity: USER_ENTITY, ...user };
}

export function userFromItem(item: Record<string, unknown>): User {
  return {
    userId: item.userId as string,
    email: item.email as string,
    name: item.name as string,
    authSource: (item.authSource as User['authSource'] | undefined) ?? { kind: 'password' },
    mfaEnabled: item.mfaEnabled === true,
    sessionsRevokedAt: (item.sessionsRevokedAt as string | undefined) ?? null,
    lastLoginAt: (item.lastLoginAt as string | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    createdByOrgId: (item.createdByOrgId as string | null | undefined) ?? null,
    platformOperator: item.platformOperator === true,
    ...(item.identityState === 'pending' || item.identityState === 'created'
      ? { identityState: item.identityState as IdentityState }
      : {}),
    ...(typeof item.identitySubject === 'string' ? { identitySubject: item.identitySubject } : {}),
  };
}

export async function getUser(db: Database, userId: string): Promise<User | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: userKey(userId), ConsistentRead: true }),
  );
  return Item ? userFromItem(Item) : undefined;
}

/**
 * Records a sign-in on the user record (time and the provider's MFA state); false when there is no
 * record. With the provider's username (`subject`), also that the identity exists: one Cognito
 * created through the user-migration trigger is first known here (identityToMigrate).
 */
export function recordUserSignIn(
  db: Database,
  userId: string,
  at: string,
  mfaEnabled: boolean,
  subject?: string,
): Promise<boolean> {
  const ownSubject = subject !== undefined && subject !== userId;
  return writeStep(
    db,
    update(db, {
      key: userKey(userId),
      updateExpression: `SET lastLoginAt = :at, mfaEnabled = :mfa${subject === undefined ? '' : ', identityState = :created'}${ownSubject ? ', identitySubject = :subject' : ''}`,
      condition: 'attribute_exists(PK)',
      values: {
        ':at': at,
        ':mfa': mfaEnabled,
        ...(subject === undefined ? {} : { ':created': 'created' }),
        ...(ownSubject ? { ':subject': subject } : {}),
      },
    }),
  );
}

/** Records that the person turned MFA on or off; false when there is no record or nothing changed. */
export function recordUserMfaChange(db: Database, userId: string, enabled: boolean, at: string): Promise<boolean> {
  return writeStep(
    db,
    update(db, {
      key: userKey(userId),
      updateExpression: 'SET mfaEnabled = :mfa, mfaChangedAt = :at',
      // Only a change is written: mfaChangedAt is when it changed.
      condition: 'attribute_exists(PK) AND (attribute_not_exists(mfaEnabled) OR mfaEnabled <> :mfa)',
      values: { ':mfa': enabled, ':at': at },
    }),
  );
}

/**
 * Remembers that the user is a platform operator (no org manages their account): the user record
 * is where account rules read it. False when the record is gone.
 */
export function recordPlatformOperator(db: Database, userId: string): Promise<boolean> {
  return writeStep(
    db,
    update(db, {
      key: userKey(userId),
      updateExpression: 'SET platformOperator = :true',
      condition: 'attribute_exists(PK)',
      values: { ':true': true },
    }),
  );
}

/** Records that the user's identity now exists at the provider (with its subject when that differs from the user id). */
export async function recordIdentityCreated(db: Database, userId: string, subject: string | undefined): Promise<void> {
  await db.client.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: userKey(userId),
      UpdateExpression: subject
        ? 'SET identityState = :created, identitySubject = :subject'
        : 'SET identityState = :created',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':created': 'created', ...(subject ? { ':subject': subject } : {}) },
    }),
  );
}

/** The user id holding an email, if any (strongly consistent). */
export async function findUserIdByEmail(db: Database, email: string): Promise<string | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: emailClaimKey(email), ConsistentRead: true }),
  );
  return Item?.userId as string | undefined;
}

/**
 * Records a user and claims their email, idempotently: a concurrent or repeated call for the
 * same identity succeeds; an email held by a different user is a conflict.
 */
export async function ensureUserRecord(db: Database, user: User): Promise<void> {
  const email = normalizeEmail(user.email);
  try {
    await transactWrite(db, [
      put(db, userToItem({ ...user, email }), 'attribute_not_exists(PK)'),
      emailClaimStep(db, user.userId, email),
    ]);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const holder = await findUserIdByEmail(db, email);
    if (holder !== user.userId) throw new ConflictError(`The email ${email} belongs to another user`, 'email_taken');
  }
}

/** The person a change attaches a membership to: the Roster user holding the email, or a new one. */
export interface PersonToAttach {
  userId: string;
  /** The account's own (normalized) email: the existing user's, or the one given. */
  email: string;
  /** A new Roster user, whose identity at the provider is pending (created when first needed). */
  isNew: boolean;
  /** Steps for the change's transaction: the new user's record and email claim, or a check that the holder's record exists. */
  steps: TransactionStep[];
}

/**
 * The person for an email, from the email claim (`claimUserId`, read by the caller: one GetItem,
 * or a BatchGetItem for a bulk change): the holder, whose record must still exist when the change
 * commits, or a new Roster user with a fresh id and no identity at the provider yet (lazy
 * identities: no provider call on the way in). Two changes creating the same new person race on
 * the email claim: the loser fails with ConcurrentModificationError and, retried, attaches the winner.
 */
export function personSteps(
  db: Database,
  profile: { email: string; name: string },
  claimUserId: string | undefined,
  now: Date,
  orgId: string,
  /** A new user's id when the caller must know it beforehand (an import row's: derived, so a replay finds it); fresh otherwise. */
  newUserId: string = newId(),
): PersonToAttach {
  const email = normalizeEmail(profile.email);
  if (claimUserId) {
    return {
      userId: claimUserId,
      email,
      isNew: false,
      // A claim whose user record is gone (never expected) must not get a membership: the email is not free either.
      steps: [
        check(
          db,
          { key: userKey(claimUserId), condition: 'attribute_exists(PK)' },
          () => new ConflictError(`The email ${email} belongs to another user`, 'email_taken'),
        ),
      ],
    };
  }
  const at = now.toISOString();
  const record = newUserRecord({ userId: newUserId, email, name: profile.name, createdByOrgId: orgId }, at, {
    identityState: 'pending',
  });
  return {
    userId: record.userId,
    email,
    isNew: true,
    steps: [
      put(db, userToItem(record), 'attribute_not_exists(PK)'),
      emailClaimStep(
        db,
        record.userId,
        email,
        () => new ConcurrentModificationError(`${email} is being added by another request; retry`),
      ),
    ],
  };
}

/** The user id holding each email (normalized), one consistent BatchGetItem per 100 emails. */
export async function findUserIdsByEmail(db: Database, emails: readonly string[]): Promise<Map<string, string>> {
  const claims = await batchGetAll(db, [...new Set(emails.map(normalizeEmail))].map(emailClaimKey));
  return new Map(claims.map((claim) => [claim.email as string, claim.userId as string]));
}

/**
 * The user record a change needs, without a round trip of its own for a new identity: an
 * identity the provider just created has no Roster record yet, so its record and email claim
 * become steps of the change's transaction; an existing identity's record is read (and, if a
 * concurrent request has not committed it yet, created the same way).
 */
export async function userRecordSteps(
  db: Database,
  identity: { userId: string; created: boolean },
  profile: { email: string; name: string },
  now: Date,
  /** The org making the change: it created the account when the provider just did (DESIGN.md section 1, "manages"). */
  orgId: string,
): Promise<{ user: User | undefined; steps: TransactionStep[] }> {
  const user = identity.created ? undefined : await getUser(db, identity.userId);
  if (user) return { user, steps: [] };
  const at = now.toISOString();
  const email = normalizeEmail(profile.email);
  const record = newUserRecord(
    {
      userId: identity.userId,
      email,
      name: profile.name,
      // Only a brand-new identity is this org's creation; an identity that merely lacked a record is not.
      createdByOrgId: identity.created ? orgId : null,
    },
    at,
  );
  return {
    user: undefined,
    steps: [
      put(
        db,
        userToItem(record),
        'attribute_not_exists(PK)',
        () => new ConcurrentModificationError('The same person is being added by another request; retry'),
      ),
      emailClaimStep(
        db,
        identity.userId,
        email,
        () => new ConflictError(`The email ${email} belongs to another user`, 'email_taken'),
      ),
    ],
  };
}

/** Releases the user's claim on an address (only while it is theirs), as a step of an email change. */
export function releaseEmailClaimStep(db: Database, userId: string, email: string): TransactionStep {
  return remove(db, emailClaimKey(email), { expression: 'userId = :me', values: { ':me': userId } });
}

/** The user record's new address, as a step of an email change (the record must exist). */
export function userEmailStep(db: Database, userId: string, email: string): TransactionStep {
  return update(db, {
    key: userKey(userId),
    updateExpression: 'SET email = :email',
    condition: 'attribute_exists(PK)',
    values: { ':email': email },
  });
}

/** Tokens issued before `now` are refused from the next request on, in every org (see authorize). */
export function userSessionsRevokedStep(db: Database, userId: string, now: Date): TransactionStep {
  return update(db, {
    key: userKey(userId),
    updateExpression: 'SET sessionsRevokedAt = :now',
    condition: 'attribute_exists(PK)',
    values: { ':now': now.toISOString() },
  });
}

/** Roster forgets the user's MFA state and ends their sessions (an admin's MFA reset), as a step. */
export function userMfaResetStep(db: Database, userId: string, now: Date): TransactionStep {
  return update(db, {
    key: userKey(userId),
    updateExpression: 'SET mfaEnabled = :off, mfaChangedAt = :now, sessionsRevokedAt = :now',
    condition: 'attribute_exists(PK)',
    values: { ':off': false, ':now': now.toISOString() },
  });
}
