import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';
import { orgKeys } from '../../orgs/api/orgs';

export type InvitationQuery = NonNullable<paths['/v1/orgs/{orgId}/invitations']['get']['parameters']['query']>;

export const invitationKeys = {
  all: (orgId: string) => ['orgs', orgId, 'invitations'] as const,
  list: (orgId: string, query: InvitationQuery) => [...invitationKeys.all(orgId), query] as const,
};

export const useInvitations = (orgId: string, query: InvitationQuery) =>
  useQuery({
    queryKey: invitationKeys.list(orgId, query),
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}/invitations', { params: { path: { orgId }, query } })),
    placeholderData: keepPreviousData,
  });

/** Resend (new token, clock restarts) or revoke (seat freed); both change the list and the seats. */
export function useInvitationAction(orgId: string, invitationId: string, action: 'resend' | 'revoke') {
  const queryClient = useQueryClient();
  const path = { orgId, invitationId };
  return useMutation({
    mutationFn: () =>
      action === 'resend'
        ? unwrap<unknown>(api.POST('/v1/orgs/{orgId}/invitations/{invitationId}/resend', { params: { path } }))
        : unwrap<unknown>(api.DELETE('/v1/orgs/{orgId}/invitations/{invitationId}', { params: { path } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: invitationKeys.all(orgId) }),
        queryClient.invalidateQueries({ queryKey: orgKeys.one(orgId) }),
      ]),
  });
}
