import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../../shared/errors.js';
import type { ApiEvent } from '../../../shared/http/types.js';
import { rawBodyOf } from '../../../shared/http/raw-body.js';

const eventWith = (body: string | undefined, isBase64Encoded = false) =>
  ({ body, isBase64Encoded }) as unknown as ApiEvent;

describe('rawBodyOf', () => {
  it('returns the bytes as sent, decoding base64 bodies', () => {
    const json = '{"a": 1,  "é": "x"}';
    expect(rawBodyOf(eventWith(json)).toString('utf8')).toBe(json);
    expect(rawBodyOf(eventWith(Buffer.from(json).toString('base64'), true)).toString('utf8')).toBe(json);
    expect(rawBodyOf(eventWith(undefined)).length).toBe(0);
  });

  it('refuses a body over the cap with 413', () => {
    expect(() => rawBodyOf(eventWith('x'.repeat(11)), 10)).toThrow(PayloadTooLargeError);
  });
});
