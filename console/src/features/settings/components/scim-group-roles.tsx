import { Button, CloseButton, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { api, unwrap, type paths } from '../../../lib/api';
import { orgKeys } from '../../orgs/api/orgs';
import { useRoleOptions } from '../../roles/api/roles';

type GroupRoles = NonNullable<
  NonNullable<paths['/v1/orgs/{orgId}']['patch']['requestBody']['content']['application/json']['scim']>['groupRoles']
>;

/**
 * SCIM group → role mapping: a member the IdP puts in a group of this name gets the role;
 * leaving every mapped group makes them member again. Saved whole (the API replaces the list).
 */
export function ScimGroupRoles({
  orgId,
  groupRoles,
}: {
  orgId: string;
  groupRoles: { group: string; role: string }[];
}) {
  const queryClient = useQueryClient();
  const roleOptions = useRoleOptions(orgId);
  const [rows, setRows] = useState(() => groupRoles.map((r) => ({ ...r })));
  const save = useMutation({
    mutationFn: (mapping: GroupRoles) =>
      unwrap(api.PATCH('/v1/orgs/{orgId}', { params: { path: { orgId } }, body: { scim: { groupRoles: mapping } } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(orgKeys.one(orgId), updated);
      // The saved mapping, as the API holds it (trimmed, empty rows dropped).
      setRows(updated.settings.scim.groupRoles.map((r) => ({ ...r })));
    },
  });
  const update = (index: number, change: Partial<{ group: string; role: string }>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      rows
        .filter((r) => r.group.trim())
        .map((r) => ({ group: r.group.trim(), role: r.role as GroupRoles[number]['role'] })),
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack align="flex-start">
        <Title order={3} size="h4">
          Group roles
        </Title>
        <Text size="sm">
          A member your identity provider adds to a group of this name (any case) gets its role; one it removes from
          every mapped group becomes a member again.
        </Text>
        {rows.length === 0 && (
          <Text size="sm" c="dimmed">
            No groups mapped: SCIM groups only set teams.
          </Text>
        )}
        {rows.map((row, index) => (
          <Group key={index} align="flex-end">
            <TextInput
              label={`Group ${index + 1}`}
              value={row.group}
              onChange={(e) => update(index, { group: e.currentTarget.value })}
              w={240}
            />
            <NativeSelect
              label={`Role for group ${index + 1}`}
              data={roleOptions}
              value={row.role}
              onChange={(e) => update(index, { role: e.currentTarget.value })}
              w={160}
            />
            <CloseButton
              aria-label={`Remove group ${index + 1}`}
              onClick={() => setRows(rows.filter((_, i) => i !== index))}
              mb={4}
            />
          </Group>
        ))}
        <Group>
          <Button variant="default" onClick={() => setRows([...rows, { group: '', role: 'org_admin' }])}>
            Add group
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save group roles
          </Button>
        </Group>
        <ProblemAlert error={save.error} />
        {save.isSuccess && (
          <Text role="status" c="teal.9">
            Group roles saved.
          </Text>
        )}
      </Stack>
    </form>
  );
}
