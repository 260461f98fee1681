import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldError } from '../../../lib/api';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { useReplaceMember, type MemberRow } from '../api/members';
import { useRoleOptions } from '../../roles/api/roles';

interface Props {
  orgId: string;
  member: MemberRow;
  opened: boolean;
  onClose: () => void;
  teams: { value: string; label: string }[];
  /** Why the role cannot change (the last active admin), if it cannot. */
  roleLockedReason?: string | null;
}

/** Edit: the full-replace form (PUT) with every field filled from the member. */
export function EditMemberDialog({ orgId, member, opened, onClose, teams, roleLockedReason }: Props) {
  const roleOptions = useRoleOptions(orgId);
  const replace = useReplaceMember(orgId, member.userId);
  const [name, setName] = useState(member.name);
  const [email, setEmail] = useState(member.email);
  const [role, setRole] = useState<string>(member.role);
  const [teamId, setTeamId] = useState<string | null>(member.teamId);
  const close = () => {
    replace.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    replace.mutate({ name: name.trim(), email: email.trim(), role: role as 'member', teamId }, { onSuccess: close });
  };
  const nameError = fieldError(replace.error, 'name');
  const emailError = fieldError(replace.error, 'email');
  return (
    <Modal opened={opened} onClose={close} title="Edit member" centered>
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
          <TextInput
            label="Email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            error={emailError}
            disabled={!member.managed}
            description={
              member.managed ? undefined : 'Account not managed by this organization: only the person can change it'
            }
          />
          <Select
            label="Role"
            data={roleOptions}
            value={role}
            onChange={(v) => setRole(v ?? role)}
            allowDeselect={false}
            disabled={Boolean(roleLockedReason)}
            description={roleLockedReason ?? undefined}
          />
          <Select label="Team" data={teams} value={teamId} onChange={setTeamId} clearable placeholder="No team" />
          {!nameError && !emailError && <ProblemAlert error={replace.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={replace.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
