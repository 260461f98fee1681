import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { CursorPager } from '../../../components/ui/cursor-pager';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { InviteMembersDialog } from '../../members/components/invite-members-dialog';
import { formatDate, roleLabel } from '../../members/components/members-table';
import { useTeams } from '../../teams/api/teams';
import { useInvitationAction, useInvitations, type InvitationQuery } from '../api/invitations';

type Invitation = NonNullable<ReturnType<typeof useInvitations>['data']>['items'][number];

function InvitationActions({ orgId, invitation }: { orgId: string; invitation: Invitation }) {
  const resend = useInvitationAction(orgId, invitation.invitationId, 'resend');
  const revoke = useInvitationAction(orgId, invitation.invitationId, 'revoke');
  if (invitation.status !== 'pending' && invitation.status !== 'expired') return null;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          loading={resend.isPending}
          onClick={() => resend.mutate()}
          aria-label={`Resend ${invitation.email}`}
        >
          Resend
        </Button>
        {invitation.status === 'pending' && (
          <ConfirmAction
            label="Revoke"
            size="xs"
            variant="default"
            aria-label={`Revoke ${invitation.email}`}
            message={`The link mailed to ${invitation.email} stops working and the seat is freed.`}
            onConfirm={() => revoke.mutateAsync()}
            pending={revoke.isPending}
            error={revoke.error}
          />
        )}
      </Group>
      {resend.isSuccess && (
        <Text size="xs" role="status">
          Sent again.
        </Text>
      )}
      <ProblemAlert error={resend.error} />
    </Stack>
  );
}

/** Invitations: status and delivery of each, Resend and Revoke, and Invite members. */
export function InvitationsPage() {
  const { orgId = '' } = useParams();
  const [status, setStatus] = useState<string | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const [inviting, inviteDialog] = useDisclosure(false);
  const teams = useTeams(orgId);
  const teamOptions = useMemo(
    () => (teams.data?.items ?? []).map((t) => ({ value: t.teamId, label: t.name })),
    [teams.data],
  );
  const query: InvitationQuery = {
    limit: '25',
    ...(status ? { status: status as InvitationQuery['status'] } : {}),
    ...(cursors.length ? { cursor: cursors[cursors.length - 1] } : {}),
  };
  const invitations = useInvitations(orgId, query);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Invitations</Title>
        <Button onClick={inviteDialog.open}>Invite members</Button>
      </Group>
      <Select
        label="Status"
        data={['pending', 'accepted', 'expired', 'revoked']}
        value={status}
        onChange={(v) => (setStatus(v), setCursors([]))}
        clearable
        placeholder="Any"
        w={180}
      />
      <QueryState query={invitations}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">No invitations.</Text>
          ) : (
            <>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Delivery</Table.Th>
                    <Table.Th>Invited by</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((i) => (
                    <Table.Tr key={i.invitationId}>
                      <Table.Td>{i.email}</Table.Td>
                      <Table.Td>{roleLabel(i.role)}</Table.Td>
                      <Table.Td>
                        <Badge variant="outline" color="gray.7">
                          {i.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td title={i.deliveryError ?? undefined}>
                        {i.delivery}
                        {i.deliveryError ? `: ${i.deliveryError}` : ''}
                      </Table.Td>
                      <Table.Td>{i.invitedBy.email}</Table.Td>
                      <Table.Td>{formatDate(i.expiresAt)}</Table.Td>
                      <Table.Td>
                        <InvitationActions orgId={orgId} invitation={i} />
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
      <InviteMembersDialog orgId={orgId} opened={inviting} onClose={inviteDialog.close} teams={teamOptions} />
    </Stack>
  );
}
