import { Anchor, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { answerMfaChallenge, signInWithPassword } from '../../../lib/auth/cognito';
import { startSession } from '../../../lib/auth/session';
import { loadConfig } from '../../../lib/config';

/** Email and password, then the authenticator's code when the account has MFA. */
export function SignInPage() {
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mfa, setMfa] = useState<{ session: string; email: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const config = await loadConfig();
      if (mfa) {
        startSession(await answerMfaChallenge(config, mfa.session, mfa.email, code.trim()));
        void navigate(from, { replace: true });
        return;
      }
      const result = await signInWithPassword(config, email.trim(), password);
      if (result.kind === 'mfa') setMfa({ session: result.session, email: result.email });
      else {
        startSession(result.tokens);
        void navigate(from, { replace: true });
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w={380}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Sign in to Roster
            </Title>
            {mfa ? (
              <>
                <Text size="sm">Enter the 6-digit code from your authenticator app.</Text>
                <TextInput
                  label="Code"
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  autoFocus
                />
              </>
            ) : (
              <>
                <TextInput
                  label="Email"
                  type="email"
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  autoComplete="username"
                  required
                  autoFocus
                />
                <TextInput
                  label="Password"
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  autoComplete="current-password"
                  required
                />
              </>
            )}
            <ProblemAlert error={error} />
            <Button type="submit" loading={pending}>
              {mfa ? 'Verify' : 'Sign in'}
            </Button>
            {!mfa && (
              <Anchor component={Link} to="/forgot-password" size="sm">
                Forgot password?
              </Anchor>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
