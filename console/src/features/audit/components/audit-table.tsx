import { Code, Table, Text } from '@mantine/core';
import { formatDate } from '../../members/components/members-table';
import type { useAuditEvents } from '../api/audit';

type AuditEvent = NonNullable<ReturnType<typeof useAuditEvents>['data']>['items'][number];

const changes = (event: AuditEvent) => {
  const keys = new Set([...Object.keys(event.before ?? {}), ...Object.keys(event.after ?? {})]);
  return [...keys]
    .map(
      (key) => `${key}: ${JSON.stringify(event.before?.[key] ?? null)} → ${JSON.stringify(event.after?.[key] ?? null)}`,
    )
    .join('; ');
};

/** Audit events: when, who, what, on what, and the changed fields. */
export function AuditTable({ events, caption }: { events: AuditEvent[]; caption: string }) {
  if (events.length === 0) return <Text c="dimmed">No events.</Text>;
  return (
    <Table striped>
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th>Actor</Table.Th>
          <Table.Th>Action</Table.Th>
          <Table.Th>Target</Table.Th>
          <Table.Th>Changes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {events.map((e) => (
          <Table.Tr key={e.eventId}>
            <Table.Td>{formatDate(e.timestamp)}</Table.Td>
            <Table.Td>{e.actor.email ?? `${e.actor.type}:${e.actor.id}`}</Table.Td>
            <Table.Td>
              <Code>{e.action}</Code>
            </Table.Td>
            <Table.Td>{e.target ? `${e.target.type} ${e.target.id}` : '—'}</Table.Td>
            <Table.Td>
              <Text size="xs">{changes(e)}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
