import { Anchor, Badge, Checkbox, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { MemberListQuery, MemberRow } from '../api/members';

type Sort = NonNullable<MemberListQuery['sort']>;
const COLUMNS: { label: string; sort?: Sort }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Email', sort: 'email' },
  { label: 'Team' },
  { label: 'Role' },
  { label: 'Status' },
  { label: 'Last login', sort: 'lastLoginAt' },
  { label: 'Created', sort: 'createdAt' },
];

export const formatDate = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
const ROLE_LABELS: Record<string, string> = { org_admin: 'Admin', member: 'Member' };
export const roleLabel = (role: string) => ROLE_LABELS[role] ?? role;
// Dark shades in outline badges: at least 4.5:1 against white, for the small bold text.
const STATUS_COLORS: Record<string, string> = { active: 'teal.9', suspended: 'red.9', deprovisioned: 'gray.7' };

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray.7'} variant="outline">
      {status.toUpperCase()}
    </Badge>
  );
}

interface MembersTableProps {
  orgId: string;
  rows: MemberRow[];
  teamNames: Map<string, string>;
  sort: Sort;
  order: 'asc' | 'desc';
  onSort: (sort: Sort) => void;
  /** Row selection (bulk actions): the selected user ids and how to change them. */
  selection?: { selected: ReadonlySet<string>; onChange: (userIds: string[], selected: boolean) => void };
}

/** The members of one page; sortable headers say their order to assistive technology. */
export function MembersTable({ orgId, rows, teamNames, sort, order, onSort, selection }: MembersTableProps) {
  const selectedHere = selection ? rows.filter((m) => selection.selected.has(m.userId)).length : 0;
  return (
    <Table striped highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          {selection && (
            <Table.Th w={40}>
              <Checkbox
                aria-label="Select every member on this page"
                checked={rows.length > 0 && selectedHere === rows.length}
                indeterminate={selectedHere > 0 && selectedHere < rows.length}
                disabled={rows.length === 0}
                onChange={(e) =>
                  selection.onChange(
                    rows.map((m) => m.userId),
                    e.currentTarget.checked,
                  )
                }
              />
            </Table.Th>
          )}
          {COLUMNS.map((column) => (
            <Table.Th
              key={column.label}
              aria-sort={column.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {column.sort ? (
                <UnstyledButton onClick={() => onSort(column.sort!)} fw={600} fz="sm">
                  {column.label}
                  {column.sort === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                </UnstyledButton>
              ) : (
                column.label
              )}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 ? (
          <Table.Tr>
            <Table.Td colSpan={COLUMNS.length + (selection ? 1 : 0)}>
              <Text c="dimmed" ta="center" py="md">
                No members match.
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : (
          rows.map((m) => (
            <Table.Tr key={m.userId}>
              {selection && (
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${m.name}`}
                    checked={selection.selected.has(m.userId)}
                    onChange={(e) => selection.onChange([m.userId], e.currentTarget.checked)}
                  />
                </Table.Td>
              )}
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${orgId}/members/${m.userId}`}>
                  {m.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{m.email}</Table.Td>
              <Table.Td>{m.teamId ? (teamNames.get(m.teamId) ?? m.teamId) : '—'}</Table.Td>
              <Table.Td>{roleLabel(m.role)}</Table.Td>
              <Table.Td>
                <StatusBadge status={m.status} />
              </Table.Td>
              <Table.Td>{formatDate(m.lastLoginAt)}</Table.Td>
              <Table.Td>{formatDate(m.createdAt)}</Table.Td>
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
}
