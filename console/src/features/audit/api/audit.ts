import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';

export type AuditQuery = NonNullable<paths['/v1/orgs/{orgId}/audit-events']['get']['parameters']['query']>;

export const auditKeys = { list: (orgId: string, query: AuditQuery) => ['orgs', orgId, 'audit', query] as const };

/** One page of the org's audit trail, newest first. */
export const useAuditEvents = (orgId: string, query: AuditQuery) =>
  useQuery({
    queryKey: auditKeys.list(orgId, query),
    queryFn: () => unwrap(api.GET('/v1/orgs/{orgId}/audit-events', { params: { path: { orgId }, query } })),
    placeholderData: keepPreviousData,
  });
