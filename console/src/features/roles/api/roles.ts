import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';
import { ROLE_OPTIONS } from '../../members/components/role-options';

export type RoleList = paths['/v1/orgs/{orgId}/roles']['get']['responses'][200]['content']['application/json'];
export type RoleRow = RoleList['items'][number];
export type RoleInput = paths['/v1/orgs/{orgId}/roles']['post']['requestBody']['content']['application/json'];

export const roleKeys = { all: (orgId: string) => ['orgs', orgId, 'roles'] as const };

/** GET /v1/orgs/{orgId}/roles: the org's roles and the permission catalogue (org:manage). */
export const useRoles = (orgId: string, enabled = true) =>
  useQuery({
    queryKey: roleKeys.all(orgId),
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}/roles', { params: { path: { orgId } } })),
    enabled: enabled && orgId !== '',
    retry: false,
  });

/**
 * The roles a Role select offers: the org's, as the API lists them; the built-ins while they load
 * or when the caller may not list roles (the API still decides what they may give).
 */
export function useRoleOptions(orgId: string): { value: string; label: string }[] {
  const roles = useRoles(orgId);
  const items = roles.data?.items ?? [];
  return items.length > 0 ? items.map((r) => ({ value: r.key, label: r.name })) : ROLE_OPTIONS;
}

function useRoleMutation<T>(orgId: string, call: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roleKeys.all(orgId) }),
  });
}

export const useCreateRole = (orgId: string) =>
  useRoleMutation(orgId, (body: RoleInput) =>
    unwrap(api.POST('/v1/orgs/{orgId}/roles', { params: { path: { orgId } }, body })),
  );

export const useUpdateRole = (orgId: string) =>
  useRoleMutation(orgId, ({ key, ...body }: RoleInput) =>
    unwrap(api.PUT('/v1/orgs/{orgId}/roles/{key}', { params: { path: { orgId, key } }, body })),
  );

export const useDeleteRole = (orgId: string) =>
  useRoleMutation(orgId, (key: string) =>
    unwrap<unknown>(api.DELETE('/v1/orgs/{orgId}/roles/{key}', { params: { path: { orgId, key } } })),
  );
