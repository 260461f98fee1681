import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { PublicFrame } from '../../../components/ui/public-frame';
import { api, fieldError, unwrap } from '../../../lib/api';

/** `/password-reset/{token}` (reset and first-admin mails): New password, Set password. */
export function PasswordResetPage() {
  const { token = '' } = useParams();
  const [password, setPassword] = useState('');
  const complete = useMutation({
    mutationFn: () =>
      unwrap<unknown>(api.POST('/v1/password-resets/{token}', { params: { path: { token } }, body: { password } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate();
  };
  const passwordError = fieldError(complete.error, 'password');
  return (
    <PublicFrame title="Set your password">
      {complete.isSuccess ? (
        <Stack>
          <Text role="status">Your password is set. Every earlier session has ended.</Text>
          <Anchor component={Link} to="/sign-in">
            Sign in
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label="New password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
              required
              error={passwordError}
            />
            {!passwordError && <ProblemAlert error={complete.error} />}
            <Button type="submit" loading={complete.isPending}>
              Set password
            </Button>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}
