import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';

export const orgKeys = { one: (orgId: string) => ['orgs', orgId, 'org'] as const };

/** An org with its settings and seats (`seatsUsed` of `maxSeats`). */
export const useOrg = (orgId: string) =>
  useQuery({
    queryKey: orgKeys.one(orgId),
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}', { params: { path: { orgId } } })),
  });
