import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';
import { orgKeys } from '../../orgs/api/orgs';

export type JoinRequestQuery = NonNullable<paths['/v1/orgs/{orgId}/join-requests']['get']['parameters']['query']>;
const joinRequestKeys = { all: (orgId: string) => ['orgs', orgId, 'join-requests'] as const };

export const useJoinRequests = (orgId: string, query: JoinRequestQuery) =>
  useQuery({
    queryKey: [...joinRequestKeys.all(orgId), query],
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}/join-requests', { params: { path: { orgId }, query } })),
  });

/** Approve (the person becomes a member; needs a seat) or reject a pending request. */
export function useDecideJoinRequest(orgId: string, requestId: string, decision: 'approve' | 'reject') {
  const queryClient = useQueryClient();
  const path = { orgId, requestId };
  return useMutation({
    mutationFn: () =>
      decision === 'approve'
        ? unwrap(api.POST('/v1/orgs/{orgId}/join-requests/{requestId}/approve', { params: { path } }))
        : unwrap(api.POST('/v1/orgs/{orgId}/join-requests/{requestId}/reject', { params: { path } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: joinRequestKeys.all(orgId) }),
        queryClient.invalidateQueries({ queryKey: orgKeys.one(orgId) }),
        queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'members'] }),
      ]),
  });
}
