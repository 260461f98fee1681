import type { Database } from '../data/dynamo-client.js';
import { memberSearchKey, membershipKey, orgKey, teamKey, type ItemKey } from '../data/keys.js';
import { memberSearchItems, membershipToItem } from './membership-repository.js';
import { check, put, remove, update, type TransactionStep } from '../data/transactions.js';
import {
  ConcurrentModificationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type DomainError,
} from '../errors.js';
import { isBuiltInRole, roleDefinition, roleManagesOrg, type CustomRoles } from '../roles.js';
import { counterChangeRefusal } from '../seats/seat-rules.js';
import { holdsOrgManage, holdsSeat, type Membership } from './membership.js';
import { MAX_SEARCH_TERMS } from './search-terms.js';

/** How a change moves the org's counters. */
export interface CounterDelta {
  seats: number;
  admins: number;
  members: number;
  /** Memberships whose SCIM User the IdP deleted (Membership.scimDeleted); SCIM lists leave them out. */
  scimDeleted?: number;
  /**
   * Holders of each custom role gained (+) or lost (-), with whether the role holds `org:manage`
   * as the change assumed; built-in roles are not counted (they are never deleted).
   */
  roles?: Record<string, RoleHolderDelta>;
}

export interface RoleHolderDelta {
  holders: number;
  managesOrg: boolean;
}

/** What a membership contributes to the org's counters. */
export function countersOf(
  m: Pick<Membership, 'status' | 'role' | 'scimDeleted' | 'managesOrg'> | undefined,
): CounterDelta {
  if (!m) return { seats: 0, admins: 0, members: 0, scimDeleted: 0, roles: {} };
  return {
    seats: holdsSeat(m) ? 1 : 0,
    admins: m.status === 'active' && holdsOrgManage(m) ? 1 : 0,
    members: 1,
    scimDeleted: m.scimDeleted ? 1 : 0,
    roles: isBuiltInRole(m.role) ? {} : { [m.role]: { holders: 1, managesOrg: m.managesOrg === true } },
  };
}

export function counterDelta(before: Membership | undefined, after: Membership | undefined): CounterDelta {
  const b = countersOf(before);
  const a = countersOf(after);
  return {
    seats: a.seats - b.seats,
    admins: a.admins - b.admins,
    members: a.members - b.members,
    scimDeleted: (a.scimDeleted ?? 0) - (b.scimDeleted ?? 0),
    roles: addRoleHolders(a.roles, b.roles, -1),
  };
}

/** Two changes' deltas as one (a batch of memberships in one transaction). */
export function sumDeltas(a: CounterDelta, b: CounterDelta): CounterDelta {
  return {
    seats: a.seats + b.seats,
    admins: a.admins + b.admins,
    members: a.members + b.members,
    scimDeleted: (a.scimDeleted ?? 0) + (b.scimDeleted ?? 0),
    roles: addRoleHolders(a.roles, b.roles, 1),
  };
}

function addRoleHolders(
  a: CounterDelta['roles'],
  b: CounterDelta['roles'],
  sign: 1 | -1,
): Record<string, RoleHolderDelta> {
  const out: Record<string, RoleHolderDelta> = {};
  for (const [key, d] of Object.entries(a ?? {})) out[key] = { ...d };
  for (const [key, d] of Object.entries(b ?? {})) {
    const holders = (out[key]?.holders ?? 0) + sign * d.holders;
    // A role gained keeps the assumption of its gainer; one only lost needs none.
    out[key] = { holders, managesOrg: out[key]?.managesOrg ?? d.managesOrg };
  }
  for (const key of Object.keys(out)) if (out[key]?.holders === 0) delete out[key];
  return out;
}

/**
 * The org item's counters moved by `delta`, guarded in the same transaction: seats taken only
 * while below maxSeats, admins removed only while another active admin remains. The org item
 * is the one place these invariants live, so concurrent changes serialize on it.
 */
export function orgCountersStep(db: Database, orgId: string, delta: CounterDelta): TransactionStep | undefined {
  const scimDeleted = delta.scimDeleted ?? 0;
  const roles = Object.entries(delta.roles ?? {}).filter(([, d]) => d.holders !== 0);
  if (delta.seats === 0 && delta.admins === 0 && delta.members === 0 && scimDeleted === 0 && roles.length === 0)
    return undefined;
  const conditions = ['attribute_exists(PK)'];
  const values: Record<string, unknown> = { ':s': delta.seats, ':a': delta.admins, ':m': delta.members };
  const holders = roleHolderClauses(roles);
  const { names, sets } = holders;
  conditions.push(...holders.conditions);
  Object.assign(values, holders.values);
  if (delta.seats > 0) {
    // seatsUsed + n <= maxSeats, written without arithmetic: seatsUsed < maxSeats for one seat.
    if (delta.seats !== 1)
      throw new Error('Take seats one at a time here; a batch reserves its seats in one conditional update of its own');
    conditions.push('seatsUsed < maxSeats');
  }
  if (delta.admins < 0) {
    conditions.push('activeAdminCount >= :minAdmins');
    values[':minAdmins'] = 1 - delta.admins;
  }
  return update(
    db,
    {
      key: orgKey(orgId),
      // scimDeletedCount came later than the other counters: orgs stored before it start at 0.
      updateExpression: `SET ${[
        'seatsUsed = seatsUsed + :s, activeAdminCount = activeAdminCount + :a, memberCount = memberCount + :m',
        ...(scimDeleted !== 0 ? ['scimDeletedCount = if_not_exists(scimDeletedCount, :zero) + :d'] : []),
        ...sets,
      ].join(', ')}`,
      condition: conditions.join(' AND '),
      ...(roles.length > 0 ? { names } : {}),
      values: scimDeleted !== 0 ? { ...values, ':d': scimDeleted, ':zero': 0 } : values,
    },
    (current) => roleChangeRefusal(current, roles) ?? counterChangeRefusal(current, delta),
  );
}

/**
 * The org item's update clauses moving custom roles' holder counts: SETs for each role, and for
 * each role gaining holders the condition that it still exists and holds `org:manage` exactly as
 * the change assumed (a role with holders cannot then be deleted nor move org:manage).
 */
export function roleHolderClauses(roles: [string, RoleHolderDelta][]): {
  sets: string[];
  conditions: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  roles.forEach(([key, d], i) => {
    names[`#r${i}`] = key;
    values[`:r${i}`] = d.holders;
    sets.push(`roleHolders.#r${i} = if_not_exists(roleHolders.#r${i}, :zero) + :r${i}`);
    if (d.holders > 0) {
      values[':orgManage'] = 'org:manage';
      names['#permissions'] = 'permissions';
      conditions.push(
        d.managesOrg
          ? `contains(customRoles.#r${i}.#permissions, :orgManage)`
          : `attribute_exists(customRoles.#r${i}) AND NOT contains(customRoles.#r${i}.#permissions, :orgManage)`,
      );
    }
  });
  if (roles.length > 0) values[':zero'] = 0;
  return { sets, conditions, names, values };
}

/** A role given in the change was deleted, or gained or lost `org:manage`, since the change read it. */
export function roleChangeRefusal(
  current: Record<string, unknown> | undefined,
  roles: [string, RoleHolderDelta][],
): DomainError | undefined {
  if (!current) return undefined;
  const customRoles = (current.customRoles ?? {}) as CustomRoles;
  for (const [key, d] of roles) {
    if (d.holders <= 0) continue;
    if (!roleDefinition(customRoles, key) || roleManagesOrg(customRoles, key) !== d.managesOrg)
      return new ConflictError(`The role ${key} was deleted or changed meanwhile; try again`, 'role_changed');
  }
  return undefined;
}

/**
 * Writes a membership and its search-term items; a new one must not exist, an existing one
 * must be the version read. Every path that creates or changes a membership comes here (or to
 * membershipRemoveSteps), so the search entries never drift from the membership. An update
 * rewrites every slot (puts the terms it has, deletes the rest): at most 1 + MAX_SEARCH_TERMS
 * actions (MEMBERSHIP_WRITE_ACTIONS), whatever the previous terms were.
 */
export function membershipWriteSteps(
  db: Database,
  next: Membership,
  seenVersion: number | 'new',
  /**
   * `written`: a new membership's search items were put beforehand, outside the transaction
   * (an import's new people: prewrittenSearchItems in shared/imports/import-rows.ts).
   */
  options: { searchItems?: 'written' } = {},
): TransactionStep[] {
  if (seenVersion === 'new') {
    return [
      put(
        db,
        membershipToItem({ ...next, version: 1 }),
        'attribute_not_exists(PK)',
        () => new ConflictError(`${next.email} is already a member`, 'already_member'),
      ),
      ...(options.searchItems === 'written' ? [] : memberSearchItems(next).map((item) => put(db, item))),
    ];
  }
  return [
    put(
      db,
      membershipToItem({ ...next, version: seenVersion + 1 }),
      { expression: 'version = :seen', values: { ':seen': seenVersion } },
      (current) => (current ? new ConcurrentModificationError() : new NotFoundError('No such member')),
    ),
    ...searchSlotSteps(db, next),
  ];
}

/** Actions of one membership write (the membership and every search slot). */
export const MEMBERSHIP_WRITE_ACTIONS = 1 + MAX_SEARCH_TERMS;

function searchSlotSteps(db: Database, m: Membership): TransactionStep[] {
  const items = memberSearchItems(m);
  return Array.from({ length: MAX_SEARCH_TERMS }, (_, slot) =>
    items[slot] ? put(db, items[slot]) : remove(db, memberSearchKey(m.orgId, m.userId, slot)),
  );
}

/** Deletes a membership's search-term items (with the membership, in its transaction). */
export function membershipSearchRemoveSteps(db: Database, orgId: string, userId: string): TransactionStep[] {
  return memberSearchSlotKeys(orgId, userId).map((key) => remove(db, key));
}

/** The keys of every search slot a membership may hold, whichever it holds. */
export const memberSearchSlotKeys = (orgId: string, userId: string): ItemKey[] =>
  Array.from({ length: MAX_SEARCH_TERMS }, (_, slot) => memberSearchKey(orgId, userId, slot));

/**
 * The actor must still be active in the role they acted with when the change commits: two admins
 * acting on each other at once cannot both act on the strength of a role one just lost.
 */
export function actorStillAdminStep(
  db: Database,
  actor: Membership | undefined,
  targetUserId: string,
): TransactionStep | undefined {
  // Platform operators act without a membership; acting on oneself is covered by the target's own condition.
  if (!actor || actor.userId === targetUserId) return undefined;
  return check(
    db,
    {
      key: membershipKey(actor.orgId, actor.userId),
      condition: '#status = :active AND #role = :admin',
      names: { '#status': 'status', '#role': 'role' },
      values: { ':active': 'active', ':admin': actor.role },
    },
    (current) =>
      current
        ? new ForbiddenError('Your own membership changed while this request ran', 'insufficient_role')
        : new ConcurrentModificationError(),
  );
}

/** The team must exist in this org when the membership is written. */
export function teamExistsStep(db: Database, orgId: string, teamId: string): TransactionStep {
  return check(
    db,
    { key: teamKey(orgId, teamId), condition: 'attribute_exists(PK)' },
    () => new ValidationError([{ field: 'teamId', message: 'is not a team of this organization' }]),
  );
}
