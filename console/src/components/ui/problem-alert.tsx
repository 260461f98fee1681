import { Alert } from '@mantine/core';
import { CognitoError } from '../../lib/auth/cognito';
import { ProblemError } from '../../lib/api';

/** The message a person should read for a failed action: the problem's `detail`, verbatim. */
export function errorMessage(error: unknown): string {
  if (error instanceof ProblemError) return error.problem.detail || error.problem.title;
  if (error instanceof CognitoError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Shows an action's error next to the action, as an alert screen readers announce. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={title} data-testid="problem">
      {errorMessage(error)}
    </Alert>
  );
}
