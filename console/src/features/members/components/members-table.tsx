import { Anchor, Badge, Table, Text, UnstyledButton } from '@mantine/core';
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

export const formatDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
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
}

/** The members of one page; sortable headers say their order to assistive technology. */
export function MembersTable({ orgId, rows, teamNames, sort, order, onSort }: MembersTableProps) {
  return (
    <Table striped highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          {COLUMNS.map((column) => (
            <Table.Th key={column.label} aria-sort={column.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
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
            <Table.Td colSpan={COLUMNS.length}>
              <Text c="dimmed" ta="center" py="md">
                No members match.
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : (
          rows.map((m) => (
            <Table.Tr key={m.userId}>
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
