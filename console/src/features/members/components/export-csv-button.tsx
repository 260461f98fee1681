import { Anchor, Button, Progress, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ProblemError, unwrap } from '../../../lib/api';
import { errorMessage } from '../../../components/ui/problem-alert';
import { saveFile } from '../../../lib/save-file';

const EXPORT_STAGES = { queued: 'Waiting to start', running: 'Writing the file' } as const;

/** The asynchronous export's status, polled every second until it is ready or failed. */
function useMemberExport(orgId: string, exportId: string | null) {
  return useQuery({
    queryKey: ['orgs', orgId, 'member-exports', exportId],
    enabled: exportId !== null,
    queryFn: () =>
      unwrap(
        api.GET('/v1/orgs/{orgId}/member-exports/{exportId}', {
          params: { path: { orgId, exportId: exportId ?? '' } },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.status === 'ready' || query.state.data?.status === 'failed' ? false : 1000,
  });
}

/**
 * Export CSV: the member list as the API writes it (formula-safe). The direct download first;
 * an org the API finds too large for it (413 export_too_large) gets the asynchronous export,
 * with its progress here and a download link once the file is written.
 */
export function ExportCsvButton({ orgId }: { orgId: string }) {
  const [exportId, setExportId] = useState<string | null>(null);
  const exportCsv = useMutation({
    mutationFn: async () => {
      setExportId(null);
      try {
        saveFile(
          (await unwrap(
            api.GET('/v1/orgs/{orgId}/members/export', { params: { path: { orgId } }, parseAs: 'blob' }),
          )) as Blob,
          'members.csv',
        );
      } catch (error) {
        if (!(error instanceof ProblemError && error.problem.code === 'export_too_large')) throw error;
        const queued = await unwrap(api.POST('/v1/orgs/{orgId}/member-exports', { params: { path: { orgId } } }));
        setExportId(queued.exportId);
      }
    },
  });
  const job = useMemberExport(orgId, exportId);
  const status = job.data?.status;
  const working =
    exportId !== null && (status === undefined || status === 'queued' || status === 'running') && !job.isError;
  return (
    <Stack gap={4}>
      <Button variant="default" onClick={() => exportCsv.mutate()} loading={exportCsv.isPending || working}>
        Export CSV
      </Button>
      {working && (
        <Stack gap={2} w={220}>
          <Progress value={100} striped animated aria-label="Export progress" />
          <Text role="status" size="sm">
            Large organization: exporting in the background. {EXPORT_STAGES[status ?? 'queued']}…
          </Text>
        </Stack>
      )}
      {status === 'ready' && job.data?.download && (
        <Stack gap={2} w={220}>
          <Text role="status" size="sm">
            Export ready: {job.data.rowCount ?? 0} members.
          </Text>
          <Anchor href={job.data.download.url} download="members.csv" size="sm">
            Download members.csv
          </Anchor>
        </Stack>
      )}
      {status === 'failed' && (
        <Text role="alert" c="red.9" size="sm" w={220}>
          {job.data?.failureReason ?? 'The export failed; request a new one.'}
        </Text>
      )}
      {(exportCsv.isError || job.isError) && (
        <Text role="alert" c="red.9" size="sm">
          {errorMessage(exportCsv.error ?? job.error)}
        </Text>
      )}
    </Stack>
  );
}
