import {
  Button,
  Group,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { fieldError } from '../../../lib/api';
import { ROLE_OPTIONS } from '../../members/components/role-options';
import { useRoleOptions } from '../../roles/api/roles';
import {
  useCreateSsoConnection,
  useDeleteSsoConnection,
  useSsoConnections,
  useUpdateSsoConnection,
  type NewSsoConnection,
  type SsoConnection,
} from '../api/sso-connections';

type Role = NonNullable<NonNullable<NewSsoConnection['roleMapping']>['defaultRole']>;
const roleLabel = (role: string) => ROLE_OPTIONS.find((o) => o.value === role)?.label ?? role;
const normalized = (domains: string[]) => domains.map((d) => d.trim().toLowerCase()).filter(Boolean);

/** Domains are picked from the org's verified ones; typing another is allowed so the API says why not. */
function DomainsInput({
  value,
  onChange,
  verifiedDomains,
  error,
}: {
  value: string[];
  onChange: (domains: string[]) => void;
  verifiedDomains: string[];
  error?: string;
}) {
  return (
    <TagsInput
      label="Domains"
      description="Email domains that sign in through this connection; each must be a verified domain of the organization."
      data={verifiedDomains}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

function AddOidcConnection({ orgId, verifiedDomains }: { orgId: string; verifiedDomains: string[] }) {
  const create = useCreateSsoConnection(orgId);
  const roleOptions = useRoleOptions(orgId);
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState<string[]>([]);
  const [jit, setJit] = useState(false);
  const [defaultRole, setDefaultRole] = useState<Role>('member');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name: name.trim(),
        protocol: 'oidc',
        domains: normalized(domains),
        oidc: { issuer: issuer.trim(), clientId: clientId.trim(), clientSecret },
        jitProvisioning: jit,
        roleMapping: { defaultRole },
      },
      {
        // The secret is write-only: once sent it leaves the form too.
        onSuccess: () => {
          setName('');
          setIssuer('');
          setClientId('');
          setClientSecret('');
          setDomains([]);
          setJit(false);
          setDefaultRole('member');
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Add OIDC connection">
      <Stack maw={560}>
        <Title order={3} size="h4">
          Add OIDC connection
        </Title>
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(create.error, 'name')}
          required
        />
        <TextInput
          label="Issuer"
          description="The identity provider's issuer URL (https)."
          value={issuer}
          onChange={(e) => setIssuer(e.currentTarget.value)}
          error={fieldError(create.error, 'oidc.issuer')}
          required
        />
        <TextInput
          label="Client ID"
          value={clientId}
          onChange={(e) => setClientId(e.currentTarget.value)}
          error={fieldError(create.error, 'oidc.clientId')}
          required
        />
        <PasswordInput
          label="Client secret"
          description="Write-only: Roster never shows it again."
          value={clientSecret}
          onChange={(e) => setClientSecret(e.currentTarget.value)}
          error={fieldError(create.error, 'oidc.clientSecret')}
          autoComplete="off"
          required
        />
        <DomainsInput
          value={domains}
          onChange={setDomains}
          verifiedDomains={verifiedDomains}
          error={fieldError(create.error, 'domains')}
        />
        <Switch
          label="Just-in-time provisioning: people of these domains become members at their first sign-in"
          checked={jit}
          onChange={(e) => setJit(e.currentTarget.checked)}
        />
        <NativeSelect
          label="Default role"
          data={roleOptions}
          value={defaultRole}
          onChange={(e) => setDefaultRole(e.currentTarget.value as Role)}
        />
        <ProblemAlert error={create.error} />
        {create.isSuccess && (
          <Text role="status" c="teal.9">
            Connection {create.data.name} added.
          </Text>
        )}
        <div>
          <Button type="submit" loading={create.isPending}>
            Add connection
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function EditConnection({
  orgId,
  connection,
  verifiedDomains,
  onDone,
}: {
  orgId: string;
  connection: SsoConnection;
  verifiedDomains: string[];
  onDone: () => void;
}) {
  const update = useUpdateSsoConnection(orgId, connection.connectionId);
  const roleOptions = useRoleOptions(orgId);
  const [domains, setDomains] = useState(connection.domains);
  const [jit, setJit] = useState(connection.jitProvisioning);
  const [defaultRole, setDefaultRole] = useState(connection.roleMapping.defaultRole as Role);
  const [clientSecret, setClientSecret] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      {
        domains: normalized(domains),
        jitProvisioning: jit,
        roleMapping: { defaultRole },
        // Left out, the API keeps the current secret.
        ...(connection.protocol === 'oidc' && clientSecret ? { oidc: { clientSecret } } : {}),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-label={`Edit ${connection.name}`}>
        <Stack maw={560}>
          <Title order={3} size="h4">
            Edit {connection.name}
          </Title>
          <DomainsInput
            value={domains}
            onChange={setDomains}
            verifiedDomains={verifiedDomains}
            error={fieldError(update.error, 'domains')}
          />
          <Switch
            label="Just-in-time provisioning: people of these domains become members at their first sign-in"
            checked={jit}
            onChange={(e) => setJit(e.currentTarget.checked)}
          />
          <NativeSelect
            label="Default role"
            data={roleOptions}
            value={defaultRole}
            onChange={(e) => setDefaultRole(e.currentTarget.value as Role)}
          />
          {connection.protocol === 'oidc' && (
            <PasswordInput
              label="New client secret"
              description="Leave empty to keep the current one."
              value={clientSecret}
              onChange={(e) => setClientSecret(e.currentTarget.value)}
              error={fieldError(update.error, 'oidc.clientSecret')}
              autoComplete="off"
            />
          )}
          <ProblemAlert error={update.error} />
          <Group>
            <Button type="submit" loading={update.isPending}>
              Save connection
            </Button>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function DeleteConnection({ orgId, connection }: { orgId: string; connection: SsoConnection }) {
  const remove = useDeleteSsoConnection(orgId, connection.connectionId);
  return (
    <ConfirmAction
      label="Delete"
      size="xs"
      variant="default"
      aria-label={`Delete ${connection.name}`}
      message={`People of ${connection.domains.join(', ')} can no longer sign in through ${connection.name}.`}
      onConfirm={() => remove.mutateAsync()}
      pending={remove.isPending}
      error={remove.error}
    />
  );
}

/**
 * Enterprise SSO: the org's OIDC/SAML connections, one per set of verified domains. The form adds
 * OIDC connections only; SAML connections are made through the API and listed, edited and deleted here.
 */
export function SsoConnectionsSection({ orgId, verifiedDomains }: { orgId: string; verifiedDomains: string[] }) {
  const list = useSsoConnections(orgId);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={2} size="h3">
        SSO connections
      </Title>
      <Text size="sm">
        People whose email is in a connection's domains sign in with <b>Continue with SSO</b> at their identity
        provider. Verified domains: {verifiedDomains.length > 0 ? verifiedDomains.join(', ') : 'none yet'} (the platform
        operator verifies them).
      </Text>
      <QueryState query={list}>
        {(connections) =>
          connections.length === 0 ? (
            <Text c="dimmed">No SSO connections yet.</Text>
          ) : (
            <Stack>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Protocol</Table.Th>
                    <Table.Th>Domains</Table.Th>
                    <Table.Th>JIT provisioning</Table.Th>
                    <Table.Th>Default role</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {connections.map((c) => (
                    <Table.Tr key={c.connectionId}>
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td>{c.protocol.toUpperCase()}</Table.Td>
                      <Table.Td>{c.domains.join(', ')}</Table.Td>
                      <Table.Td>{c.jitProvisioning ? 'On' : 'Off'}</Table.Td>
                      <Table.Td>{roleLabel(c.roleMapping.defaultRole)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs">
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Edit ${c.name}`}
                            onClick={() => setEditing(c.connectionId)}
                          >
                            Edit
                          </Button>
                          <DeleteConnection orgId={orgId} connection={c} />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {connections
                .filter((c) => c.connectionId === editing)
                .map((c) => (
                  <EditConnection
                    key={c.connectionId}
                    orgId={orgId}
                    connection={c}
                    verifiedDomains={verifiedDomains}
                    onDone={() => setEditing(null)}
                  />
                ))}
            </Stack>
          )
        }
      </QueryState>
      <AddOidcConnection orgId={orgId} verifiedDomains={verifiedDomains} />
    </Stack>
  );
}
