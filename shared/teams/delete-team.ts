import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, memberSortPrefix, teamKey, teamNameClaimKey } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import { remove, transactWrite } from '../data/transactions.js';
import { ConcurrentModificationError, NotFoundError } from '../errors.js';
import { getMembership, membershipFromItem } from '../members/membership-repository.js';
import type { Membership } from '../members/membership.js';
import { membershipWriteSteps } from '../members/membership-steps.js';
import { auditedTeamFields, type Team } from './team.js';
import { teamNotFound } from './team-errors.js';
import { getTeam, TEAM_ENTITY, teamFromItem } from './team-repository.js';

/** Memberships read per page of the unassignment sweep, and updated in parallel. */
const SWEEP_PAGE = 100;
const SWEEP_PARALLELISM = 10;

type Item = Record<string, unknown>;

/**
 * Deletes a team, then unassigns its members.
 *
 * One Query on the team's member index reads the team (its entry sorts before the members)
 * and its first members, so an empty team costs that Query and one transaction: the team, its
 * name claim and the audit event, conditioned on the version read. The members are not in the
 * transaction (a team may hold any number, a transaction at most 100 items): they are
 * unassigned afterwards, starting with those already read, each with an idempotent conditional
 * update. Adding or moving a member checks the team exists in its own transaction, so nobody
 * joins after the delete. The index is eventually consistent: a member assigned in the instant
 * before the delete may be missed, as may the rest of an interrupted sweep (timeout); such a
 * member keeps a dangling teamId that reads as "no team", and repeating the DELETE sweeps again.
 */
export async function deleteTeam(
  db: Database,
  orgId: string,
  teamId: string,
  audit: AuditContext,
): Promise<{ membersUnassigned: number }> {
  const first = await queryPage(db, {
    index: memberListIndex.filter.teamId,
    partition: memberListPartition.team(orgId, teamId),
    forward: true,
    limit: SWEEP_PAGE + 1,
    cursor: undefined,
  });
  const head = first.items[0];
  const indexed = head?.entity === TEAM_ENTITY ? teamFromItem(head) : undefined;
  const firstMembers: Page<Item> = {
    items: first.items.filter((item) => item.entity !== TEAM_ENTITY),
    nextCursor: first.nextCursor,
  };

  // Not in the index: written a moment ago (the index lags), before teams were indexed, or gone.
  const team = indexed ?? (await getTeam(db, orgId, teamId));
  if (!team) {
    // Finishes the sweep of an earlier delete that was interrupted.
    await unassignTeamMembers(db, orgId, teamId, audit.now, firstMembers);
    throw teamNotFound();
  }
  try {
    await transactWrite(db, deleteTeamSteps(db, team, audit));
  } catch (error) {
    // The index's copy may trail a rename: read the team itself and try once more.
    if (!(error instanceof ConcurrentModificationError) || !indexed) throw error;
    const current = await getTeam(db, orgId, teamId);
    if (!current) throw teamNotFound();
    await transactWrite(db, deleteTeamSteps(db, current, audit));
  }
  if (firstMembers.items.length === 0 && !firstMembers.nextCursor) return { membersUnassigned: 0 };
  return { membersUnassigned: await unassignTeamMembers(db, orgId, teamId, audit.now, firstMembers) };
}

/** The steps that delete a team, its name claim and write the audit event, conditioned on the version read. */
export function deleteTeamSteps(db: Database, team: Team, audit: AuditContext) {
  const { orgId, teamId } = team;
  return [
    remove(db, teamKey(orgId, teamId), { expression: 'version = :seen', values: { ':seen': team.version } }, (item) =>
      item ? new ConcurrentModificationError() : teamNotFound(),
    ),
    remove(db, teamNameClaimKey(orgId, team.name), { expression: 'teamId = :t', values: { ':t': teamId } }),
    auditStep(
      db,
      { orgId, action: 'team.deleted', target: { type: 'team', id: teamId }, before: auditedTeamFields(team) },
      audit,
    ),
  ];
}

/**
 * Removes the team from every membership in the team's member index (GSI8; only the members'
 * `n#` entries, not the team's own). Each member is read strongly and rewritten with its
 * search entries only while it still names this team, conditioned on the version read, so it
 * is safe to repeat and never undoes a move to another team; it bumps the version, so a
 * concurrent full replace that read the old team fails and is retried rather than writing the
 * deleted team back. `firstPage`: members already read, and where to go on.
 */
export async function unassignTeamMembers(
  db: Database,
  orgId: string,
  teamId: string,
  now: Date,
  firstPage?: Page<Item>,
): Promise<number> {
  let unassigned = 0;
  let page: Page<Item> | undefined = firstPage;
  let cursor: string | undefined;
  do {
    page ??= await queryPage(db, {
      index: memberListIndex.filter.teamId,
      partition: memberListPartition.team(orgId, teamId),
      sortKey: { beginsWith: memberSortPrefix.name },
      forward: true,
      limit: SWEEP_PAGE,
      cursor,
    });
    for (let i = 0; i < page.items.length; i += SWEEP_PARALLELISM) {
      const batch = page.items.slice(i, i + SWEEP_PARALLELISM);
      const results = await Promise.all(batch.map((item) => unassignOne(db, membershipFromItem(item), teamId, now)));
      unassigned += results.filter(Boolean).length;
    }
    cursor = page.nextCursor ?? undefined;
    page = undefined;
  } while (cursor);
  return unassigned;
}

async function unassignOne(db: Database, indexed: Membership, teamId: string, now: Date): Promise<boolean> {
  // The membership and its search entries move together (membershipWriteSteps), conditioned on
  // the version read: first the index's copy, then, if that was stale, a strong read. A move
  // to another team or a removal is never undone.
  let current: Membership | undefined = indexed;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) current = await getMembership(db, indexed.orgId, indexed.userId);
    if (!current || current.teamId !== teamId) return false;
    try {
      await transactWrite(
        db,
        membershipWriteSteps(db, { ...current, teamId: null, updatedAt: now.toISOString() }, current.version),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError || error instanceof NotFoundError)) throw error;
    }
  }
  throw new ConcurrentModificationError();
}
