import {
  Button,
  Code,
  Divider,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { api, fieldError, unwrap, type paths } from '../../../lib/api';
import { orgKeys, useOrg } from '../../orgs/api/orgs';
import { useRotateWebhookSecret } from '../api/credentials';
import { CredentialsSection } from '../components/credentials-section';
import { ScimGroupRoles } from '../components/scim-group-roles';
import { SecretOnce } from '../components/secret-once';
import { SsoConnectionsSection } from '../components/sso-connections-section';
import { RolesSection } from '../../roles/components/roles-section';

type Org = NonNullable<ReturnType<typeof useOrg>['data']>;
type OrgPatch = paths['/v1/orgs/{orgId}']['patch']['requestBody']['content']['application/json'];

function GeneralSettings({ org }: { org: Org }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(org.name);
  const [autoActivation, setAutoActivation] = useState(org.settings.autoActivation);
  const [domains, setDomains] = useState(org.settings.allowedEmailDomains.join(', '));
  const [mfaRequired, setMfaRequired] = useState(org.settings.mfaRequired);
  const [ssoRequired, setSsoRequired] = useState(org.settings.ssoRequired);
  const [breakGlass, setBreakGlass] = useState(org.settings.ssoBreakGlassForAdmins);
  const [ttl, setTtl] = useState<number | string>(org.settings.invitationTtlHours);
  const save = useMutation({
    mutationFn: (body: OrgPatch) =>
      unwrap(api.PATCH('/v1/orgs/{orgId}', { params: { path: { orgId: org.orgId } }, body })),
    onSuccess: (updated) => queryClient.setQueryData(orgKeys.one(org.orgId), updated),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Only what changed: a PATCH of an unchanged mfaRequired must not meet its own checks.
    const allowedEmailDomains = domains
      .split(/[\s,]+/)
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean);
    const body: OrgPatch = {};
    if (name.trim() !== org.name) body.name = name.trim();
    if (autoActivation !== org.settings.autoActivation) body.autoActivation = autoActivation;
    if (allowedEmailDomains.join(',') !== org.settings.allowedEmailDomains.join(','))
      body.allowedEmailDomains = allowedEmailDomains;
    if (mfaRequired !== org.settings.mfaRequired) body.mfaRequired = mfaRequired;
    if (ssoRequired !== org.settings.ssoRequired) body.ssoRequired = ssoRequired;
    if (breakGlass !== org.settings.ssoBreakGlassForAdmins) body.ssoBreakGlassForAdmins = breakGlass;
    if (Number(ttl) !== org.settings.invitationTtlHours) body.invitationTtlHours = Number(ttl);
    if (Object.keys(body).length > 0) save.mutate(body);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={560}>
        <TextInput
          label="Organization name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(save.error, 'name')}
        />
        <Switch
          label="Auto-activation: people who ask to join become members without approval"
          checked={autoActivation}
          onChange={(e) => setAutoActivation(e.currentTarget.checked)}
        />
        <Textarea
          label="Allowed email domains"
          description="Who may ask to join; comma-separated, empty for anyone."
          value={domains}
          onChange={(e) => setDomains(e.currentTarget.value)}
          error={fieldError(save.error, 'allowedEmailDomains')}
        />
        <Switch
          label="Require two-factor authentication (MFA) for every member"
          checked={mfaRequired}
          onChange={(e) => setMfaRequired(e.currentTarget.checked)}
        />
        <Switch
          label="Require single sign-on for the domains of this organization’s SSO connections"
          description="People with an email in those domains sign in only through the identity provider: no password, no password reset."
          checked={ssoRequired}
          onChange={(e) => setSsoRequired(e.currentTarget.checked)}
        />
        <Switch
          label="Let administrators keep a password (break-glass)"
          description="Members who manage the organization may still sign in with a password when single sign-on is required."
          checked={breakGlass}
          disabled={!ssoRequired}
          onChange={(e) => setBreakGlass(e.currentTarget.checked)}
        />
        <NumberInput
          label="Invitation lifetime (hours)"
          min={1}
          max={720}
          value={ttl}
          onChange={setTtl}
          error={fieldError(save.error, 'invitationTtlHours')}
        />
        <Text size="sm" c="dimmed">
          Seats: {org.seatsUsed} of {org.maxSeats} used (the platform operator sets the cap).
        </Text>
        <ProblemAlert error={save.error} />
        {save.isSuccess && (
          <Text role="status" c="teal.9">
            Saved.
          </Text>
        )}
        <div>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function WebhookSecret({ orgId }: { orgId: string }) {
  const rotate = useRotateWebhookSecret(orgId);
  return (
    <Stack align="flex-start">
      <Title order={2} size="h3">
        Webhook secret
      </Title>
      <Text size="sm">
        Identity providers sign lifecycle events sent to{' '}
        <Code>{`${window.location.origin}/v1/webhooks/idp/${orgId}`}</Code> with this secret. A new one replaces the old
        at once.
      </Text>
      <Button variant="default" loading={rotate.isPending} onClick={() => rotate.mutate()}>
        Create a new webhook secret
      </Button>
      <ProblemAlert error={rotate.error} />
      {rotate.data && <SecretOnce label="Webhook secret" secret={rotate.data} />}
    </Stack>
  );
}

/** Settings: the org's settings, roles, SCIM tokens, API keys, SSO connections and the webhook secret (secrets shown once). */
export function SettingsPage() {
  const { orgId = '' } = useParams();
  const org = useOrg(orgId);
  return (
    <Stack>
      <Title order={1}>Settings</Title>
      <QueryState query={org}>{(data) => <GeneralSettings key={data.orgId} org={data} />}</QueryState>
      <Divider />
      <Paper withBorder p="md">
        <RolesSection orgId={orgId} />
      </Paper>
      <Paper withBorder p="md">
        <CredentialsSection
          orgId={orgId}
          kind="scim-tokens"
          title="SCIM tokens"
          intro={
            <Text size="sm">
              SCIM base URL for Okta or Microsoft Entra ID: <Code>{`${window.location.origin}/scim/v2`}</Code>; the
              token is the Bearer secret.
            </Text>
          }
        />
        <Divider my="md" />
        <QueryState query={org}>
          {(data) => <ScimGroupRoles key={data.orgId} orgId={data.orgId} groupRoles={data.settings.scim.groupRoles} />}
        </QueryState>
      </Paper>
      <Paper withBorder p="md">
        <CredentialsSection
          orgId={orgId}
          kind="api-keys"
          title="API keys"
          intro={
            <Text size="sm">
              For the public API, sent as the <Code>x-api-key</Code> header.
            </Text>
          }
        />
      </Paper>
      <Paper withBorder p="md">
        <QueryState query={org}>
          {(data) => <SsoConnectionsSection orgId={data.orgId} verifiedDomains={data.settings.verifiedDomains} />}
        </QueryState>
      </Paper>
      <Paper withBorder p="md">
        <WebhookSecret orgId={orgId} />
      </Paper>
    </Stack>
  );
}
