import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../shared/errors.js';
import {
  computeSignature,
  parseSignatureHeader,
  signatureHeader,
  verifySignature,
} from '../../../shared/webhooks/signature.js';

// Cross-checked with: printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac whsec_test
const SECRET = 'whsec_test';
const T = 1_700_000_000;
const BODY = '{"id":"evt_1","type":"user.deactivated","data":{"email":"ada@acme.test"}}';
const EXPECTED = '2cd6c2cba6fac07f0c27f815ff2e84eac9561d8d59d6dc023e0058f2d2eb566c';
const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

function refusal(check: () => void): string | undefined {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    return (error as UnauthorizedError).code;
  }
  return undefined;
}

describe('Roster-Signature', () => {
  it('is HMAC-SHA256 of "<t>.<raw body>" (fixed vector)', () => {
    expect(computeSignature(SECRET, T, BODY).toString('hex')).toBe(EXPECTED);
    expect(computeSignature(SECRET, T, Buffer.from(BODY)).toString('hex')).toBe(EXPECTED);
    expect(signatureHeader(SECRET, T, BODY)).toBe(`t=${T},v1=${EXPECTED}`);
  });

  it('parses t and every v1, in any order, ignoring unknown schemes and whitespace', () => {
    const parsed = parseSignatureHeader(` v1=${EXPECTED} , v0=abc, t=${T}, v1=${'0'.repeat(64)}`);
    expect(parsed?.timestamp).toBe(T);
    expect(parsed?.signatures.map((s) => s.toString('hex'))).toEqual([EXPECTED, '0'.repeat(64)]);
  });

  it.each([
    undefined,
    '',
    'garbage',
    `t=${T}`,
    `v1=${EXPECTED}`,
    `t=abc,v1=${EXPECTED}`,
    `t=${T},v1=${EXPECTED.slice(2)}`,
    `t=${T},v1=${'z'.repeat(64)}`,
    `t=-5,v1=${EXPECTED}`,
  ])('refuses the garbled header %j as invalid_signature', (header) => {
    expect(parseSignatureHeader(header)).toBeUndefined();
    expect(refusal(() => verifySignature({ header, rawBody: Buffer.from(BODY), secret: SECRET, now: at(T) }))).toBe(
      'invalid_signature',
    );
  });

  it('accepts the right signature, also as a second v1 while secrets rotate', () => {
    expect(
      refusal(() =>
        verifySignature({ header: `t=${T},v1=${EXPECTED}`, rawBody: Buffer.from(BODY), secret: SECRET, now: at(T) }),
      ),
    ).toBeUndefined();
    expect(
      refusal(() =>
        verifySignature({
          header: `t=${T},v1=${'1'.repeat(64)},v1=${EXPECTED}`,
          rawBody: Buffer.from(BODY),
          secret: SECRET,
          now: at(T),
        }),
      ),
    ).toBeUndefined();
  });

  it('refuses another secret, a changed body (one byte, or re-serialised JSON) and a changed timestamp', () => {
    const header = `t=${T},v1=${EXPECTED}`;
    const verify = (rawBody: string, secret: string | undefined, h = header) =>
      refusal(() => verifySignature({ header: h, rawBody: Buffer.from(rawBody), secret, now: at(T) }));
    expect(verify(BODY, 'whsec_other')).toBe('invalid_signature');
    expect(verify(BODY, undefined)).toBe('invalid_signature');
    expect(verify(BODY.replace('ada', 'adb'), SECRET)).toBe('invalid_signature');
    expect(verify(JSON.stringify(JSON.parse(BODY), null, 1), SECRET)).toBe('invalid_signature');
    expect(verify(BODY, SECRET, `t=${T + 1},v1=${EXPECTED}`)).toBe('invalid_signature');
  });

  it('tolerates exactly 5 minutes of skew either way, and calls anything beyond stale', () => {
    const verifyAt = (now: number) =>
      refusal(() =>
        verifySignature({ header: `t=${T},v1=${EXPECTED}`, rawBody: Buffer.from(BODY), secret: SECRET, now: at(now) }),
      );
    expect(verifyAt(T + 300)).toBeUndefined();
    expect(verifyAt(T - 300)).toBeUndefined();
    expect(verifyAt(T + 301)).toBe('stale_signature');
    expect(verifyAt(T - 301)).toBe('stale_signature');
    expect(verifyAt(T + 86_400)).toBe('stale_signature');
  });

  it('says invalid, not stale, for a wrong signature with an old timestamp (the clock is not revealed)', () => {
    expect(
      refusal(() =>
        verifySignature({
          header: `t=${T - 10_000},v1=${EXPECTED}`,
          rawBody: Buffer.from(BODY),
          secret: SECRET,
          now: at(T),
        }),
      ),
    ).toBe('invalid_signature');
  });
});
