import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';

export type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;
export type Membership = Me['memberships'][number];
export type Role = Membership['role'];

const fetchMe = () => unwrap(api.GET('/v1/me'));

export const meKeys = { me: ['me'] as const };

/** GET /v1/me: who is signed in and the orgs they belong to. */
export const useMe = () => useQuery({ queryKey: meKeys.me, queryFn: fetchMe });

/**
 * Whether the membership may use the org's admin pages: its role reads members (org_admin and, say, a
 * member manager), as GET /v1/me reports the role's permissions; each page's API still decides.
 */
export const isOrgAdmin = (membership: Membership | undefined): boolean =>
  membership?.status === 'active' &&
  (membership.permissions.includes('members:read') || membership.permissions.includes('org:manage'));

/** DELETE /v1/me/memberships/{orgId}: leave an org; the API refuses the last active admin. */
export function useLeaveOrg(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap<unknown>(api.DELETE('/v1/me/memberships/{orgId}', { params: { path: { orgId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.me }),
  });
}
