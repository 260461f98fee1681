import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type paths } from '../../../lib/api';

export type ImportMode = NonNullable<paths['/v1/orgs/{orgId}/imports']['post']['parameters']['query']>['mode'];
export type ImportJob = Awaited<ReturnType<typeof uploadCsv>>;

const uploadCsv = (orgId: string, csv: string, mode: ImportMode, createTeams: boolean) =>
  unwrap(
    api.POST('/v1/orgs/{orgId}/imports', {
      params: { path: { orgId }, query: { mode, ...(createTeams ? { createTeams: 'true' } : {}) } },
      body: csv,
      headers: { 'content-type': 'text/csv' },
      // The CSV goes as it is, not as JSON.
      bodySerializer: (body: string) => body,
    }),
  );

/** Upload: validates every row and imports nothing (the preview). */
export const useUploadCsv = (orgId: string) =>
  useMutation({
    mutationFn: (input: { csv: string; mode: ImportMode; createTeams: boolean }) =>
      uploadCsv(orgId, input.csv, input.mode, input.createTeams),
  });

export function useCommitImport(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (importId: string) =>
      unwrap(api.POST('/v1/orgs/{orgId}/imports/{importId}/commit', { params: { path: { orgId, importId } } })),
    onSuccess: (job) => queryClient.setQueryData(['orgs', orgId, 'imports', job.importId], job),
  });
}

const running = (job: ImportJob | undefined) => job?.status === 'queued' || job?.status === 'running';

/** The import's progress, polled every second while it runs; members and seats are refreshed when it ends. */
export function useImportProgress(orgId: string, importId: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['orgs', orgId, 'imports', importId],
    enabled: Boolean(importId),
    queryFn: async () => {
      const job = await unwrap(
        api.GET('/v1/orgs/{orgId}/imports/{importId}', { params: { path: { orgId, importId: importId! } } }),
      );
      if (!running(job))
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'members'] }),
          queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'org'] }),
        ]);
      return job;
    },
    refetchInterval: (query) => (running(query.state.data) ? 1000 : false),
  });
}

export const fetchImportReport = (orgId: string, importId: string) =>
  unwrap(
    api.GET('/v1/orgs/{orgId}/imports/{importId}/report', { params: { path: { orgId, importId } }, parseAs: 'blob' }),
  ) as Promise<unknown> as Promise<Blob>;
