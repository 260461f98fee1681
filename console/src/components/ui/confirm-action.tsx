import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { ProblemAlert } from './problem-alert';

interface ConfirmActionProps extends Omit<ButtonProps, 'onClick'> {
  /** The button's text, also the dialog's title and confirm button. */
  label: string;
  message: ReactNode;
  onConfirm: () => Promise<unknown>;
  pending?: boolean;
  error?: unknown;
  /** Why the action does not apply; the button is disabled and says so. */
  disabledReason?: string | null;
}

/** A destructive action: a button that opens a confirmation dialog; errors show inside it. */
export function ConfirmAction({
  label,
  message,
  onConfirm,
  pending,
  error,
  disabledReason,
  ...buttonProps
}: ConfirmActionProps) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button {...buttonProps} onClick={open} disabled={Boolean(disabledReason)} title={disabledReason ?? undefined}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={label} centered>
        <Stack>
          <Text>{message}</Text>
          <ProblemAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color={buttonProps.color === undefined || buttonProps.color === 'red' ? 'red.9' : buttonProps.color}
              loading={pending}
              onClick={() => void onConfirm().then(close, () => undefined)}
            >
              {label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
