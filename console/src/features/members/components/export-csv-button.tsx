import { Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';
import { errorMessage } from '../../../components/ui/problem-alert';
import { saveFile } from '../../../lib/save-file';

/** Export CSV: the member list as the API writes it (formula-safe), downloaded as members.csv. */
export function ExportCsvButton({ orgId }: { orgId: string }) {
  const exportCsv = useMutation({
    mutationFn: async () => saveFile(await unwrap(api.GET('/v1/orgs/{orgId}/members/export', { params: { path: { orgId } }, parseAs: 'blob' })) as Blob, 'members.csv'),
  });
  return (
    <Stack gap={2}>
      <Button variant="default" onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
        Export CSV
      </Button>
      {exportCsv.isError && (
        <Text role="alert" c="red" size="sm">
          {errorMessage(exportCsv.error)}
        </Text>
      )}
    </Stack>
  );
}
