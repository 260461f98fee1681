/** A team of an org's members; a membership names at most one team (`teamId`). */
export interface Team {
  orgId: string;
  teamId: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every write; updates and deletes are conditioned on the version read. */
  version: number;
}

/** The team as the API shows it. */
export function teamView(team: Team) {
  return {
    teamId: team.teamId,
    name: team.name,
    ...(team.description !== null ? { description: team.description } : {}),
    createdAt: team.createdAt,
    updatedAt: team.updatedAt,
  };
}

/** The fields an audit event records before/after. */
export const auditedTeamFields = (team: Pick<Team, 'name' | 'description'>) => ({
  name: team.name,
  description: team.description,
});
