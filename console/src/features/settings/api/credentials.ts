import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';

/** SCIM tokens and API keys: the same list / create (secret shown once) / revoke shape. */
export type CredentialKind = 'scim-tokens' | 'api-keys';
export interface CredentialRow {
  id: string;
  name: string;
  createdAt: string;
}

const calls = {
  'scim-tokens': {
    list: async (orgId: string): Promise<CredentialRow[]> =>
      (
        await unwrap(api.GET('/v1/orgs/{orgId}/scim-tokens', { params: { path: { orgId }, query: { limit: '100' } } }))
      ).items.map((t) => ({ id: t.tokenId, name: t.name, createdAt: t.createdAt })),
    create: async (orgId: string, name: string) =>
      (await unwrap(api.POST('/v1/orgs/{orgId}/scim-tokens', { params: { path: { orgId } }, body: { name } }))).secret,
    revoke: (orgId: string, id: string) =>
      unwrap<unknown>(
        api.DELETE('/v1/orgs/{orgId}/scim-tokens/{tokenId}', { params: { path: { orgId, tokenId: id } } }),
      ),
  },
  'api-keys': {
    list: async (orgId: string): Promise<CredentialRow[]> =>
      (
        await unwrap(api.GET('/v1/orgs/{orgId}/api-keys', { params: { path: { orgId }, query: { limit: '100' } } }))
      ).items.map((k) => ({ id: k.keyId, name: k.name, createdAt: k.createdAt })),
    create: async (orgId: string, name: string) =>
      (await unwrap(api.POST('/v1/orgs/{orgId}/api-keys', { params: { path: { orgId } }, body: { name } }))).secret,
    revoke: (orgId: string, id: string) =>
      unwrap<unknown>(api.DELETE('/v1/orgs/{orgId}/api-keys/{keyId}', { params: { path: { orgId, keyId: id } } })),
  },
};

const credentialKeys = (orgId: string, kind: CredentialKind) => ['orgs', orgId, kind] as const;

export const useCredentials = (orgId: string, kind: CredentialKind) =>
  useQuery({ queryKey: credentialKeys(orgId, kind), queryFn: () => calls[kind].list(orgId) });

export function useCreateCredential(orgId: string, kind: CredentialKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => calls[kind].create(orgId, name),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: credentialKeys(orgId, kind) }),
  });
}

export function useRevokeCredential(orgId: string, kind: CredentialKind, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => calls[kind].revoke(orgId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: credentialKeys(orgId, kind) }),
  });
}

export function useRotateWebhookSecret(orgId: string) {
  return useMutation({
    mutationFn: async () =>
      (await unwrap(api.POST('/v1/orgs/{orgId}/webhook-secret', { params: { path: { orgId } } }))).secret,
  });
}
