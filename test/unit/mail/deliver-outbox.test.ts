import { describe, expect, it } from 'vitest';
import { failureReason } from '../../../shared/mail/deliver-outbox.js';

describe('delivery failure reason', () => {
  it('is one short line: the error name and message, never a stack', () => {
    const error = new Error('connect ECONNREFUSED 127.0.0.1:8005\n    at TCPConnectWrap.afterConnect');
    expect(failureReason(error)).toBe('Error: connect ECONNREFUSED 127.0.0.1:8005 at TCPConnectWrap.afterConnect');
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
    expect(failureReason(throttled)).toBe('TooManyRequestsException: Maximum sending rate exceeded.');
    expect(failureReason(new Error('x'.repeat(500)))).toHaveLength(200);
    expect(failureReason('odd')).toBe('odd');
  });
});
