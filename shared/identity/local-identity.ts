import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  LOCAL_IDP_LISTING_PARTITION,
  localClientProvidersKey,
  localFederatedLinkKey,
  localIdentityEmailKey,
  localIdentityKey,
  localIdentityProviderKey,
  localIdpIdentifierKey,
  localIdpListingKey,
  normalizeEmail,
} from '../data/keys.js';
import { newId } from '../ids.js';
import type { Database } from '../data/dynamo-client.js';
import { writeStep } from '../data/conditional-write.js';
import { put, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { ConflictError, NotFoundError } from '../errors.js';
import {
  IdentityNotFoundError,
  type EnsuredIdentity,
  type FederatedIdentity,
  type FederatedProvider,
  type IdentityPort,
  type IdentityUser,
  type ListedIdentityProvider,
  type NewIdentity,
} from './identity-port.js';
import { generateTotpSecret, matchTotpStep } from './totp.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

interface LocalIdentityRecord {
  userId: string;
  email: string;
  passwordHash: string | null;
  enabled: boolean;
  mfaEnabled: boolean;
  /** Cognito's `email_verified` (records from before it was kept count as verified). */
  emailVerified: boolean;
  groups: string[];
  signedOutAt: string | null;
  /** The software-token (TOTP) secret handed out by associateSoftwareToken; null when none. */
  totpSecret: string | null;
  /** True once a code of totpSecret was verified (Cognito's VerifySoftwareToken). */
  totpVerified: boolean;
  /** The last TOTP step accepted at sign-in: a code is good once. */
  totpLastStep: number | null;
  /** Set on an identity Cognito would create for a first federated sign-in (`<providerName>_<subject>`). */
  federated?: FederatedIdentity;
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt:${salt.toString('base64')}:${hash.toString('base64')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [, salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

const newRecord = (userId: string, email: string, emailVerified = false): LocalIdentityRecord => ({
  userId,
  email,
  passwordHash: null,
  enabled: true,
  mfaEnabled: false,
  emailVerified,
  groups: [],
  signedOutAt: null,
  totpSecret: null,
  totpVerified: false,
  totpLastStep: null,
});

export interface LocalAccount {
  userId: string;
  email: string;
  groups: string[];
  enabled: boolean;
  mfaEnabled: boolean;
  emailVerified: boolean;
  totpVerified: boolean;
  /** When every session was last ended (global sign-out); ISO, millisecond precision. */
  signedOutAt: string | null;
}

export type SignInResult =
  | { ok: true; userId: string; email: string; groups: string[]; mfaEnabled: boolean }
  | { ok: false; reason: 'invalid_credentials' | 'user_disabled' };

/**
 * The identity port for local mode and tests: identities live in the table (password hashes
 * by scrypt), so every flow that runs against Cognito in AWS runs here without an account.
 */
export class LocalIdentity implements IdentityPort {
  constructor(private readonly db: Database) {}

  async ensureUser(input: NewIdentity): Promise<EnsuredIdentity> {
    const email = normalizeEmail(input.email);
    const existing = await this.findByEmail(email);
    if (existing) return { userId: existing.userId, created: false };
    // The identity's id is the Roster user's: tokens issued for it carry that user id as `sub`.
    const record = newRecord(input.userId, email, input.emailVerified === true);
    try {
      await transactWrite(this.db, [
        this.claimStep(record),
        put(this.db, this.recordItem(record), 'attribute_not_exists(PK)'),
      ]);
      return { userId: record.userId, created: true };
    } catch (error) {
      // A concurrent call created it first: answer with that identity, as Cognito would.
      if (!(error instanceof ConflictError)) throw error;
      const winner = await this.findByEmail(email);
      if (!winner) throw error;
      return { userId: winner.userId, created: false };
    }
  }

  /** The email claim that makes an identity's email unique. */
  private claimStep(record: LocalIdentityRecord): TransactionStep {
    return put(
      this.db,
      { ...localIdentityEmailKey(record.email), userId: record.userId },
      'attribute_not_exists(PK)',
      () => new ConflictError('identity exists'),
    );
  }

  private recordItem(record: LocalIdentityRecord): Record<string, unknown> {
    return { ...localIdentityKey(record.userId), ...record };
  }

  async getUser(userId: string): Promise<IdentityUser | undefined> {
    const record = await this.record(userId);
    return (
      record && { userId: record.userId, email: record.email, enabled: record.enabled, mfaEnabled: record.mfaEnabled }
    );
  }

  disableUser(userId: string): Promise<void> {
    return this.setIfExists(userId, { enabled: false });
  }

  enableUser(userId: string): Promise<void> {
    return this.setIfExists(userId, { enabled: true });
  }

  globalSignOut(userId: string): Promise<void> {
    return this.setIfExists(userId, { signedOutAt: new Date().toISOString() });
  }

  async setPassword(userId: string, password: string): Promise<void> {
    try {
      await this.set(userId, { passwordHash: await hashPassword(password) });
    } catch (error) {
      if (error instanceof NotFoundError) throw new IdentityNotFoundError(userId);
      throw error;
    }
  }

  /** As Cognito's admin reset: the factor is forgotten, so the person enrols again from scratch. */
  disableMfa(userId: string): Promise<void> {
    return this.setIfExists(userId, { mfaEnabled: false, totpSecret: null, totpVerified: false, totpLastStep: null });
  }

  /**
   * Shortcut for tests and seeds: a verified TOTP factor, turned on, without the enrolment round
   * trips of /local/cognito. Answers the secret (codes come from shared/identity/totp.ts).
   */
  async enableMfa(userId: string): Promise<string> {
    const secret = generateTotpSecret();
    await this.set(userId, { totpSecret: secret, totpVerified: true, totpLastStep: null, mfaEnabled: true });
    return secret;
  }

  /** Cognito's AssociateSoftwareToken: a new secret, unverified until a code of it is checked. */
  async associateSoftwareToken(userId: string): Promise<string> {
    const secret = generateTotpSecret();
    await this.set(userId, { totpSecret: secret, totpVerified: false });
    return secret;
  }

  /** Cognito's VerifySoftwareToken: true (and the factor verified) when the code matches the associated secret. */
  async verifySoftwareToken(userId: string, code: string, now: Date = new Date()): Promise<boolean> {
    const record = await this.record(userId);
    if (!record?.totpSecret) return false;
    if (matchTotpStep(record.totpSecret, code, now.getTime()) === null) return false;
    // The enrolment code does not count as a sign-in's: the first sign-in may use the same step.
    await this.set(userId, { totpVerified: true, totpLastStep: null });
    return true;
  }

  /** Cognito's SetUserMFAPreference for the software token; turning it on needs a verified factor. */
  async setSoftwareTokenMfa(userId: string, enabled: boolean): Promise<'ok' | 'not_verified'> {
    const record = await this.record(userId);
    if (!record) throw new NotFoundError('No such identity');
    if (enabled && !record.totpVerified) return 'not_verified';
    await this.set(userId, { mfaEnabled: enabled });
    return 'ok';
  }

  /**
   * Checks a sign-in's TOTP code. A code whose step was already used is refused (as Cognito
   * refuses a replayed code); the step is recorded under a condition, so two concurrent uses
   * of one code cannot both pass.
   */
  async checkMfaCode(userId: string, code: string, now: Date = new Date()): Promise<boolean> {
    const record = await this.record(userId);
    if (!record?.mfaEnabled || !record.totpSecret || !record.totpVerified) return false;
    const step = matchTotpStep(record.totpSecret, code, now.getTime());
    if (step === null || (record.totpLastStep !== null && step <= record.totpLastStep)) return false;
    return writeStep(
      this.db,
      update(this.db, {
        key: localIdentityKey(userId),
        updateExpression: 'SET totpLastStep = :step',
        condition: 'attribute_not_exists(totpLastStep) OR totpLastStep = :null OR totpLastStep < :step',
        values: { ':step': step, ':null': null },
      }),
    );
  }

  /** What the local Cognito endpoint needs of an identity (GetUser, token refresh, session checks). */
  async describe(userId: string): Promise<LocalAccount | undefined> {
    const record = await this.record(userId);
    return (
      record && {
        userId,
        email: record.email,
        groups: record.groups,
        enabled: record.enabled,
        mfaEnabled: record.mfaEnabled,
        emailVerified: record.emailVerified,
        totpVerified: record.totpVerified,
        signedOutAt: record.signedOutAt,
      }
    );
  }

  async addToGroup(userId: string, group: string): Promise<void> {
    const record = await this.record(userId);
    if (!record) throw new NotFoundError('No such identity');
    if (!record.groups.includes(group)) await this.set(userId, { groups: [...record.groups, group] });
  }

  markEmailVerified(userId: string): Promise<void> {
    return this.setIfExists(userId, { emailVerified: true });
  }

  async updateEmail(userId: string, email: string): Promise<void> {
    const record = await this.record(userId);
    // No identity yet: the Roster user's email is the one it will be created with.
    if (!record) return;
    const next = normalizeEmail(email);
    if (next === record.email) return;
    await transactWrite(this.db, [
      put(
        this.db,
        { ...localIdentityEmailKey(next), userId },
        'attribute_not_exists(PK)',
        () => new ConflictError('That email belongs to another identity', 'email_taken'),
      ),
      { item: { Delete: { TableName: this.db.tableName, Key: localIdentityEmailKey(record.email) } } },
      // As Roster's Cognito calls: the new address is proven or in a verified domain.
      put(this.db, { ...localIdentityKey(userId), ...record, email: next, emailVerified: true }),
    ]);
  }

  async putIdentityProvider(provider: FederatedProvider): Promise<void> {
    const current = await this.getIdentityProvider(provider.providerName);
    const dropped = (current?.idpIdentifiers ?? []).filter((id) => !provider.idpIdentifiers.includes(id));
    // As Cognito: an idp_identifier names one provider of the pool; the listing keeps its creation time.
    await transactWrite(this.db, [
      put(this.db, {
        ...localIdentityProviderKey(provider.providerName),
        entity: 'localIdentityProvider',
        ...provider,
      }),
      update(this.db, {
        key: localIdpListingKey(provider.providerName),
        updateExpression: 'SET providerName = :p, createdAt = if_not_exists(createdAt, :now)',
        values: { ':p': provider.providerName, ':now': new Date().toISOString() },
      }),
      ...provider.idpIdentifiers.map((identifier) =>
        put(
          this.db,
          { ...localIdpIdentifierKey(identifier), providerName: provider.providerName },
          { expression: 'attribute_not_exists(PK) OR providerName = :p', values: { ':p': provider.providerName } },
          () => new ConflictError(`The identifier ${identifier} belongs to another identity provider`),
        ),
      ),
      ...dropped.map((identifier) => ({
        item: { Delete: { TableName: this.db.tableName, Key: localIdpIdentifierKey(identifier) } },
      })),
    ]);
  }

  getIdentityProvider(providerName: string): Promise<FederatedProvider | undefined> {
    return findLocalIdentityProvider(this.db, { providerName });
  }

  async deleteIdentityProvider(providerName: string): Promise<void> {
    const current = await this.getIdentityProvider(providerName);
    if (!current) return;
    await transactWrite(this.db, [
      { item: { Delete: { TableName: this.db.tableName, Key: localIdentityProviderKey(providerName) } } },
      { item: { Delete: { TableName: this.db.tableName, Key: localIdpListingKey(providerName) } } },
      ...current.idpIdentifiers.map((identifier) => ({
        item: { Delete: { TableName: this.db.tableName, Key: localIdpIdentifierKey(identifier) } },
      })),
    ]);
  }

  async listIdentityProviders(): Promise<ListedIdentityProvider[]> {
    const listed: ListedIdentityProvider[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.client.send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': LOCAL_IDP_LISTING_PARTITION },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        listed.push({ providerName: item.providerName as string, createdAt: new Date(item.createdAt as string) });
      start = page.LastEvaluatedKey;
    } while (start);
    return listed;
  }

  async setClientIdentityProviders(providerNames: readonly string[]): Promise<void> {
    await this.db.client.send(
      new PutCommand({
        TableName: this.db.tableName,
        Item: { ...localClientProvidersKey(), providers: ['COGNITO', ...providerNames] },
      }),
    );
  }

  /** The SPA client's supported providers (COGNITO first), as setClientIdentityProviders left them. */
  async clientIdentityProviders(): Promise<string[]> {
    const { Item } = await this.db.client.send(
      new GetCommand({ TableName: this.db.tableName, Key: localClientProvidersKey(), ConsistentRead: true }),
    );
    return (Item?.providers as string[] | undefined) ?? ['COGNITO'];
  }

  async linkFederatedIdentity(userId: string, federated: FederatedIdentity): Promise<void> {
    if (!(await this.record(userId))) throw new IdentityNotFoundError(userId);
    // As AdminLinkProviderForUser: a federated identity already linked to another user is refused.
    await transactWrite(this.db, [
      put(
        this.db,
        { ...localFederatedLinkKey(federated.providerName, federated.subject), userId, ...federated },
        { expression: 'attribute_not_exists(PK) OR userId = :u', values: { ':u': userId } },
        () => new ConflictError('That federated identity is linked to another user'),
      ),
    ]);
  }

  /** The user id a federated (provider, subject) signs in as: its link, or the identity created for it; undefined when new. */
  async findFederatedIdentity(federated: FederatedIdentity): Promise<string | undefined> {
    const { Item } = await this.db.client.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: localFederatedLinkKey(federated.providerName, federated.subject),
        ConsistentRead: true,
      }),
    );
    return Item?.userId as string | undefined;
  }

  /**
   * What Cognito does after a PreSignUp_ExternalProvider trigger that linked nothing: a new
   * identity for the federated user (its own sub, no password, the IdP's email proven), found
   * again by findFederatedIdentity. Answers its user id (the `sub` of its tokens). Its email is
   * not claimed: as in Cognito, a federated user's email is no sign-in alias.
   */
  async createFederatedIdentity(federated: FederatedIdentity, email: string): Promise<string> {
    const record: LocalIdentityRecord = { ...newRecord(newId(), normalizeEmail(email), true), federated };
    await transactWrite(this.db, [
      put(
        this.db,
        { ...localFederatedLinkKey(federated.providerName, federated.subject), userId: record.userId, ...federated },
        'attribute_not_exists(PK)',
        () => new ConflictError('That federated identity exists'),
      ),
      put(this.db, this.recordItem(record), 'attribute_not_exists(PK)'),
    ]);
    return record.userId;
  }

  /** Checks a password sign-in the way Cognito's InitiateAuth would. */
  async verifyPassword(email: string, password: string): Promise<SignInResult> {
    const record = await this.findByEmail(normalizeEmail(email));
    if (!record?.passwordHash || !(await passwordMatches(password, record.passwordHash)))
      return { ok: false, reason: 'invalid_credentials' };
    if (!record.enabled) return { ok: false, reason: 'user_disabled' };
    return {
      ok: true,
      userId: record.userId,
      email: record.email,
      groups: record.groups,
      mfaEnabled: record.mfaEnabled,
    };
  }

  private async findByEmail(email: string): Promise<LocalIdentityRecord | undefined> {
    const { Item } = await this.db.client.send(
      new GetCommand({ TableName: this.db.tableName, Key: localIdentityEmailKey(email), ConsistentRead: true }),
    );
    return Item ? this.record(Item.userId as string) : undefined;
  }

  private async record(userId: string): Promise<LocalIdentityRecord | undefined> {
    const { Item } = await this.db.client.send(
      new GetCommand({ TableName: this.db.tableName, Key: localIdentityKey(userId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      userId: Item.userId as string,
      email: Item.email as string,
      passwordHash: (Item.passwordHash as string | null | undefined) ?? null,
      enabled: Item.enabled !== false,
      mfaEnabled: Item.mfaEnabled === true,
      emailVerified: Item.emailVerified !== false,
      groups: (Item.groups as string[] | undefined) ?? [],
      signedOutAt: (Item.signedOutAt as string | null | undefined) ?? null,
      totpSecret: (Item.totpSecret as string | null | undefined) ?? null,
      totpVerified: Item.totpVerified === true,
      totpLastStep: typeof Item.totpLastStep === 'number' ? Item.totpLastStep : null,
      ...(Item.federated ? { federated: Item.federated as FederatedIdentity } : {}),
    };
  }

  /** `set` for an identity that may not exist yet: then there is nothing to change (a pending Roster user). */
  private async setIfExists(userId: string, fields: Partial<LocalIdentityRecord>): Promise<void> {
    try {
      await this.set(userId, fields);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  private async set(userId: string, fields: Partial<LocalIdentityRecord>): Promise<void> {
    const entries = Object.entries(fields);
    await writeStep(
      this.db,
      update(
        this.db,
        {
          key: localIdentityKey(userId),
          updateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          condition: 'attribute_exists(PK)',
          names: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
          values: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
        },
        () => new NotFoundError('No such identity'),
      ),
    );
  }
}

/**
 * A federated provider as the local stand-in of Cognito holds it, with its client secret (the
 * stand-in needs it to redeem the IdP's code, as Cognito does), by name or by idp_identifier.
 */
export async function findLocalIdentityProvider(
  db: Database,
  by: { providerName: string } | { idpIdentifier: string },
): Promise<FederatedProvider | undefined> {
  const get = async (key: Record<string, string>) =>
    (await db.client.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }))).Item;
  const providerName =
    'providerName' in by
      ? by.providerName
      : ((await get(localIdpIdentifierKey(by.idpIdentifier)))?.providerName as string | undefined);
  if (!providerName) return undefined;
  const item = await get(localIdentityProviderKey(providerName));
  if (!item) return undefined;
  return {
    providerName: item.providerName as string,
    protocol: item.protocol as FederatedProvider['protocol'],
    idpIdentifiers: (item.idpIdentifiers as string[] | undefined) ?? [],
    ...(item.oidc ? { oidc: item.oidc as NonNullable<FederatedProvider['oidc']> } : {}),
    ...(item.saml ? { saml: item.saml as NonNullable<FederatedProvider['saml']> } : {}),
    attributeMapping: (item.attributeMapping as Record<string, string> | undefined) ?? {},
  };
}
