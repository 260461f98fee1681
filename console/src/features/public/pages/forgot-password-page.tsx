import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { PublicFrame } from '../../../components/ui/public-frame';
import { api, fieldError, unwrap } from '../../../lib/api';

/**
 * `/forgot-password`: asks Roster to mail its reset link. The API answers every address the
 * same way, so the page does too: it never says whether the address has an account.
 */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => unwrap<unknown>(api.POST('/v1/password-resets', { body: { email: email.trim() } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  const emailError = fieldError(request.error, 'email');
  return (
    <PublicFrame title="Reset your password">
      {request.isSuccess ? (
        <Stack>
          <Text role="status">
            If an account uses {email.trim()}, we have emailed it a link to set a new password. The link works once, for
            72 hours.
          </Text>
          <Anchor component={Link} to="/sign-in">
            Back to sign in
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">Enter the email you sign in with; we will mail you a link to set a new password.</Text>
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              autoComplete="username"
              required
              autoFocus
              error={emailError}
            />
            {!emailError && <ProblemAlert error={request.error} />}
            <Button type="submit" loading={request.isPending}>
              Send reset link
            </Button>
            <Anchor component={Link} to="/sign-in" size="sm">
              Back to sign in
            </Anchor>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}
