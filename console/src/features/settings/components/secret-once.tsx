import { Alert, Code, CopyButton, Button, Group, Stack, Text } from '@mantine/core';

/** A secret the API shows once: displayed with a copy button and a warning that it will not be shown again. */
export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  return (
    <Alert color="yellow" title={`${label}: copy it now`} role="status">
      <Stack gap="xs">
        <Text size="sm">It is shown once; Roster keeps only a hash.</Text>
        <Group>
          <Code data-testid="secret" fz="sm" style={{ wordBreak: 'break-all' }}>
            {secret}
          </Code>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}
