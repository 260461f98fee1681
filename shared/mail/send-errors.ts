/**
 * Which SES errors are worth retrying. Permanent ones (the message or the address is refused,
 * the sender is not verified, the account cannot send) fail the same way on every retry: the
 * mailer marks the mail `failed` at once instead of holding its stream shard, which every
 * tenant's mail shares, through an hour of retries. Throttling, 5xx and network errors are
 * transient: thrown, so the stream retries with backoff.
 */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'MailFromDomainNotVerified',
  'AccountSuspendedException',
  'AccountSuspended',
  'SendingPausedException',
  'ConfigurationSetDoesNotExistException',
  'NotFoundException',
  'BadRequestException',
  'InvalidParameterValue',
]);
const TRANSIENT = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'Throttling',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalFailure',
]);

export type SendFailure = 'permanent' | 'transient';

export function classifySendError(error: unknown): SendFailure {
  if (!(error instanceof Error)) return 'transient';
  if (TRANSIENT.has(error.name)) return 'transient';
  if (PERMANENT.has(error.name)) return 'permanent';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // Any other 4xx but 429 is the request itself (an address SES cannot take): no retry will change it.
  return status !== undefined && status >= 400 && status < 500 && status !== 429 ? 'permanent' : 'transient';
}
