import { Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { api, fieldError, unwrap } from '../../../lib/api';
import { teamKeys, useTeams } from '../api/teams';

type Team = NonNullable<ReturnType<typeof useTeams>['data']>['items'][number];

/** Create (no team given) or rename a team: name and description. */
function TeamDialog({
  orgId,
  team,
  opened,
  onClose,
}: {
  orgId: string;
  team?: Team;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), description: description.trim() || null };
      return team
        ? unwrap(api.PUT('/v1/orgs/{orgId}/teams/{teamId}', { params: { path: { orgId, teamId: team.teamId } }, body }))
        : unwrap(api.POST('/v1/orgs/{orgId}/teams', { params: { path: { orgId } }, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: teamKeys.all(orgId) });
      close();
    },
  });
  const close = () => {
    save.reset();
    if (!team) setName('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const nameError = fieldError(save.error, 'name');
  return (
    <Modal opened={opened} onClose={close} title={team ? 'Edit team' : 'New team'} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            error={nameError}
            data-autofocus
          />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          {!nameError && <ProblemAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TeamRow({ orgId, team }: { orgId: string; team: Team }) {
  const queryClient = useQueryClient();
  const [editing, editDialog] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap<unknown>(
        api.DELETE('/v1/orgs/{orgId}/teams/{teamId}', { params: { path: { orgId, teamId: team.teamId } } }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: teamKeys.all(orgId) }),
        queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'members'] }),
      ]),
  });
  return (
    <Table.Tr>
      <Table.Td>{team.name}</Table.Td>
      <Table.Td>{team.description ?? ''}</Table.Td>
      <Table.Td>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={editDialog.open} aria-label={`Edit ${team.name}`}>
            Edit
          </Button>
          <ConfirmAction
            label="Delete"
            size="xs"
            variant="default"
            aria-label={`Delete ${team.name}`}
            message={`The team ${team.name} is deleted and its members are left without a team.`}
            onConfirm={() => remove.mutateAsync()}
            pending={remove.isPending}
            error={remove.error}
          />
        </Group>
        {editing && <TeamDialog orgId={orgId} team={team} opened={editing} onClose={editDialog.close} />}
      </Table.Td>
    </Table.Tr>
  );
}

/** Teams: create, rename, delete. */
export function TeamsPage() {
  const { orgId = '' } = useParams();
  const teams = useTeams(orgId);
  const [creating, createDialog] = useDisclosure(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Teams</Title>
        <Button onClick={createDialog.open}>New team</Button>
      </Group>
      <QueryState query={teams}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">No teams yet.</Text>
          ) : (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((t) => (
                  <TeamRow key={t.teamId} orgId={orgId} team={t} />
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <TeamDialog orgId={orgId} opened={creating} onClose={createDialog.close} />
    </Stack>
  );
}
