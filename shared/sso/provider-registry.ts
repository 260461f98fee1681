import type { Database } from '../data/dynamo-client.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { markRegistrySynced, readRegistry } from './connection-repository.js';

/** Rounds before giving up: each one only repeats because another change landed meanwhile. */
const MAX_ROUNDS = 10;

/**
 * Makes the SPA client's supported providers exactly the registry's, without lost updates.
 * Each connection change moves the registry's version in its own transaction; this then reads
 * the registry (consistently), writes the whole list to the client, and reads the version again:
 * a change that landed in between makes it write again. The last write to the client is
 * therefore always followed by its writer's check, and a stale list (a slow writer that read
 * before a concurrent change) is overwritten by that writer itself. Recomputing the full list
 * rather than adding or removing one name is what makes a late write harmless. The version
 * checked is recorded as the registry's syncedVersion; a crash before that leaves it behind the
 * version, and the reconciler (reconcile-providers.ts) syncs again.
 */
export async function syncClientProviders(deps: { db: Database; identity: IdentityPort }): Promise<void> {
  let { providers, version } = await readRegistry(deps.db);
  for (let round = 1; ; round++) {
    await deps.identity.setClientIdentityProviders(providers);
    const now = await readRegistry(deps.db);
    if (now.version === version) {
      await markRegistrySynced(deps.db, version);
      return;
    }
    if (round >= MAX_ROUNDS)
      throw new Error('The SSO provider registry kept changing; the next change syncs the client');
    ({ providers, version } = now);
  }
}
