import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { QueryState } from '../../../components/ui/query-state';
import { useOrg } from '../../orgs/api/orgs';
import { useTeams } from '../../teams/api/teams';
import { useMembers, type MemberListQuery } from '../api/members';
import { AddMemberDialog } from '../components/add-member-dialog';
import { BulkRoleBar } from '../components/bulk-role-bar';
import { InviteMembersDialog } from '../components/invite-members-dialog';
import { MembersTable } from '../components/members-table';
import { useRoleOptions } from '../../roles/api/roles';
import { ExportCsvButton } from '../components/export-csv-button';

type Sort = NonNullable<MemberListQuery['sort']>;
const PAGE_SIZE = 25;

/** Members: search, filters, sortable headers, cursor paging, seats, and the add/invite/import/export actions. */
export function MembersPage() {
  const { orgId = '' } = useParams();
  const navigate = useNavigate();
  const org = useOrg(orgId);
  const teams = useTeams(orgId);
  const roleOptions = useRoleOptions(orgId);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [sort, setSort] = useState<Sort>('name');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  // The cursors of the pages before this one; the API's cursors only go forward.
  const [cursors, setCursors] = useState<string[]>([]);
  const [adding, addDialog] = useDisclosure(false);
  const [inviting, inviteDialog] = useDisclosure(false);
  // Selected members, kept across pages and filters until a bulk change or Clear selection.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selection = {
    selected,
    onChange: (userIds: string[], on: boolean) =>
      setSelected((current) => {
        const next = new Set(current);
        for (const id of userIds)
          if (on) next.add(id);
          else next.delete(id);
        return next;
      }),
  };

  const query: MemberListQuery = {
    limit: String(PAGE_SIZE),
    sort,
    order,
    ...(q ? { q } : {}),
    ...(status ? { status: status as MemberListQuery['status'] } : {}),
    ...(role ? { role: role as MemberListQuery['role'] } : {}),
    ...(teamId ? { teamId } : {}),
    ...(cursors.length > 0 ? { cursor: cursors[cursors.length - 1] } : {}),
  };
  const members = useMembers(orgId, query);
  const teamOptions = useMemo(
    () => (teams.data?.items ?? []).map((t) => ({ value: t.teamId, label: t.name })),
    [teams.data],
  );
  const teamNames = useMemo(() => new Map(teamOptions.map((t) => [t.value, t.label])), [teamOptions]);
  const restart = () => setCursors([]);
  const onSort = (next: Sort) => {
    setOrder(next === sort && order === 'asc' ? 'desc' : 'asc');
    setSort(next);
    restart();
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Members</Title>
          {org.data && (
            <Text c="dimmed" data-testid="seats">
              {org.data.seatsUsed} of {org.data.maxSeats} seats used
            </Text>
          )}
        </div>
        <Group>
          <Button onClick={addDialog.open}>Add member</Button>
          <Button variant="default" onClick={inviteDialog.open}>
            Invite members
          </Button>
          <Button variant="default" onClick={() => navigate(`/orgs/${orgId}/import`)}>
            Import CSV
          </Button>
          <ExportCsvButton orgId={orgId} />
        </Group>
      </Group>
      <Group align="flex-end">
        <TextInput
          type="search"
          label="Search"
          placeholder="Name or email"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            restart();
          }}
          w={280}
        />
        <Select
          label="Status"
          data={['active', 'suspended', 'deprovisioned']}
          value={status}
          onChange={(v) => (setStatus(v), restart())}
          clearable
          placeholder="Any"
          w={160}
        />
        <Select
          label="Role"
          data={roleOptions}
          value={role}
          onChange={(v) => (setRole(v), restart())}
          clearable
          placeholder="Any"
          w={140}
        />
        <Select
          label="Team"
          data={teamOptions}
          value={teamId}
          onChange={(v) => (setTeamId(v), restart())}
          clearable
          placeholder="Any"
          w={180}
        />
      </Group>
      <BulkRoleBar orgId={orgId} selected={[...selected]} onDone={() => setSelected(new Set())} />
      <QueryState query={members}>
        {(page) => (
          <>
            <MembersTable
              orgId={orgId}
              rows={page.items}
              teamNames={teamNames}
              sort={sort}
              order={order}
              onSort={onSort}
              selection={selection}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Previous page
              </Button>
              <Button
                variant="default"
                disabled={!page.nextCursor}
                onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
              >
                Next page
              </Button>
            </Group>
          </>
        )}
      </QueryState>
      <AddMemberDialog orgId={orgId} opened={adding} onClose={addDialog.close} teams={teamOptions} />
      <InviteMembersDialog orgId={orgId} opened={inviting} onClose={inviteDialog.close} teams={teamOptions} />
    </Stack>
  );
}
