import { Badge, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { QueryState } from '../../../components/ui/query-state';
import { useSignOut } from '../../auth/api/use-sign-out';
import { useLeaveOrg, useMe, type Membership } from '../../me/api/me';
import { roleLabel, StatusBadge } from '../../members/components/members-table';
import { TwoFactorSetup } from '../components/two-factor-setup';

/** Leave one org, after a confirmation; a refusal (e.g. its last admin) shows the API's detail in the dialog. */
function LeaveOrg({ membership }: { membership: Membership }) {
  const leave = useLeaveOrg(membership.orgId);
  const name = membership.orgName ?? membership.orgId;
  return (
    <ConfirmAction
      label="Leave"
      aria-label={`Leave ${name}`}
      size="xs"
      variant="default"
      message={`You will lose access to ${name} at once; an admin of ${name} would have to add or invite you again.`}
      onConfirm={() => leave.mutateAsync()}
      pending={leave.isPending}
      error={leave.error}
    />
  );
}

/** Account: who you are, your organizations, two-factor authentication, sign out. */
export function AccountPage() {
  const me = useMe();
  const signOut = useSignOut();
  return (
    <QueryState query={me}>
      {(data) => (
        <Stack maw={820}>
          <Title order={1}>Account</Title>
          <Paper withBorder p="md">
            <Stack gap={4}>
              <Text fw={600}>{data.user?.name ?? 'Platform operator'}</Text>
              <Text>{data.user?.email}</Text>
              {data.isPlatformAdmin && <Badge>Platform operator</Badge>}
            </Stack>
          </Paper>
          <Title order={2} size="h3">
            Your organizations
          </Title>
          {data.memberships.length === 0 ? (
            <Text c="dimmed">You are not a member of any organization.</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Organization</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.memberships.map((m) => (
                  <Table.Tr key={m.orgId}>
                    <Table.Td>{m.orgName ?? m.orgId}</Table.Td>
                    <Table.Td>{roleLabel(m.role)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={m.status} />
                    </Table.Td>
                    <Table.Td>
                      <LeaveOrg membership={m} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {data.user && <TwoFactorSetup enabled={data.user.mfaEnabled} />}
          <div>
            <Button variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </div>
        </Stack>
      )}
    </QueryState>
  );
}
