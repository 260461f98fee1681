import type { Database } from '../data/dynamo-client.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { isRosterProviderName } from './connection.js';
import { readRegistry } from './connection-repository.js';
import { syncClientProviders } from './provider-registry.js';

/**
 * A Roster provider no connection holds is deleted only once it is this old: a connection's
 * create puts its provider before its transaction, and an API request ends within 30 s, so a
 * younger one may still be about to be registered.
 */
export const ORPHAN_PROVIDER_GRACE_MS = 15 * 60_000;

/** The password sign-in, which the SPA client always offers beside the connections' providers. */
const PASSWORD_SIGN_IN = 'COGNITO';

export interface ProviderReconciliation {
  /** Whether the SPA client's provider list was behind the registry and rewritten. */
  clientSynced: boolean;
  /** Roster providers at the pool that no connection holds, deleted. */
  deleted: string[];
  /** Such providers younger than the grace period (a create may be in flight), kept for a later run. */
  kept: string[];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((name, i) => name === right[i]);
}

/**
 * Repairs what a crash between a connection change's steps leaves behind (manage-connections.ts):
 * - the SPA client's list behind the registry (a crash after the transaction, before the sync;
 *   or a deploy that rewrote the client): synced when the registry's syncedVersion is not its
 *   version, or the client's list differs from the registry's;
 * - a provider at the pool with no connection (a crash between a create's provider and its
 *   transaction, or between a delete's transaction and its provider's deletion): deleted once
 *   older than ORPHAN_PROVIDER_GRACE_MS. Only providers whose name has Roster's shape are
 *   considered; an imported pool's own IdPs are never touched.
 * The pool's providers are listed before the registry is read, so a connection committed in
 * between counts as registered. Safe to run beside connection changes and beside itself.
 */
export async function reconcileProviders(
  deps: { db: Database; identity: IdentityPort },
  now: Date,
): Promise<ProviderReconciliation> {
  const registry = await readRegistry(deps.db);
  const offered = await deps.identity.clientIdentityProviders();
  const clientSynced =
    registry.syncedVersion !== registry.version || !sameNames(offered, [PASSWORD_SIGN_IN, ...registry.providers]);
  let syncError: unknown;
  // A failed sync (Cognito refusing the list) must not keep orphans from being deleted: it is rethrown after.
  if (clientSynced) await syncClientProviders(deps).catch((error: unknown) => (syncError = error));

  const held = (await deps.identity.listIdentityProviders()).filter((p) => isRosterProviderName(p.providerName));
  const registered = new Set((await readRegistry(deps.db)).providers);
  const orphans = held.filter((p) => !registered.has(p.providerName));
  const isOld = (createdAt: Date) => now.getTime() - createdAt.getTime() >= ORPHAN_PROVIDER_GRACE_MS;
  const deleted: string[] = [];
  for (const orphan of orphans.filter((p) => isOld(p.createdAt))) {
    await deps.identity.deleteIdentityProvider(orphan.providerName);
    deleted.push(orphan.providerName);
  }
  if (syncError !== undefined) throw syncError;
  return {
    clientSynced,
    deleted: deleted.sort(),
    kept: orphans
      .filter((p) => !isOld(p.createdAt))
      .map((p) => p.providerName)
      .sort(),
  };
}
