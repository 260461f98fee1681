import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';

export const teamKeys = { all: (orgId: string) => ['orgs', orgId, 'teams'] as const };

/** The org's teams (first 100, by name), for pickers and the Team column. */
export const useTeams = (orgId: string) =>
  useQuery({
    queryKey: teamKeys.all(orgId),
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}/teams', { params: { path: { orgId }, query: { limit: '100' } } })),
  });
