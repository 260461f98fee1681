import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { PublicFrame } from '../../../components/ui/public-frame';
import { QueryState } from '../../../components/ui/query-state';
import { api, fieldError, unwrap } from '../../../lib/api';
import { roleLabel } from '../../members/components/members-table';

/** `/invitations/{token}` (the mail's link): who invites you where, then Name and Password to accept. */
export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => unwrap(api.GET('/v1/invitations/{token}', { params: { path: { token } } })),
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/invitations/{token}/accept', {
          params: { path: { token } },
          body: { name: name.trim(), password },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  return (
    <PublicFrame title="Join your team on Roster">
      <QueryState query={preview}>
        {(invitation) =>
          accept.isSuccess ? (
            <Stack>
              <Text role="status">You joined {invitation.orgName}.</Text>
              <Anchor component={Link} to="/sign-in">
                Sign in
              </Anchor>
            </Stack>
          ) : (
            <form onSubmit={submit} noValidate>
              <Stack>
                <Text>
                  {invitation.inviter.name ?? invitation.inviter.email} invited <strong>{invitation.email}</strong> to{' '}
                  {invitation.orgName} as {roleLabel(invitation.role)}.
                </Text>
                <TextInput
                  label="Name"
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  autoComplete="name"
                  required
                  error={fieldError(accept.error, 'name')}
                />
                <TextInput
                  label="Password"
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  autoComplete="new-password"
                  required
                  error={fieldError(accept.error, 'password')}
                />
                {!fieldError(accept.error, 'name') && !fieldError(accept.error, 'password') && (
                  <ProblemAlert error={accept.error} />
                )}
                <Button type="submit" loading={accept.isPending}>
                  Accept invitation
                </Button>
              </Stack>
            </form>
          )
        }
      </QueryState>
    </PublicFrame>
  );
}
