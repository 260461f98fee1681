import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ConfirmAction } from '../../../components/ui/confirm-action';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { QueryState } from '../../../components/ui/query-state';
import { useAuditEvents } from '../../audit/api/audit';
import { AuditTable } from '../../audit/components/audit-table';
import { useOrg } from '../../orgs/api/orgs';
import { useTeams } from '../../teams/api/teams';
import { useMember, useMemberAction, useRemoveMember, type MemberRow } from '../api/members';
import { EditMemberDialog } from '../components/edit-member-dialog';
import { formatDate, roleLabel, StatusBadge } from '../components/members-table';

/** What each credential mail is, as the member page names it. */
const CREDENTIAL_MAIL_LABELS = {
  password_reset: 'Password reset',
  password_setup: 'Set password',
  email_confirmation: 'Email confirmation',
} as const;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}

/** Why a password-based credential action does not apply, from what the API says of the member. */
const ssoReason = (member: MemberRow & { authSource?: { kind: string; idp?: string } }) =>
  member.authSource?.kind === 'sso'
    ? `Signs in through SSO (${member.authSource.idp}): the identity provider manages the password and MFA`
    : null;

/** Why an account-wide action does not apply: the API's `managed` (exact on the single-member answer). */
const NOT_MANAGED = 'Account not managed by this organization';

/** Why demoting, suspending or removing does not apply: the API keeps one active org_admin (its activeAdminCount). */
export const LAST_ADMIN = "The organization's last active admin: make another member an admin first";

function MemberActions({
  orgId,
  member,
}: {
  orgId: string;
  member: MemberRow & { authSource?: { kind: string; idp?: string } };
}) {
  const navigate = useNavigate();
  const teams = useTeams(orgId);
  const teamOptions = useMemo(
    () => (teams.data?.items ?? []).map((t) => ({ value: t.teamId, label: t.name })),
    [teams.data],
  );
  const [editing, editDialog] = useDisclosure(false);
  const [done, setDone] = useState<string | null>(null);
  const suspend = useMemberAction(orgId, member.userId, 'suspend');
  const reactivate = useMemberAction(orgId, member.userId, 'reactivate');
  const resetPassword = useMemberAction(orgId, member.userId, 'reset-password');
  const resetMfa = useMemberAction(orgId, member.userId, 'reset-mfa');
  const revoke = useMemberAction(orgId, member.userId, 'revoke-sessions');
  const remove = useRemoveMember(orgId, member.userId);
  const sso = ssoReason(member);
  const notManaged = member.managed ? null : NOT_MANAGED;
  const org = useOrg(orgId);
  const lastAdmin =
    member.role === 'org_admin' &&
    member.status === 'active' &&
    org.data !== undefined &&
    org.data.activeAdminCount <= 1
      ? LAST_ADMIN
      : null;
  const after = (message: string) => () => setDone(message);

  return (
    <Stack>
      <Group>
        <Button onClick={editDialog.open}>Edit</Button>
        {member.status === 'active' ? (
          <ConfirmAction
            label="Suspend"
            color="red.9"
            variant="default"
            message={`${member.name} will lose access to this organization at once and their sessions end. Their seat is freed; you can reactivate them later.`}
            onConfirm={() => suspend.mutateAsync().then(after(`${member.name} is suspended.`))}
            pending={suspend.isPending}
            error={suspend.error}
            disabledReason={lastAdmin}
          />
        ) : (
          <Button
            variant="default"
            color="green"
            loading={reactivate.isPending}
            onClick={() => reactivate.mutate(undefined, { onSuccess: after(`${member.name} is active again.`) })}
          >
            Reactivate
          </Button>
        )}
        <ConfirmAction
          label="Remove"
          variant="default"
          message={`${member.name} will be removed from this organization and lose access at once. Their audit history is kept.`}
          onConfirm={() => remove.mutateAsync().then(() => navigate(`/orgs/${orgId}/members`))}
          pending={remove.isPending}
          error={remove.error}
          disabledReason={lastAdmin}
        />
      </Group>
      {lastAdmin && (
        <Text size="sm" c="dimmed">
          {lastAdmin}.
        </Text>
      )}
      <ProblemAlert error={reactivate.error} />
      <Title order={2} size="h4">
        Credentials
      </Title>
      <Group>
        <ConfirmAction
          label="Reset password"
          color="blue"
          variant="default"
          message={`A single-use link to set a new password (valid 72 hours) will be mailed to ${member.email}. The current password keeps working until then.`}
          onConfirm={() =>
            resetPassword.mutateAsync().then(after(`A password reset link was mailed to ${member.email}.`))
          }
          pending={resetPassword.isPending}
          error={resetPassword.error}
          disabledReason={sso}
        />
        <ConfirmAction
          label="Reset MFA"
          variant="default"
          message={`${member.name}'s authenticator will be removed and their sessions end; they enrol again at their next sign-in.`}
          onConfirm={() => resetMfa.mutateAsync().then(after(`${member.name}'s MFA was reset.`))}
          pending={resetMfa.isPending}
          error={resetMfa.error}
          disabledReason={notManaged ?? sso}
        />
        <ConfirmAction
          label="Terminate sessions"
          variant="default"
          message={
            member.managed
              ? `Every session of ${member.name} ends now; they must sign in again.`
              : `${member.name}'s sessions in this organization end now. Their account is not managed by this organization, so their sessions elsewhere go on.`
          }
          onConfirm={() => revoke.mutateAsync().then(after(`${member.name}'s sessions were terminated.`))}
          pending={revoke.isPending}
          error={revoke.error}
        />
      </Group>
      {[notManaged, sso].filter(Boolean).map((reason) => (
        <Text key={reason} size="sm" c="dimmed">
          {reason}.
        </Text>
      ))}
      {done && (
        <Text role="status" c="green">
          {done}
        </Text>
      )}
      {editing && (
        <EditMemberDialog
          orgId={orgId}
          member={member}
          roleLockedReason={lastAdmin}
          opened={editing}
          onClose={editDialog.close}
          teams={teamOptions}
        />
      )}
    </Stack>
  );
}

function MemberActivity({ orgId, userId }: { orgId: string; userId: string }) {
  const events = useAuditEvents(orgId, { targetId: userId, limit: '20' });
  return (
    <QueryState query={events}>
      {(page) => <AuditTable events={page.items} caption="Latest events about this member" />}
    </QueryState>
  );
}

/** One member: details, membership and credential actions, and their activity. */
export function MemberPage() {
  const { orgId = '', userId = '' } = useParams();
  const member = useMember(orgId, userId);
  const teams = useTeams(orgId);
  return (
    <Stack>
      <Anchor component={Link} to={`/orgs/${orgId}/members`} size="sm">
        ← Members
      </Anchor>
      <QueryState query={member}>
        {(m) => (
          <Stack>
            <Group>
              <Title order={1}>{m.name}</Title>
              <StatusBadge status={m.status} />
              {m.authSource.kind === 'sso' && <Badge variant="outline">SSO</Badge>}
            </Group>
            <Paper withBorder p="md">
              <SimpleGrid cols={{ base: 2, md: 4 }}>
                <Field label="Email">{m.email}</Field>
                <Field label="Role">{roleLabel(m.role)}</Field>
                <Field label="Team">
                  {m.teamId ? (teams.data?.items.find((t) => t.teamId === m.teamId)?.name ?? m.teamId) : '—'}
                </Field>
                <Field label="Source">{m.source}</Field>
                <Field label="Last login">{formatDate(m.lastLoginAt)}</Field>
                <Field label="Created">{formatDate(m.createdAt)}</Field>
                {m.title !== null && <Field label="Title">{m.title}</Field>}
                {m.department !== null && <Field label="Department">{m.department}</Field>}
                {m.credentialMail !== null && (
                  <Field label="Last credential mail">
                    {CREDENTIAL_MAIL_LABELS[m.credentialMail.kind]}: {m.credentialMail.state}
                    {m.credentialMail.reason ? ` (${m.credentialMail.reason})` : ''}, {formatDate(m.credentialMail.at)}
                  </Field>
                )}
              </SimpleGrid>
            </Paper>
            <MemberActions orgId={orgId} member={m} />
            <Title order={2} size="h4">
              Activity
            </Title>
            <MemberActivity orgId={orgId} userId={m.userId} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
