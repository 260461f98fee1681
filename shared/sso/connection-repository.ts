import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import {
  ORG_PARTITION_PREFIX,
  orgPartition,
  ssoConnectionKey,
  ssoDomainClaimKey,
  ssoProviderClaimKey,
  ssoProviderRegistryKey,
} from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import { check, put, remove, update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import type { SsoConnection } from './connection.js';

export const SSO_CONNECTION_ENTITY = 'ssoConnection';
const SSO_DOMAIN_ENTITY = 'ssoDomainClaim';
const SSO_PROVIDER_ENTITY = 'ssoProviderClaim';

/**
 * Cognito's quota of identity providers per user pool: 300 (AWS's documented default for
 * "identity providers per user pool"). The registry refuses the connection past it, before
 * Cognito would (LimitExceededException, mapped the same way).
 */
export const IDENTITY_PROVIDER_QUOTA = 300;

export function connectionToItem(c: SsoConnection): Record<string, unknown> {
  return { ...ssoConnectionKey(c.orgId, c.connectionId), entity: SSO_CONNECTION_ENTITY, ...c };
}

export function connectionFromItem(item: Record<string, unknown>): SsoConnection {
  return {
    connectionId: item.connectionId as string,
    orgId: item.orgId as string,
    name: item.name as string,
    protocol: item.protocol as SsoConnection['protocol'],
    providerName: item.providerName as string,
    domains: [...((item.domains as string[] | undefined) ?? [])],
    oidc: (item.oidc as SsoConnection['oidc'] | undefined) ?? null,
    saml: (item.saml as SsoConnection['saml'] | undefined) ?? null,
    attributeMapping: item.attributeMapping as SsoConnection['attributeMapping'],
    roleMapping: item.roleMapping as SsoConnection['roleMapping'],
    jitProvisioning: item.jitProvisioning === true,
    updateOnSignIn: item.updateOnSignIn === true,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: Number(item.version ?? 1),
  };
}

async function getItem(db: Database, key: Record<string, string>, consistent = true) {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: consistent }),
  );
  return Item;
}

export async function getConnection(
  db: Database,
  orgId: string,
  connectionId: string,
): Promise<SsoConnection | undefined> {
  const item = await getItem(db, ssoConnectionKey(orgId, connectionId));
  return item ? connectionFromItem(item) : undefined;
}

/** One page of an org's connections (an org has few), in id order. */
export async function queryConnections(
  db: Database,
  orgId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<SsoConnection>> {
  const page = await queryPage(db, {
    partition: orgPartition(orgId),
    sortKey: { beginsWith: ORG_PARTITION_PREFIX.ssoConnection },
    forward: true,
    limit,
    cursor,
  });
  return { items: page.items.map(connectionFromItem), nextCursor: page.nextCursor };
}

/** The connection a Cognito provider name belongs to (federated-sign-in triggers). */
export async function findConnectionByProvider(db: Database, providerName: string): Promise<SsoConnection | undefined> {
  const claim = await getItem(db, ssoProviderClaimKey(providerName));
  if (!claim) return undefined;
  return getConnection(db, claim.orgId as string, claim.connectionId as string);
}

/** Who serves an email domain: the org and connection holding its claim. */
export async function findDomainClaim(
  db: Database,
  domain: string,
): Promise<{ orgId: string; connectionId: string; providerName: string } | undefined> {
  const claim = await getItem(db, ssoDomainClaimKey(domain));
  return (
    claim && {
      orgId: claim.orgId as string,
      connectionId: claim.connectionId as string,
      providerName: claim.providerName as string,
    }
  );
}

/** A new connection's item, provider claim and domain claims: a domain another connection serves is refused. */
export function createConnectionSteps(db: Database, c: SsoConnection): TransactionStep[] {
  return [
    put(db, connectionToItem(c), 'attribute_not_exists(PK)'),
    put(
      db,
      {
        ...ssoProviderClaimKey(c.providerName),
        entity: SSO_PROVIDER_ENTITY,
        orgId: c.orgId,
        connectionId: c.connectionId,
      },
      'attribute_not_exists(PK)',
      () => new ConflictError('The identity provider name is taken; retry', 'concurrent_modification'),
    ),
    ...domainClaimSteps(db, c, c.domains),
  ];
}

export function domainClaimSteps(db: Database, c: SsoConnection, domains: readonly string[]): TransactionStep[] {
  return domains.map((domain) =>
    put(
      db,
      {
        ...ssoDomainClaimKey(domain),
        entity: SSO_DOMAIN_ENTITY,
        domain,
        orgId: c.orgId,
        connectionId: c.connectionId,
        providerName: c.providerName,
      },
      'attribute_not_exists(PK)',
      () => new ConflictError(`${domain} is already served by another SSO connection`, 'sso_domain_taken'),
    ),
  );
}

export function domainReleaseSteps(db: Database, c: SsoConnection, domains: readonly string[]): TransactionStep[] {
  return domains.map((domain) =>
    remove(db, ssoDomainClaimKey(domain), {
      expression: 'connectionId = :c',
      values: { ':c': c.connectionId },
    }),
  );
}

/** The connection rewritten, conditioned on the version read. */
export function updateConnectionStep(db: Database, next: SsoConnection, seenVersion: number): TransactionStep {
  return put(
    db,
    connectionToItem({ ...next, version: seenVersion + 1 }),
    { expression: 'version = :seen', values: { ':seen': seenVersion } },
    (current) => (current ? new ConcurrentModificationError() : new NotFoundError('No such SSO connection')),
  );
}

/** The connection is still the version read (a role delete checked its role mapping). */
export function connectionUnchangedStep(db: Database, c: SsoConnection): TransactionStep {
  return check(
    db,
    {
      key: ssoConnectionKey(c.orgId, c.connectionId),
      condition: 'version = :seen',
      values: { ':seen': c.version },
    },
    () => new ConcurrentModificationError(),
  );
}

export function deleteConnectionSteps(db: Database, c: SsoConnection): TransactionStep[] {
  return [
    remove(
      db,
      ssoConnectionKey(c.orgId, c.connectionId),
      { expression: 'version = :seen', values: { ':seen': c.version } },
      (current) => (current ? new ConcurrentModificationError() : new NotFoundError('No such SSO connection')),
    ),
    remove(db, ssoProviderClaimKey(c.providerName)),
    ...domainReleaseSteps(db, c, c.domains),
  ];
}

/**
 * The registry of provider names gains one, under the pool's quota, and its version moves: the
 * SPA client's provider list is recomputed from the registry after the change (provider-registry.ts).
 */
export function registryAddStep(db: Database, providerName: string, quota: number): TransactionStep {
  return update(
    db,
    {
      key: ssoProviderRegistryKey(),
      updateExpression: 'ADD providers :p, version :one',
      condition: 'attribute_not_exists(providers) OR size(providers) < :quota',
      values: { ':p': new Set([providerName]), ':one': 1, ':quota': quota },
    },
    () =>
      new ConflictError(
        `The platform holds its maximum of ${quota} SSO connections (Cognito's identity providers per user pool); ask the platform operator`,
        'sso_connection_limit_reached',
      ),
  );
}

export function registryRemoveStep(db: Database, providerName: string): TransactionStep {
  return update(db, {
    key: ssoProviderRegistryKey(),
    updateExpression: 'DELETE providers :p ADD version :one',
    values: { ':p': new Set([providerName]), ':one': 1 },
  });
}

export interface ProviderRegistry {
  /** Every connection's provider name, sorted. */
  providers: string[];
  /** Moves with each connection change (0 before the first). */
  version: number;
  /** The version the SPA client's list was last written for and checked against; undefined before the first sync. */
  syncedVersion: number | undefined;
}

/** The registry as stored: every provider name and the version of the last change (read consistently). */
export async function readRegistry(db: Database): Promise<ProviderRegistry> {
  const item = await getItem(db, ssoProviderRegistryKey());
  const providers = item?.providers as Set<string> | undefined;
  return {
    providers: [...(providers ?? [])].sort(),
    version: Number(item?.version ?? 0),
    syncedVersion: item?.syncedVersion === undefined ? undefined : Number(item.syncedVersion),
  };
}

/**
 * Records that the SPA client holds the registry's list of `version`. Never moves backwards: a
 * slow syncer that checked an older version loses to one that recorded a newer one.
 */
export async function markRegistrySynced(db: Database, version: number): Promise<void> {
  await writeStep(
    db,
    update(db, {
      key: ssoProviderRegistryKey(),
      updateExpression: 'SET syncedVersion = :v',
      condition: 'attribute_not_exists(syncedVersion) OR syncedVersion < :v',
      values: { ':v': version },
    }),
  );
}
