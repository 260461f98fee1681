import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { formatDate } from '../../members/components/members-table';
import {
  useCreateCredential,
  useCredentials,
  useRevokeCredential,
  type CredentialKind,
  type CredentialRow,
} from '../api/credentials';
import { SecretOnce } from './secret-once';

function RevokeButton({ orgId, kind, row }: { orgId: string; kind: CredentialKind; row: CredentialRow }) {
  const revoke = useRevokeCredential(orgId, kind, row.id);
  return (
    <ConfirmAction
      label="Revoke"
      size="xs"
      variant="default"
      aria-label={`Revoke ${row.name}`}
      message={`${row.name} stops working at once.`}
      onConfirm={() => revoke.mutateAsync()}
      pending={revoke.isPending}
      error={revoke.error}
    />
  );
}

/** A list of SCIM tokens or API keys with a create form (the secret shown once) and Revoke. */
export function CredentialsSection({
  orgId,
  kind,
  title,
  intro,
}: {
  orgId: string;
  kind: CredentialKind;
  title: string;
  intro: ReactNode;
}) {
  const list = useCredentials(orgId, kind);
  const create = useCreateCredential(orgId, kind);
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {title}
      </Title>
      {intro}
      <form onSubmit={submit} noValidate>
        <Group align="flex-end">
          <TextInput
            label={`New ${title.toLowerCase().replace(/s$/, '')} name`}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </form>
      <ProblemAlert error={create.error} />
      {create.data && <SecretOnce label={`New ${title.toLowerCase().replace(/s$/, '')}`} secret={create.data} />}
      <QueryState query={list}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">None yet.</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Td>{row.name}</Table.Td>
                    <Table.Td>{formatDate(row.createdAt)}</Table.Td>
                    <Table.Td>
                      <RevokeButton orgId={orgId} kind={kind} row={row} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Stack>
  );
}
