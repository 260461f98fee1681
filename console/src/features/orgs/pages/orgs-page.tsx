import { Button, Group, NumberInput, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { api, fieldError, unwrap } from '../../../lib/api';

function CreateOrg() {
  const [name, setName] = useState('');
  const [maxSeats, setMaxSeats] = useState<number | string>(25);
  const [adminEmail, setAdminEmail] = useState('');
  const [adminName, setAdminName] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/orgs', {
          body: {
            name: name.trim(),
            maxSeats: Number(maxSeats),
            admin: { email: adminEmail.trim(), name: adminName.trim() },
          },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const anyFieldError = ['name', 'maxSeats', 'admin.email', 'admin.name'].some((f) => fieldError(create.error, f));
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <Title order={2} size="h3">
          Create an organization
        </Title>
        <TextInput
          label="Organization name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          error={fieldError(create.error, 'name')}
        />
        <NumberInput
          label="Seats"
          min={1}
          value={maxSeats}
          onChange={setMaxSeats}
          required
          error={fieldError(create.error, 'maxSeats')}
        />
        <TextInput
          label="First admin's email"
          type="email"
          value={adminEmail}
          onChange={(e) => setAdminEmail(e.currentTarget.value)}
          required
          error={fieldError(create.error, 'admin.email')}
        />
        <TextInput
          label="First admin's name"
          value={adminName}
          onChange={(e) => setAdminName(e.currentTarget.value)}
          required
          error={fieldError(create.error, 'admin.name')}
        />
        {!anyFieldError && <ProblemAlert error={create.error} />}
        {create.data && (
          <Text role="status">
            Created {create.data.name} ({create.data.orgId}); a new first admin is mailed a link to set their password.
          </Text>
        )}
        <div>
          <Button type="submit" loading={create.isPending}>
            Create organization
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function ChangeSeats() {
  const [orgId, setOrgId] = useState('');
  const [maxSeats, setMaxSeats] = useState<number | string>(25);
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/orgs/{orgId}', {
          params: { path: { orgId: orgId.trim() } },
          body: { maxSeats: Number(maxSeats) },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <Title order={2} size="h3">
          Change an organization's seats
        </Title>
        <TextInput label="Organization id" value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)} required />
        <NumberInput
          label="Seats"
          min={1}
          value={maxSeats}
          onChange={setMaxSeats}
          required
          error={fieldError(change.error, 'maxSeats')}
        />
        <ProblemAlert error={change.error} />
        {change.data && (
          <Text role="status">
            {change.data.name}: {change.data.seatsUsed} of {change.data.maxSeats} seats used.
          </Text>
        )}
        <Group>
          <Button type="submit" loading={change.isPending}>
            Save seats
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Verified domains (platform operator only): the org manages accounts whose email is in one. The list is replaced whole. */
function VerifiedDomains() {
  const [orgId, setOrgId] = useState('');
  const [domains, setDomains] = useState('');
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/orgs/{orgId}', {
          params: { path: { orgId: orgId.trim() } },
          body: {
            verifiedDomains: domains
              .split(/[\s,]+/)
              .map((d) => d.trim().toLowerCase())
              .filter(Boolean),
          },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  const domainsError = fieldError(change.error, 'verifiedDomains');
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <Title order={2} size="h3">
          Verified domains
        </Title>
        <Text size="sm">
          Domains proven to be the organization's: it manages the accounts whose email is in one (email changes, MFA
          reset, sign-out everywhere). This list replaces the organization's.
        </Text>
        <TextInput
          label="Organization id"
          value={orgId}
          onChange={(e) => setOrgId(e.currentTarget.value)}
          required
          error={fieldError(change.error, 'orgId')}
        />
        <Textarea
          label="Verified domains"
          description="Comma- or newline-separated; empty for none."
          value={domains}
          onChange={(e) => setDomains(e.currentTarget.value)}
          error={domainsError}
        />
        {!domainsError && <ProblemAlert error={change.error} />}
        {change.data && (
          <Text role="status">
            {change.data.name}:{' '}
            {change.data.settings.verifiedDomains.length > 0
              ? `verified domains ${change.data.settings.verifiedDomains.join(', ')}`
              : 'no verified domains'}
            .
          </Text>
        )}
        <Group>
          <Button type="submit" loading={change.isPending}>
            Save verified domains
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Orgs, for the platform operator: create an org with its first admin; change an org's seat cap and verified domains. */
export function OrgsPage() {
  return (
    <Stack>
      <Title order={1}>Orgs</Title>
      <Paper withBorder p="md">
        <CreateOrg />
      </Paper>
      <Paper withBorder p="md">
        <ChangeSeats />
      </Paper>
      <Paper withBorder p="md">
        <VerifiedDomains />
      </Paper>
    </Stack>
  );
}
