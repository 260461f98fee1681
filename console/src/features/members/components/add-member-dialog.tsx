import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldError } from '../../../lib/api';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { useAddMember } from '../api/members';
import { useRoleOptions } from '../../roles/api/roles';

interface Props {
  orgId: string;
  opened: boolean;
  onClose: () => void;
  teams: { value: string; label: string }[];
}

/** Add member: Name, Email, Role, Team; no mail is sent (the admin lets them in with Reset password). */
export function AddMemberDialog({ orgId, opened, onClose, teams }: Props) {
  const roleOptions = useRoleOptions(orgId);
  const add = useAddMember(orgId);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('member');
  const [teamId, setTeamId] = useState<string | null>(null);

  const close = () => {
    add.reset();
    setName('');
    setEmail('');
    setRole('member');
    setTeamId(null);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ name: name.trim(), email: email.trim(), role: role as 'member', teamId }, { onSuccess: close });
  };
  const nameError = fieldError(add.error, 'name');
  const emailError = fieldError(add.error, 'email');
  return (
    <Modal opened={opened} onClose={close} title="Add member" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            maxLength={200}
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
          />
          <Select
            label="Role"
            data={roleOptions}
            value={role}
            onChange={(v) => setRole(v ?? 'member')}
            allowDeselect={false}
          />
          <Select label="Team" data={teams} value={teamId} onChange={setTeamId} clearable placeholder="No team" />
          {!nameError && !emailError && <ProblemAlert error={add.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
