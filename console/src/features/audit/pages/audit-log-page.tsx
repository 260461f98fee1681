import { Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { CursorPager } from '../../../components/ui/cursor-pager';
import { QueryState } from '../../../components/ui/query-state';
import { useAuditEvents, type AuditQuery } from '../api/audit';
import { AuditTable } from '../components/audit-table';

const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Audit log: filters the API indexes (one of action, actor or target; a time range) and paging. */
export function AuditLogPage() {
  const { orgId = '' } = useParams();
  const [form, setForm] = useState({ action: '', actorId: '', targetId: '', from: '', to: '' });
  const [filters, setFilters] = useState<AuditQuery>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const events = useAuditEvents(orgId, {
    ...filters,
    limit: '25',
    ...(cursors.length ? { cursor: cursors[cursors.length - 1] } : {}),
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: AuditQuery = {};
    if (form.action.trim()) next.action = form.action.trim();
    if (form.actorId.trim()) next.actorId = form.actorId.trim();
    if (form.targetId.trim()) next.targetId = form.targetId.trim();
    const from = toInstant(form.from);
    const to = toInstant(form.to);
    if (from) next.from = from;
    if (to) next.to = to;
    setFilters(next);
    setCursors([]);
  };
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: e.currentTarget.value }),
  });
  return (
    <Stack>
      <Title order={1}>Audit log</Title>
      <form onSubmit={apply}>
        <Group align="flex-end">
          <TextInput label="Action" placeholder="member.added" {...field('action')} />
          <TextInput label="Actor id" {...field('actorId')} />
          <TextInput label="Target id" {...field('targetId')} />
          <TextInput label="From" type="datetime-local" {...field('from')} />
          <TextInput label="To" type="datetime-local" {...field('to')} />
          <Button type="submit">Apply filters</Button>
        </Group>
      </form>
      <QueryState query={events}>
        {(page) => (
          <>
            <AuditTable events={page.items} caption="Audit events, newest first" />
            <CursorPager cursors={cursors} nextCursor={page.nextCursor} onChange={setCursors} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
