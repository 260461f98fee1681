import { Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { CursorPager } from '../../../components/ui/cursor-pager';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { formatDate } from '../../members/components/members-table';
import { useDecideJoinRequest, useJoinRequests, type JoinRequestQuery } from '../api/join-requests';

function Decide({ orgId, requestId, email }: { orgId: string; requestId: string; email: string }) {
  const approve = useDecideJoinRequest(orgId, requestId, 'approve');
  const reject = useDecideJoinRequest(orgId, requestId, 'reject');
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Button size="xs" loading={approve.isPending} onClick={() => approve.mutate()} aria-label={`Approve ${email}`}>
          Approve
        </Button>
        <ConfirmAction
          label="Reject"
          size="xs"
          variant="default"
          aria-label={`Reject ${email}`}
          message={`${email} will not join this organization.`}
          onConfirm={() => reject.mutateAsync()}
          pending={reject.isPending}
          error={reject.error}
        />
      </Group>
      <ProblemAlert error={approve.error} />
    </Stack>
  );
}

/** Join requests: pending by default, Approve (needs a seat) or Reject. */
export function JoinRequestsPage() {
  const { orgId = '' } = useParams();
  const [status, setStatus] = useState<JoinRequestQuery['status']>('pending');
  const [cursors, setCursors] = useState<string[]>([]);
  const requests = useJoinRequests(orgId, {
    status,
    limit: '25',
    ...(cursors.length ? { cursor: cursors[cursors.length - 1] } : {}),
  });
  return (
    <Stack>
      <Title order={1}>Join requests</Title>
      <Select
        label="Status"
        data={['pending', 'approved', 'rejected']}
        value={status ?? 'pending'}
        onChange={(v) => (setStatus((v ?? 'pending') as JoinRequestQuery['status']), setCursors([]))}
        allowDeselect={false}
        w={180}
      />
      <QueryState query={requests}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">No {status} join requests.</Text>
          ) : (
            <>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Asked</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((r) => (
                    <Table.Tr key={r.requestId}>
                      <Table.Td>{r.name}</Table.Td>
                      <Table.Td>{r.email}</Table.Td>
                      <Table.Td>{formatDate(r.createdAt)}</Table.Td>
                      <Table.Td>{r.status}</Table.Td>
                      <Table.Td>
                        {r.status === 'pending' ? (
                          <Decide orgId={orgId} requestId={r.requestId} email={r.email} />
                        ) : (
                          `${r.decidedBy ?? ''} ${formatDate(r.decidedAt)}`
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <CursorPager cursors={cursors} nextCursor={page.nextCursor} onChange={setCursors} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
