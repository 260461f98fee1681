import { Button, Group, NativeSelect, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { BULK_ROLE_LIMIT, useBulkRole, type BulkRoleBody } from '../api/members';
import { useRoleOptions } from '../../roles/api/roles';

interface BulkRoleBarProps {
  orgId: string;
  selected: string[];
  onDone: () => void;
}

/** Bulk role change for the selected members: one all-or-nothing request of at most BULK_ROLE_LIMIT ids. */
export function BulkRoleBar({ orgId, selected, onDone }: BulkRoleBarProps) {
  const roleOptions = useRoleOptions(orgId);
  const bulkRole = useBulkRole(orgId);
  const [role, setRole] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const tooMany = selected.length > BULK_ROLE_LIMIT;
  const change = () => {
    setResult(null);
    bulkRole.mutate(
      { userIds: selected, role: role as BulkRoleBody['role'] },
      {
        onSuccess: ({ changed, unchanged }) => {
          setResult(
            `Role changed for ${changed.length} member${changed.length === 1 ? '' : 's'}${unchanged.length ? `; ${unchanged.length} already had it` : ''}.`,
          );
          onDone();
        },
      },
    );
  };
  if (selected.length === 0)
    return result ? (
      <Text role="status" c="green.9" size="sm">
        {result}
      </Text>
    ) : null;
  return (
    <Paper withBorder p="sm" aria-label="Bulk role change" component="section">
      <Group align="flex-end">
        <Text size="sm" fw={600}>
          {selected.length} selected
        </Text>
        <NativeSelect
          label="New role"
          data={[{ value: '', label: 'Choose a role' }, ...roleOptions]}
          value={role}
          onChange={(e) => setRole(e.currentTarget.value)}
          w={180}
        />
        <Button
          onClick={change}
          disabled={!role || tooMany}
          loading={bulkRole.isPending}
          title={tooMany ? `Select at most ${BULK_ROLE_LIMIT} members` : undefined}
        >
          Change role
        </Button>
        <Button variant="default" onClick={() => (bulkRole.reset(), onDone())}>
          Clear selection
        </Button>
      </Group>
      <Text size="sm" c={tooMany ? 'red.9' : 'dimmed'} mt="xs">
        At most {BULK_ROLE_LIMIT} members per change
        {tooMany ? `: ${selected.length} are selected, unselect ${selected.length - BULK_ROLE_LIMIT}` : ''}. All of them
        change, or none.
      </Text>
      <ProblemAlert error={bulkRole.error} />
    </Paper>
  );
}
