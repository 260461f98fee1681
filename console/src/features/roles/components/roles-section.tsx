import { Button, Checkbox, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { fieldError } from '../../../lib/api';
import { useCreateRole, useDeleteRole, useRoles, useUpdateRole, type RoleRow } from '../api/roles';

/** Create or edit a role: Key (create only), Name, Description, Roster's permissions and the app's own. */
function RoleDialog({
  orgId,
  catalogue,
  role,
  opened,
  onClose,
}: {
  orgId: string;
  catalogue: string[];
  role?: RoleRow;
  opened: boolean;
  onClose: () => void;
}) {
  const create = useCreateRole(orgId);
  const update = useUpdateRole(orgId);
  const save = role ? update : create;
  const [key, setKey] = useState(role?.key ?? '');
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState<string[]>(
    role?.permissions.filter((p) => catalogue.includes(p)) ?? [],
  );
  const [appPermissions, setAppPermissions] = useState(
    role?.permissions.filter((p) => !catalogue.includes(p)).join(', ') ?? '',
  );
  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const app = appPermissions
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    save.mutate(
      {
        key: role?.key ?? key.trim(),
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        permissions: [...permissions, ...app],
      },
      { onSuccess: close },
    );
  };
  const errors = ['key', 'name', 'description', 'permissions'].map((f) => fieldError(save.error, f));
  return (
    <Modal opened={opened} onClose={close} title={role ? `Edit ${role.name}` : 'Create role'} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          {!role && (
            <TextInput
              label="Key"
              description="How the API names the role: a-z, 0-9, _ or -"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              required
              error={errors[0]}
              data-autofocus
            />
          )}
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            error={errors[1]}
          />
          <TextInput
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors[2]}
          />
          <Checkbox.Group label="Permissions" value={permissions} onChange={setPermissions} error={errors[3]}>
            <Stack gap={4} mt="xs">
              {catalogue.map((p) => (
                <Checkbox key={p} value={p} label={p} />
              ))}
            </Stack>
          </Checkbox.Group>
          <TextInput
            label="App permissions"
            description="Your app's own, comma-separated, each written app:<name>"
            value={appPermissions}
            onChange={(e) => setAppPermissions(e.currentTarget.value)}
          />
          {!errors.some(Boolean) && <ProblemAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {role ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RoleActions({ orgId, catalogue, role }: { orgId: string; catalogue: string[]; role: RoleRow }) {
  const [editing, setEditing] = useState(false);
  const remove = useDeleteRole(orgId);
  if (role.builtIn) return <Text size="sm">Built in</Text>;
  return (
    <Group gap="xs">
      <Button size="xs" variant="default" onClick={() => setEditing(true)} aria-label={`Edit ${role.name}`}>
        Edit
      </Button>
      {editing && (
        <RoleDialog orgId={orgId} catalogue={catalogue} role={role} opened onClose={() => setEditing(false)} />
      )}
      <ConfirmAction
        label="Delete"
        size="xs"
        variant="default"
        aria-label={`Delete ${role.name}`}
        message={`The role ${role.name} is deleted.`}
        disabledReason={role.holders ? `Held by ${role.holders} member${role.holders === 1 ? '' : 's'}` : null}
        onConfirm={() => remove.mutateAsync(role.key)}
        pending={remove.isPending}
        error={remove.error}
      />
    </Group>
  );
}

/** Settings → Roles: the org's roles with their permissions; create, edit and delete its own. */
export function RolesSection({ orgId }: { orgId: string }) {
  const roles = useRoles(orgId);
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Roles
        </Title>
        <Button onClick={() => setCreating(true)}>Create role</Button>
      </Group>
      <QueryState query={roles}>
        {(data) => (
          <>
            {creating && (
              <RoleDialog orgId={orgId} catalogue={data.permissions} opened onClose={() => setCreating(false)} />
            )}
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Permissions</Table.Th>
                  <Table.Th>Members</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((role) => (
                  <Table.Tr key={role.key}>
                    <Table.Td>{role.name}</Table.Td>
                    <Table.Td>{role.key}</Table.Td>
                    <Table.Td>{role.permissions.length > 0 ? role.permissions.join(', ') : 'None'}</Table.Td>
                    <Table.Td>{role.holders ?? '—'}</Table.Td>
                    <Table.Td>
                      <RoleActions orgId={orgId} catalogue={data.permissions} role={role} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
