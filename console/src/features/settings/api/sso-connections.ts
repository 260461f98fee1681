import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';

const base = '/v1/orgs/{orgId}/sso-connections';
const one = '/v1/orgs/{orgId}/sso-connections/{connectionId}';
export type SsoConnection =
  paths[typeof base]['get']['responses']['200']['content']['application/json']['items'][number];
export type NewSsoConnection = paths[typeof base]['post']['requestBody']['content']['application/json'];
export type SsoConnectionPatch = paths[typeof one]['patch']['requestBody']['content']['application/json'];

const ssoConnectionKeys = (orgId: string) => ['orgs', orgId, 'sso-connections'] as const;

export const useSsoConnections = (orgId: string) =>
  useQuery({
    queryKey: ssoConnectionKeys(orgId),
    queryFn: async () => (await unwrap(api.GET(base, { params: { path: { orgId }, query: { limit: '100' } } }))).items,
  });

export function useCreateSsoConnection(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewSsoConnection) => unwrap(api.POST(base, { params: { path: { orgId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoConnectionKeys(orgId) }),
  });
}

export function useUpdateSsoConnection(orgId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SsoConnectionPatch) =>
      unwrap(api.PATCH(one, { params: { path: { orgId, connectionId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoConnectionKeys(orgId) }),
  });
}

export function useDeleteSsoConnection(orgId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap<unknown>(api.DELETE(one, { params: { path: { orgId, connectionId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoConnectionKeys(orgId) }),
  });
}
