import { Anchor, Button, Checkbox, Group, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { saveFile } from '../../../lib/save-file';
import {
  fetchImportReport,
  useCommitImport,
  useImportProgress,
  useUploadCsv,
  type ImportJob,
  type ImportMode,
} from '../api/imports';

function Preview({ job }: { job: ImportJob }) {
  return (
    <Stack>
      <Text role="status">
        {job.counts.rows} rows: {job.counts.toImport} to import, {job.counts.rejected} with errors.
        {job.newTeams.length > 0 && ` New teams: ${job.newTeams.join(', ')}.`}
      </Text>
      {job.errors.length > 0 && (
        <Table>
          <Table.Caption>Rows with errors (not imported)</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {job.errors.map((e) => (
              <Table.Tr key={`${e.line}-${e.column}-${e.code}`}>
                <Table.Td>{e.line}</Table.Td>
                <Table.Td>{e.column ?? '—'}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {job.preview.length > 0 && (
        <Table>
          <Table.Caption>First rows to import</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Team</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {job.preview.map((r) => (
              <Table.Tr key={r.line}>
                <Table.Td>{r.line}</Table.Td>
                <Table.Td>{r.email}</Table.Td>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.role}</Table.Td>
                <Table.Td>{r.team ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Import CSV: upload (validated, nothing imported), preview with every row error by line, commit, progress, report. */
export function ImportPage() {
  const { orgId = '' } = useParams();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('invite');
  const [createTeams, setCreateTeams] = useState(false);
  const upload = useUploadCsv(orgId);
  const commit = useCommitImport(orgId);
  const progress = useImportProgress(orgId, commit.data?.importId);
  const job = progress.data ?? commit.data ?? upload.data;
  const [reportError, setReportError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    commit.reset();
    upload.mutate({ csv: await file.text(), mode, createTeams });
  };
  const downloadReport = () => {
    if (!job) return;
    setReportError(null);
    fetchImportReport(orgId, job.importId).then((blob) => saveFile(blob, `import-${job.importId}.csv`), setReportError);
  };
  const committed = Boolean(commit.data);
  const done = job?.status === 'completed' || job?.status === 'cancelled';

  return (
    <Stack maw={900}>
      <Anchor component={Link} to={`/orgs/${orgId}/members`} size="sm">
        ← Members
      </Anchor>
      <Title order={1}>Import CSV</Title>
      <Text size="sm">
        A header row <code>email,name,role,team</code> (role and team optional), then one person per row; up to 10,000
        rows. Nothing is imported until you confirm.
      </Text>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <div>
            <Text component="label" htmlFor={fileId} fw={500} size="sm" display="block">
              CSV file
            </Text>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              disabled={committed}
            />
          </div>
          <Select
            label="Mode"
            data={[
              { value: 'invite', label: 'Invite (each person gets an invitation mail)' },
              { value: 'add', label: 'Add (members without mail)' },
            ]}
            value={mode}
            onChange={(v) => setMode((v ?? 'invite') as ImportMode)}
            allowDeselect={false}
            disabled={committed}
            w={380}
          />
          <Checkbox
            label="Create teams named in the file that do not exist yet"
            checked={createTeams}
            onChange={(e) => setCreateTeams(e.currentTarget.checked)}
            disabled={committed}
          />
          <ProblemAlert error={upload.error} />
          <Group>
            <Button type="submit" disabled={!file || committed} loading={upload.isPending}>
              Upload and preview
            </Button>
          </Group>
        </Stack>
      </form>
      {upload.data && <Preview job={upload.data} />}
      {upload.data && !committed && (
        <Group>
          <Button
            onClick={() => commit.mutate(upload.data.importId)}
            loading={commit.isPending}
            disabled={upload.data.counts.toImport === 0}
          >
            Import {upload.data.counts.toImport} rows
          </Button>
        </Group>
      )}
      <ProblemAlert error={commit.error} />
      {committed && job && (
        <Stack>
          <Text role="status">
            {done
              ? `Import ${job.status}: ${job.created} imported, ${job.skipped} skipped.`
              : `Importing… ${job.processed} of ${job.total}`}
          </Text>
          <Progress value={job.total ? (job.processed / job.total) * 100 : 0} aria-label="Import progress" />
          {done && (
            <Group>
              <Button variant="default" onClick={downloadReport}>
                Download report
              </Button>
            </Group>
          )}
          <ProblemAlert error={reportError ?? progress.error} />
        </Stack>
      )}
    </Stack>
  );
}
