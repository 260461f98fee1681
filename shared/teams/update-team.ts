import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { nameSortValue, teamNameClaimKey } from '../data/keys.js';
import { put, remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError } from '../errors.js';
import type { UpdateTeamInput } from './schemas.js';
import { auditedTeamFields, type Team } from './team.js';
import { teamNameTaken, teamNotFound } from './team-errors.js';
import { getTeam, teamNameClaimItem, teamToItem } from './team-repository.js';

/**
 * Replaces a team's name and description. A rename claims the new name, releases the old
 * claim and rewrites the team in one transaction (with the audit event), conditioned on the
 * version read, so the name stays unique and the audit's before/after is exactly what changed.
 */
export async function updateTeam(
  db: Database,
  orgId: string,
  teamId: string,
  input: UpdateTeamInput,
  audit: AuditContext,
): Promise<Team> {
  const current = await getTeam(db, orgId, teamId);
  if (!current) throw teamNotFound();
  const { team, steps } = updateTeamSteps(db, current, input, audit);
  if (steps.length > 0) await transactWrite(db, steps);
  return team;
}

/** The team after a name/description change and the steps that write it (none when nothing changes). */
export function updateTeamSteps(
  db: Database,
  current: Team,
  input: UpdateTeamInput,
  audit: AuditContext,
): { team: Team; steps: TransactionStep[] } {
  const { orgId, teamId } = current;
  const next: Team = {
    ...current,
    name: input.name,
    description: input.description ?? null,
    updatedAt: audit.now.toISOString(),
    version: current.version + 1,
  };
  const changes = diffFields(auditedTeamFields(current), auditedTeamFields(next));
  if (Object.keys(changes.after).length === 0) return { team: current, steps: [] };

  // A change of case only keeps the same claim item: a transaction may not touch one item twice.
  const claimMoves = nameSortValue(next.name) !== nameSortValue(current.name);
  const steps: TransactionStep[] = [
    put(db, teamToItem(next), { expression: 'version = :seen', values: { ':seen': current.version } }, (item) =>
      item ? new ConcurrentModificationError() : teamNotFound(),
    ),
    ...(claimMoves
      ? [
          put(db, teamNameClaimItem(next), 'attribute_not_exists(PK)', () => teamNameTaken(next.name)),
          remove(db, teamNameClaimKey(orgId, current.name), { expression: 'teamId = :t', values: { ':t': teamId } }),
        ]
      : []),
    auditStep(db, { orgId, action: 'team.updated', target: { type: 'team', id: teamId }, ...changes }, audit),
  ];
  return { team: next, steps };
}
