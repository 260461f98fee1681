import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../../shared/mail/send-errors.js';

const sesError = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe('classifySendError', () => {
  it('calls refusals that no retry changes permanent', () => {
    for (const name of [
      'MessageRejected',
      'MailFromDomainNotVerifiedException',
      'AccountSuspendedException',
      'BadRequestException',
    ])
      expect(classifySendError(sesError(name, 400)), name).toBe('permanent');
    // An unnamed 4xx (an address SES cannot take) is the request itself.
    expect(classifySendError(sesError('Unknown', 400))).toBe('permanent');
  });

  it('retries throttling, 5xx, network errors and anything unknown', () => {
    for (const [name, status] of [
      ['TooManyRequestsException', 429],
      ['LimitExceededException', 400],
      ['InternalFailure', 500],
      ['ServiceUnavailable', 503],
      ['Unknown', 429],
    ] as const) {
      expect(classifySendError(sesError(name, status)), name).toBe('transient');
    }
    expect(classifySendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'transient',
    );
    expect(classifySendError('odd')).toBe('transient');
  });
});
