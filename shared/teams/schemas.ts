import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { displayName, resourceId, trimmedString } from '../schemas.js';

export const teamPathParams = z.object({ orgId: resourceId, teamId: resourceId });

/** Optional free text; an empty string is refused rather than stored as "no description". */
const description = trimmedString(1, 1000);

export const createTeamBody = z.strictObject({
  name: displayName,
  description: z.optional(z.nullable(description)),
});
export type CreateTeamInput = z.infer<typeof createTeamBody>;

/** PUT is a full replace: a missing or null description clears it. */
export const updateTeamBody = createTeamBody;
export type UpdateTeamInput = z.infer<typeof updateTeamBody>;

export const listTeamsQuery = z.strictObject({ ...pageQuery });
export type ListTeamsQuery = z.infer<typeof listTeamsQuery>;

export const teamResponse = z.object({
  teamId: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const teamPage = z.object({ items: z.array(teamResponse), nextCursor: z.nullable(z.string()) });
