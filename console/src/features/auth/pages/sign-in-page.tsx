import { Anchor, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { answerMfaChallenge, signInWithPassword } from '../../../lib/auth/cognito';
import { federatedSignInUrl } from '../../../lib/auth/hosted-login';
import { startSession } from '../../../lib/auth/session';
import { loadConfig } from '../../../lib/config';
import { discoverSso } from '../api/discover-sso';

/**
 * Email first: an address whose domain has an SSO connection goes to its identity provider
 * (Sign in with no password, or Continue with SSO); any other signs in with its password, then
 * the authenticator's code when the account has MFA.
 */
export function SignInPage() {
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mfa, setMfa] = useState<{ session: string; email: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  /** Sends an SSO address to its identity provider; answers false when the domain has none. */
  const routeToIdentityProvider = async (): Promise<boolean> => {
    const address = email.trim();
    if (!address) throw new Error('Enter your email address.');
    const found = await discoverSso(address);
    if (!found.sso) return false;
    window.location.assign(await federatedSignInUrl(await loadConfig(), found.idpIdentifier, from));
    return true;
  };

  const continueWithSso = async () => {
    setPending(true);
    setError(null);
    try {
      if (!(await routeToIdentityProvider())) {
        const domain = email.trim().split('@').pop() ?? '';
        setError(new Error(`No single sign-on is set up for ${domain}. Sign in with your password.`));
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const config = await loadConfig();
      if (!mfa && password === '') {
        if (!(await routeToIdentityProvider())) setError(new Error('Enter your password.'));
        return;
      }
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
                  description="Leave empty to sign in through your organization's identity provider."
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  autoComplete="current-password"
                />
              </>
            )}
            <ProblemAlert error={error} />
            <Button type="submit" loading={pending}>
              {mfa ? 'Verify' : 'Sign in'}
            </Button>
            {!mfa && (
              <>
                <Button type="button" variant="default" onClick={() => void continueWithSso()} disabled={pending}>
                  Continue with SSO
                </Button>
                <Anchor component={Link} to="/forgot-password" size="sm">
                  Forgot password?
                </Anchor>
              </>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
