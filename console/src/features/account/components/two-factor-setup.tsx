import { Button, Code, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import qrcode from 'qrcode-generator';
import { useState, type FormEvent } from 'react';
import { ProblemAlert } from '../../../components/ui/problem-alert';
import { associateSoftwareToken, verifySoftwareToken } from '../../../lib/auth/cognito';
import { api, unwrap } from '../../../lib/api';
import { accessToken } from '../../../lib/auth/session';
import { loadConfig } from '../../../lib/config';
import { meKeys, useMe } from '../../me/api/me';

/** The otpauth URI authenticator apps read from the QR code. */
const otpauthUri = (email: string, secret: string) =>
  `otpauth://totp/${encodeURIComponent(`Roster:${email}`)}?secret=${secret}&issuer=Roster`;

function QrCode({ text }: { text: string }) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return (
    <img src={qr.createDataURL(4, 8)} alt="QR code of the authenticator secret" width={qr.getModuleCount() * 4 + 16} />
  );
}

/** Two-factor authentication (TOTP) through Cognito: associate a secret, verify a code, prefer TOTP. */
export function TwoFactorSetup({ enabled }: { enabled: boolean }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [verified, setVerified] = useState(false);

  const run = async (step: (config: Awaited<ReturnType<typeof loadConfig>>, token: string) => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      const token = await accessToken();
      if (!token) throw new Error('Your session ended; sign in again.');
      await step(await loadConfig(), token);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };
  const start = () => run(async (config, token) => setSecret(await associateSoftwareToken(config, token)));
  const verify = (event: FormEvent) => {
    event.preventDefault();
    void run(async (config, token) => {
      await verifySoftwareToken(config, token, code.trim());
      // Roster turns the verified factor on and records it, so mfaRequired orgs answer at once.
      await unwrap(api.PUT('/v1/me/mfa', { body: { enabled: true } }));
      setVerified(true);
      setSecret(null);
      await queryClient.invalidateQueries({ queryKey: meKeys.me });
    });
  };

  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h3">
          Two-factor authentication
        </Title>
        {enabled || verified ? (
          <Text role="status">Two-factor authentication is enabled.</Text>
        ) : secret ? (
          <form onSubmit={verify} noValidate>
            <Stack>
              <Text>
                Scan the QR code with your authenticator app, or type the secret, then enter the code it shows.
              </Text>
              <Group align="center">
                <QrCode text={otpauthUri(me.data?.user?.email ?? '', secret)} />
                <Code data-testid="totp-secret" fz="md">
                  {secret}
                </Code>
              </Group>
              <TextInput
                label="Code"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                w={200}
              />
              <ProblemAlert error={error} />
              <div>
                <Button type="submit" loading={pending}>
                  Verify
                </Button>
              </div>
            </Stack>
          </form>
        ) : (
          <Stack align="flex-start">
            <Text>Not enabled. Protect your account with an authenticator app.</Text>
            <ProblemAlert error={error} />
            <Button onClick={() => void start()} loading={pending}>
              Set up two-factor authentication
            </Button>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
