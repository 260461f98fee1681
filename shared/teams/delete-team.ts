import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, membershipTeamIndexAttributes, teamKey, teamNameClaimKey } from '../data/keys.js';
import { queryPage } from '../data/pagination.js';
import { PARTITION_KEY, SORT_KEY } from '../data/table-definition.js';
import { remove, transactWrite } from '../data/transactions.js';
import { ConcurrentModificationError } from '../errors.js';
import { auditedTeamFields } from './team.js';
import { teamNotFound } from './team-errors.js';
import { getTeam } from './team-repository.js';

/** Memberships read per page of the unassignment sweep, and updated in parallel. */
const SWEEP_PAGE = 100;
const SWEEP_PARALLELISM = 10;

/**
 * Deletes a team, then unassigns its members.
 *
 * The team, its name claim and the audit event are one transaction. The members are not in
 * it: a team may hold any number of members and a transaction at most 100 items, so they are
 * unassigned afterwards, page by page from the team's member index, each with an idempotent
 * conditional update. No member can join the team meanwhile (adding or moving a member checks
 * the team exists in its own transaction). Should the sweep be cut short (timeout), a member
 * keeps a dangling teamId that reads as "no team"; repeating the DELETE sweeps again.
 */
export async function deleteTeam(db: Database, orgId: string, teamId: string, audit: AuditContext): Promise<{ membersUnassigned: number }> {
  const team = await getTeam(db, orgId, teamId);
  if (!team) {
    // Finishes the sweep of an earlier delete that was interrupted; for any other id the
    // team's member index is empty and this is one empty Query.
    await unassignTeamMembers(db, orgId, teamId, audit.now);
    throw teamNotFound();
  }
  await transactWrite(db, [
    remove(db, teamKey(orgId, teamId), { expression: 'version = :seen', values: { ':seen': team.version } }, (item) => (item ? new ConcurrentModificationError() : teamNotFound())),
    remove(db, teamNameClaimKey(orgId, team.name), { expression: 'teamId = :t', values: { ':t': teamId } }),
    auditStep(db, { orgId, action: 'team.deleted', target: { type: 'team', id: teamId }, before: auditedTeamFields(team) }, audit),
  ]);
  return { membersUnassigned: await unassignTeamMembers(db, orgId, teamId, audit.now) };
}

/**
 * Removes the team from every membership in the team's member index (GSI8). Each update is
 * conditioned on the membership still naming this team, so it is safe to repeat and never
 * undoes a move to another team; it bumps the version, so a concurrent full replace that read
 * the old team fails and is retried rather than writing the deleted team back.
 */
export async function unassignTeamMembers(db: Database, orgId: string, teamId: string, now: Date): Promise<number> {
  const { partitionKey, sortKey } = membershipTeamIndexAttributes;
  let unassigned = 0;
  let cursor: string | undefined;
  do {
    const page = await queryPage(
      db,
      { index: memberListIndex.filter.teamId, partition: memberListPartition.team(orgId, teamId), forward: true, limit: SWEEP_PAGE, cursor },
      // Only what the update and the cursor need.
      { ProjectionExpression: [PARTITION_KEY, SORT_KEY, partitionKey, sortKey].join(', ') },
    );
    for (let i = 0; i < page.items.length; i += SWEEP_PARALLELISM) {
      const batch = page.items.slice(i, i + SWEEP_PARALLELISM);
      const results = await Promise.all(batch.map((item) => unassignOne(db, { [PARTITION_KEY]: item[PARTITION_KEY], [SORT_KEY]: item[SORT_KEY] }, teamId, now)));
      unassigned += results.filter(Boolean).length;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return unassigned;
}

async function unassignOne(db: Database, key: Record<string, unknown>, teamId: string, now: Date): Promise<boolean> {
  const { partitionKey, sortKey } = membershipTeamIndexAttributes;
  try {
    await db.client.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'REMOVE teamId, #teamPk, #teamSk SET updatedAt = :now, version = if_not_exists(version, :zero) + :one',
        ConditionExpression: 'teamId = :t',
        ExpressionAttributeNames: { '#teamPk': partitionKey, '#teamSk': sortKey },
        ExpressionAttributeValues: { ':t': teamId, ':now': now.toISOString(), ':zero': 0, ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    // Already unassigned, moved to another team, or removed: nothing left to do for it.
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
