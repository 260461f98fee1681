import type { Database } from '../data/dynamo-client.js';
import { orgKey } from '../data/keys.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import type { CustomRoles } from '../roles.js';

/**
 * An org's custom roles live on its org item (`customRoles`, by key; `rolesVersion` bumped by
 * each change): the authorizer reads that item anyway, so a caller's permissions cost no extra
 * read. Each change rewrites the whole map, conditioned on the version read. Holders of each
 * custom role are counted there too (`roleHolders`, moved by orgCountersStep in every membership
 * transaction), so "in use" is one condition, not a scan.
 */
export function customRolesWriteStep(
  db: Database,
  orgId: string,
  next: CustomRoles,
  seenVersion: number,
  /** `settingsAt`: the org's settings are still as read (`updatedAt`), e.g. no SCIM mapping to a deleted role. */
  guard?: { key: string; unheld: true; settingsAt?: string },
): TransactionStep {
  const conditions = [
    seenVersion === 0 ? '(attribute_not_exists(rolesVersion) OR rolesVersion = :seen)' : 'rolesVersion = :seen',
  ];
  if (guard?.settingsAt !== undefined) conditions.push('updatedAt = :settingsAt');
  // The role must have no holders: deleting it, or moving org:manage in or out of it (admin counts stay exact).
  if (guard) conditions.push('(attribute_not_exists(roleHolders.#key) OR roleHolders.#key = :zero)');
  return update(
    db,
    {
      key: orgKey(orgId),
      updateExpression: `SET customRoles = :roles, rolesVersion = :next, roleHolders = if_not_exists(roleHolders, :empty)`,
      condition: `attribute_exists(PK) AND ${conditions.join(' AND ')}`,
      ...(guard ? { names: { '#key': guard.key } } : {}),
      values: {
        ':roles': next,
        ':next': seenVersion + 1,
        ':seen': seenVersion,
        ':empty': {},
        ...(guard ? { ':zero': 0 } : {}),
        ...(guard?.settingsAt !== undefined ? { ':settingsAt': guard.settingsAt } : {}),
      },
    },
    (current) => {
      if (!current) return new NotFoundError('No such organization');
      if (Number(current.rolesVersion ?? 0) !== seenVersion) return new ConcurrentModificationError();
      if (guard?.settingsAt !== undefined && current.updatedAt !== guard.settingsAt)
        return new ConcurrentModificationError();
      return roleInUse(guard?.key ?? '');
    },
  );
}

export const roleInUse = (key: string) =>
  new ConflictError(`The role ${key} is held by members; give them another role first`, 'role_in_use');
