import { Button, Group, List, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldError } from '../../../lib/api';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { useInviteMembers } from '../api/members';
import { useRoleOptions } from '../../roles/api/roles';

interface Props {
  orgId: string;
  opened: boolean;
  onClose: () => void;
  teams: { value: string; label: string }[];
}

/** Invite members: comma- or newline-separated emails; each refused address is listed with the API's reason. */
export function InviteMembersDialog({ orgId, opened, onClose, teams }: Props) {
  const roleOptions = useRoleOptions(orgId);
  const invite = useInviteMembers(orgId);
  const [emails, setEmails] = useState('');
  const [role, setRole] = useState<string>('member');
  const [teamId, setTeamId] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  const close = () => {
    invite.reset();
    setEmails('');
    setMessage('');
    setRole('member');
    setTeamId(null);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = emails
      .split(/[\n,;]/)
      .map((e) => e.trim())
      .filter(Boolean);
    invite.mutate(
      { emails: list, role: role as 'member', teamId, message: message.trim() || null },
      { onSuccess: (result) => result.refused.length === 0 && close() },
    );
  };
  const result = invite.data;
  return (
    <Modal opened={opened} onClose={close} title="Invite members" centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Textarea
            label="Emails"
            description="Separate addresses with commas or new lines (up to 100)."
            value={emails}
            onChange={(e) => setEmails(e.currentTarget.value)}
            autosize
            minRows={3}
            required
            error={fieldError(invite.error, 'emails')}
            data-autofocus
          />
          <Select
            label="Role"
            data={roleOptions}
            value={role}
            onChange={(v) => setRole(v ?? 'member')}
            allowDeselect={false}
          />
          <Select label="Team" data={teams} value={teamId} onChange={setTeamId} clearable placeholder="No team" />
          <Textarea
            label="Message"
            description="Optional, included in the invitation mail."
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            maxLength={1000}
          />
          <ProblemAlert error={invite.error} />
          {result && result.refused.length > 0 && (
            <Stack gap={4} role="status">
              <Text size="sm">
                {result.created.length} sent; {result.refused.length} not sent:
              </Text>
              <List size="sm">
                {result.refused.map((r) => (
                  <List.Item key={r.email}>
                    {r.email}: {r.detail}
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {result ? 'Close' : 'Cancel'}
            </Button>
            <Button type="submit" loading={invite.isPending}>
              Send invitations
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
