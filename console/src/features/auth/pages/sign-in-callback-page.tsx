import { Anchor, Center, Loader, Paper, Stack, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { completeFederatedSignIn, type CallbackResult } from '../../../lib/auth/hosted-login';
import { startSession } from '../../../lib/auth/session';
import { loadConfig } from '../../../lib/config';

// One exchange per page load: a code is good once, and React may run an effect twice.
let completing: { search: string; result: Promise<CallbackResult> } | undefined;

/** `/sign-in/callback`: where the identity provider's sign-in comes back; starts the session or shows the refusal. */
export function SignInCallbackPage() {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const search = window.location.search;
    if (completing?.search !== search)
      completing = { search, result: loadConfig().then((config) => completeFederatedSignIn(config, search)) };
    let active = true;
    completing.result.then(
      (result) => {
        if (!active) return;
        if (result.kind === 'retry') return window.location.assign(result.url);
        startSession(result.tokens);
        void navigate(result.from, { replace: true });
      },
      (caught: unknown) => active && setError(caught),
    );
    return () => {
      active = false;
    };
  }, [navigate]);

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w={420}>
        {error ? (
          <Stack>
            <Title order={1} size="h2">
              Sign-in refused
            </Title>
            <ProblemAlert error={error} />
            <Anchor component={Link} to="/sign-in">
              Back to sign-in
            </Anchor>
          </Stack>
        ) : (
          <Stack align="center">
            <Title order={1} size="h2">
              Signing you in…
            </Title>
            <Loader role="status" aria-label="Signing in" />
          </Stack>
        )}
      </Paper>
    </Center>
  );
}
