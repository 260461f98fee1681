import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';
import { orgKeys } from '../../orgs/api/orgs';
export { BULK_ROLE_LIMIT } from './bulk-role-limit';

export type MemberListQuery = NonNullable<paths['/v1/orgs/{orgId}/members']['get']['parameters']['query']>;
export type MemberRow = Awaited<ReturnType<typeof listMembers>>['items'][number];
export type AddMemberBody = paths['/v1/orgs/{orgId}/members']['post']['requestBody']['content']['application/json'];
export type ReplaceMemberBody =
  paths['/v1/orgs/{orgId}/members/{userId}']['put']['requestBody']['content']['application/json'];
export type BulkRoleBody =
  paths['/v1/orgs/{orgId}/members/bulk-role']['post']['requestBody']['content']['application/json'];
export type CreateInvitationsBody =
  paths['/v1/orgs/{orgId}/invitations']['post']['requestBody']['content']['application/json'];

export const memberKeys = {
  all: (orgId: string) => ['orgs', orgId, 'members'] as const,
  list: (orgId: string, query: MemberListQuery) => [...memberKeys.all(orgId), 'list', query] as const,
  one: (orgId: string, userId: string) => [...memberKeys.all(orgId), 'one', userId] as const,
};

const listMembers = (orgId: string, query: MemberListQuery) =>
  unwrap(api.GET('/v1/orgs/{orgId}/members', { params: { path: { orgId }, query } }));

/** One page of members; the previous page stays on screen while the next loads. */
export const useMembers = (orgId: string, query: MemberListQuery) =>
  useQuery({
    queryKey: memberKeys.list(orgId, query),
    queryFn: () => listMembers(orgId, query),
    placeholderData: keepPreviousData,
  });

export const useMember = (orgId: string, userId: string) =>
  useQuery({
    queryKey: memberKeys.one(orgId, userId),
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}/members/{userId}', { params: { path: { orgId, userId } } })),
  });

/** After any change to members: the lists, the member, the org's seat count and the audit trail (the member's activity). */
function useInvalidateMembers(orgId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: memberKeys.all(orgId) }),
      queryClient.invalidateQueries({ queryKey: orgKeys.one(orgId) }),
      queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'invitations'] }),
      queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'audit'] }),
    ]);
}

export function useAddMember(orgId: string) {
  const invalidate = useInvalidateMembers(orgId);
  return useMutation({
    mutationFn: (body: AddMemberBody) =>
      unwrap(api.POST('/v1/orgs/{orgId}/members', { params: { path: { orgId } }, body })),
    onSuccess: invalidate,
  });
}

export function useInviteMembers(orgId: string) {
  const invalidate = useInvalidateMembers(orgId);
  return useMutation({
    mutationFn: (body: CreateInvitationsBody) =>
      unwrap(api.POST('/v1/orgs/{orgId}/invitations', { params: { path: { orgId } }, body })),
    onSuccess: invalidate,
  });
}

export function useReplaceMember(orgId: string, userId: string) {
  const invalidate = useInvalidateMembers(orgId);
  return useMutation({
    mutationFn: (body: ReplaceMemberBody) =>
      unwrap(api.PUT('/v1/orgs/{orgId}/members/{userId}', { params: { path: { orgId, userId } }, body })),
    onSuccess: invalidate,
  });
}

type MemberAction = 'suspend' | 'reactivate' | 'reset-password' | 'reset-mfa' | 'revoke-sessions';
const memberActions = {
  suspend: (p: { orgId: string; userId: string }) =>
    api.POST('/v1/orgs/{orgId}/members/{userId}/suspend', { params: { path: p } }),
  reactivate: (p: { orgId: string; userId: string }) =>
    api.POST('/v1/orgs/{orgId}/members/{userId}/reactivate', { params: { path: p } }),
  'reset-password': (p: { orgId: string; userId: string }) =>
    api.POST('/v1/orgs/{orgId}/members/{userId}/reset-password', { params: { path: p } }),
  'reset-mfa': (p: { orgId: string; userId: string }) =>
    api.POST('/v1/orgs/{orgId}/members/{userId}/reset-mfa', { params: { path: p } }),
  'revoke-sessions': (p: { orgId: string; userId: string }) =>
    api.POST('/v1/orgs/{orgId}/members/{userId}/revoke-sessions', { params: { path: p } }),
} satisfies Record<MemberAction, unknown>;

/** A member action without a body (status changes and credential actions). */
export function useMemberAction(orgId: string, userId: string, action: MemberAction) {
  const invalidate = useInvalidateMembers(orgId);
  return useMutation({
    mutationFn: () => unwrap<unknown>(memberActions[action]({ orgId, userId })),
    onSuccess: invalidate,
  });
}

export function useRemoveMember(orgId: string, userId: string) {
  const invalidate = useInvalidateMembers(orgId);
  return useMutation({
    mutationFn: () =>
      unwrap<unknown>(api.DELETE('/v1/orgs/{orgId}/members/{userId}', { params: { path: { orgId, userId } } })),
    onSuccess: invalidate,
  });
}

/** Bulk role change: all or nothing; the answer lists who changed and who already had the role. */
export function useBulkRole(orgId: string) {
  const invalidate = useInvalidateMembers(orgId);
  return useMutation({
    mutationFn: (body: BulkRoleBody) =>
      unwrap(api.POST('/v1/orgs/{orgId}/members/bulk-role', { params: { path: { orgId } }, body })),
    onSuccess: invalidate,
  });
}
