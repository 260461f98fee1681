import { Anchor, Loader, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { PublicFrame } from '../../../components/ui/public-frame';
import { api, unwrap } from '../../../lib/api';

/** `/email-confirmations/{token}` (email-change mail): opening the link confirms the new address. */
export function EmailConfirmationPage() {
  const { token = '' } = useParams();
  const confirm = useMutation({
    mutationFn: () =>
      unwrap<{ userId: string; email: string }>(
        api.POST('/v1/email-confirmations/{token}', { params: { path: { token } } }),
      ),
  });
  // The token is single use: StrictMode's second effect run must not spend it again (it would show invalid_token).
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    confirm.mutate();
  }, [confirm]);
  return (
    <PublicFrame title="Confirm your email address">
      {confirm.isSuccess ? (
        <Stack>
          <Text role="status">Your email address is now {confirm.data.email}.</Text>
          <Anchor component={Link} to="/sign-in">
            Sign in
          </Anchor>
        </Stack>
      ) : confirm.isError ? (
        <ProblemAlert error={confirm.error} />
      ) : (
        <Loader role="status" aria-label="Confirming" />
      )}
    </PublicFrame>
  );
}
