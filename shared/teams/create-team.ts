import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import type { CreateTeamInput } from './schemas.js';
import { auditedTeamFields, type Team } from './team.js';
import { teamNameTaken } from './team-errors.js';
import { teamNameClaimItem, teamToItem } from './team-repository.js';

/**
 * Creates a team. The team and the claim on its lower-cased name are written in one
 * transaction with the audit event, so two concurrent creates of one name make one team.
 */
export async function createTeam(
  db: Database,
  orgId: string,
  input: CreateTeamInput,
  audit: AuditContext,
): Promise<Team> {
  const { team, steps } = createTeamSteps(db, orgId, input, audit);
  await transactWrite(db, steps);
  return team;
}

/** The new team and the steps that create it (team, name claim, audit), for a caller's own transaction. */
export function createTeamSteps(
  db: Database,
  orgId: string,
  input: CreateTeamInput,
  audit: AuditContext,
): { team: Team; steps: TransactionStep[] } {
  const now = audit.now.toISOString();
  const team: Team = {
    orgId,
    teamId: newId(),
    name: input.name,
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const steps = [
    put(db, teamToItem(team), 'attribute_not_exists(PK)', () => new ConflictError('Team id collision; retry')),
    put(db, teamNameClaimItem(team), 'attribute_not_exists(PK)', () => teamNameTaken(team.name)),
    auditStep(
      db,
      { orgId, action: 'team.created', target: { type: 'team', id: team.teamId }, after: auditedTeamFields(team) },
      audit,
    ),
  ];
  return { team, steps };
}
