/**
 * The SSO provider reconciler (shared/sso/reconcile-providers.ts) on DynamoDB Local and the
 * local identity stand-in: each crash a connection change can die of is simulated, and one run
 * repairs it: the SPA client's list equals the registry, an orphan provider is deleted once past
 * the grace period, a fresh one (a create in flight) and an IdP Roster did not make are kept.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { ssoProviderRegistryKey } from '../../shared/data/keys.js';
import { transactWrite } from '../../shared/data/transactions.js';
import type { FederatedProvider, IdentityPort } from '../../shared/identity/identity-port.js';
import type { LocalIdentity } from '../../shared/identity/local-identity.js';
import { newId } from '../../shared/ids.js';
import { providerNameOf } from '../../shared/sso/connection.js';
import {
  createConnectionSteps,
  deleteConnectionSteps,
  getConnection,
  markRegistrySynced,
  readRegistry,
  registryAddStep,
  registryRemoveStep,
} from '../../shared/sso/connection-repository.js';
import { createSsoConnection, deleteSsoConnection } from '../../shared/sso/manage-connections.js';
import { ORPHAN_PROVIDER_GRACE_MS, reconcileProviders } from '../../shared/sso/reconcile-providers.js';
import { handler } from '../../functions/sso/reconcile-sso-providers.js';
import { startLocalApi, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
let identity: LocalIdentity;
let org: SeededOrg;
let domains: string[];
beforeAll(async () => {
  local = await startLocalApi();
  identity = local.server.identity;
  org = await local.seedOperatorAndOrg();
  domains = Array.from({ length: 6 }, () => `r-${uniqueSuffix()}.test`);
  const patch = await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
    token: org.operator.accessToken,
    body: { verifiedDomains: domains },
  });
  expect(patch.status).toBe(200);
});
afterAll(async () => {
  await local.close();
});

const audit = (): AuditContext => ({
  actor: { type: 'user', id: org.admin.userId, email: null },
  ip: null,
  userAgent: null,
  requestId: null,
  now: new Date(),
});

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const pastGrace = () => new Date(Date.now() + ORPHAN_PROVIDER_GRACE_MS + 60_000);

const oidcProvider = (providerName: string, idpIdentifiers: string[] = []): FederatedProvider => ({
  providerName,
  protocol: 'oidc',
  idpIdentifiers,
  oidc: { issuer: 'https://idp.test', clientId: 'c', clientSecret: 's', scopes: ['openid'] },
  attributeMapping: { email: 'email' },
});

/** The identity port whose `method` dies mid-change, as a process would (the rest is the real stand-in). */
function crashingAt<M extends keyof IdentityPort>(method: M): IdentityPort {
  const port = Object.create(identity) as IdentityPort;
  Object.defineProperty(port, method, { value: () => Promise.reject(new Error(`crash in ${method}`)) });
  return port;
}

/** The client offers exactly the password sign-in and the registry's providers. */
async function expectClientFollowsRegistry(): Promise<void> {
  const registry = await readRegistry(local.db);
  expect((await identity.clientIdentityProviders()).sort()).toEqual(['COGNITO', ...registry.providers].sort());
  expect(registry.syncedVersion).toBe(registry.version);
}

const oidcInput = (domain: string) => ({
  name: 'Okta',
  protocol: 'oidc' as const,
  domains: [domain],
  oidc: { issuer: 'https://acme.okta.test', clientId: 'client-1', clientSecret: 'secret-1' },
});

describe('SSO provider reconciler', () => {
  it('records the synced version after each sync, and never moves it backwards', async () => {
    const created = await createSsoConnection({ db: local.db, identity }, org.orgId, oidcInput(domains[0]!), audit());
    const registry = await readRegistry(local.db);
    expect(registry.providers).toContain(created.providerName);
    expect(registry.syncedVersion).toBe(registry.version);
    await markRegistrySynced(local.db, registry.version - 1);
    expect((await readRegistry(local.db)).syncedVersion).toBe(registry.version);
    // Nothing to repair: one run changes nothing.
    expect(await reconcileProviders({ db: local.db, identity }, pastGrace())).toMatchObject({
      clientSynced: false,
      deleted: [],
    });
    expect(await identity.getIdentityProvider(created.providerName)).toBeDefined();

    // A sync that died after writing the client, before recording its version: the run syncs and records it.
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: ssoProviderRegistryKey(),
        UpdateExpression: 'SET syncedVersion = :behind',
        ExpressionAttributeValues: { ':behind': registry.version - 1 },
      }),
    );
    expect(await reconcileProviders({ db: local.db, identity }, new Date())).toMatchObject({ clientSynced: true });
    await expectClientFollowsRegistry();
  });

  it('(a) a create that died between its provider and its transaction: the orphan is kept while fresh, deleted past the grace period', async () => {
    const orphan = providerNameOf('oidc', newId());
    await identity.putIdentityProvider(oidcProvider(orphan, [domains[1]!]));
    // An update of the provider keeps its creation time (Cognito's CreationDate).
    await identity.putIdentityProvider({ ...oidcProvider(orphan, [domains[1]!]), attributeMapping: { email: 'mail' } });
    // A provider the pool's owner made (not Roster's name shape) is never Roster's to delete.
    const foreign = `Corp${uniqueSuffix().replaceAll('-', '')}`.slice(0, 30);
    await identity.putIdentityProvider(oidcProvider(foreign));

    const fresh = await reconcileProviders({ db: local.db, identity }, minutesFromNow(5));
    expect(fresh.kept).toContain(orphan);
    expect(fresh.deleted).not.toContain(orphan);
    expect(await identity.getIdentityProvider(orphan)).toBeDefined();

    const later = await reconcileProviders({ db: local.db, identity }, pastGrace());
    expect(later.deleted).toContain(orphan);
    expect(await identity.getIdentityProvider(orphan)).toBeUndefined();
    expect((await identity.listIdentityProviders()).map((p) => p.providerName)).not.toContain(orphan);
    expect(await identity.getIdentityProvider(foreign)).toBeDefined();
    // Its domain is free again at the pool: a new connection may serve it.
    const next = await createSsoConnection({ db: local.db, identity }, org.orgId, oidcInput(domains[1]!), audit());
    expect(await identity.getIdentityProvider(next.providerName)).toMatchObject({ idpIdentifiers: [domains[1]] });
  });

  it('(b) a create that died after its transaction, before the sync: the next run offers the new provider', async () => {
    await expect(
      createSsoConnection(
        { db: local.db, identity: crashingAt('setClientIdentityProviders') },
        org.orgId,
        oidcInput(domains[2]!),
        audit(),
      ),
    ).rejects.toThrow(/crash/);
    const registry = await readRegistry(local.db);
    expect(registry.syncedVersion).not.toBe(registry.version);
    const offeredBefore = await identity.clientIdentityProviders();
    const missing = registry.providers.filter((p) => !offeredBefore.includes(p));
    expect(missing).toHaveLength(1);

    // A fresh connection's provider is registered: kept, never an orphan.
    const run = await reconcileProviders({ db: local.db, identity }, new Date());
    expect(run.clientSynced).toBe(true);
    expect(run.kept).not.toContain(missing[0]);
    await expectClientFollowsRegistry();
    expect(await identity.clientIdentityProviders()).toContain(missing[0]);
  });

  it('(b) a delete whose transaction ran without the sync: the next run stops offering the provider, and (c) deletes it', async () => {
    const connection = await createSsoConnection(
      { db: local.db, identity },
      org.orgId,
      oidcInput(domains[3]!),
      audit(),
    );
    const current = await getConnection(local.db, org.orgId, connection.connectionId);
    // deleteSsoConnection's transaction, and then the process dies.
    await transactWrite(local.db, [
      ...deleteConnectionSteps(local.db, current!),
      registryRemoveStep(local.db, connection.providerName),
    ]);
    expect(await identity.clientIdentityProviders()).toContain(connection.providerName);

    // The connection's provider is older than the grace period by the time the run looks.
    const run = await reconcileProviders({ db: local.db, identity }, pastGrace());
    expect(run).toMatchObject({ clientSynced: true });
    expect(run.deleted).toContain(connection.providerName);
    expect(await identity.clientIdentityProviders()).not.toContain(connection.providerName);
    expect(await identity.getIdentityProvider(connection.providerName)).toBeUndefined();
    await expectClientFollowsRegistry();
  });

  it('(c) a delete that died before deleting its provider: the next run past the grace period deletes it', async () => {
    const connection = await createSsoConnection(
      { db: local.db, identity },
      org.orgId,
      oidcInput(domains[4]!),
      audit(),
    );
    await expect(
      deleteSsoConnection(
        { db: local.db, identity: crashingAt('deleteIdentityProvider') },
        org.orgId,
        connection.connectionId,
        audit(),
      ),
    ).rejects.toThrow(/crash/);
    expect(await identity.getIdentityProvider(connection.providerName)).toBeDefined();
    expect(await identity.clientIdentityProviders()).not.toContain(connection.providerName);

    const run = await reconcileProviders({ db: local.db, identity }, pastGrace());
    expect(run.clientSynced).toBe(false);
    expect(run.deleted).toContain(connection.providerName);
    expect(await identity.getIdentityProvider(connection.providerName)).toBeUndefined();
  });

  it('a client list rewritten behind the registry’s back (a deploy) is synced though syncedVersion is current', async () => {
    await createSsoConnection({ db: local.db, identity }, org.orgId, oidcInput(domains[5]!), audit());
    await identity.setClientIdentityProviders([]);
    const registry = await readRegistry(local.db);
    expect(registry.syncedVersion).toBe(registry.version);

    // Through the scheduled handler, with the sample event's shape.
    const summary = await handler({ now: new Date().toISOString() });
    expect(summary.clientSynced).toBe(true);
    await expectClientFollowsRegistry();
    expect((await readRegistry(local.db)).providers.length).toBeGreaterThan(0);
  });

  it('(b) a create run step by step (provider, transaction) without the sync: the run offers it and keeps its provider', async () => {
    const connectionId = newId();
    const providerName = providerNameOf('oidc', connectionId);
    await identity.putIdentityProvider(oidcProvider(providerName));
    await transactWrite(local.db, [
      ...createConnectionSteps(local.db, {
        connectionId,
        orgId: org.orgId,
        name: 'Steps only',
        protocol: 'oidc',
        providerName,
        domains: [],
        oidc: { issuer: 'https://idp.test', clientId: 'c', scopes: ['openid'] },
        saml: null,
        attributeMapping: { email: 'email', name: 'name', groups: null },
        roleMapping: { rules: [], defaultRole: 'member' },
        jitProvisioning: false,
        updateOnSignIn: true,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        version: 1,
      }),
      registryAddStep(local.db, providerName, 300),
    ]);
    const run = await reconcileProviders({ db: local.db, identity }, pastGrace());
    expect(run.clientSynced).toBe(true);
    expect(run.deleted).not.toContain(providerName);
    expect(await identity.clientIdentityProviders()).toContain(providerName);
    await expectClientFollowsRegistry();
  });
});
