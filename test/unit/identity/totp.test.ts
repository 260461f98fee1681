import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, matchTotpStep, totpCode } from '../../helpers/totp.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890"; the last 6 of its 8-digit codes.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
  });

  it('base32 round-trips and ignores case, spaces and padding', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq==').toString('ascii')).toBe('12345678901234567890');
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
  });

  it('accepts the previous and next step, refuses two steps off and non-codes', () => {
    const at = 1234567890_000;
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at - 30_000), at)).toBe(Math.floor(at / 30_000) - 1);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at + 30_000), at)).toBe(Math.floor(at / 30_000) + 1);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at - 60_000), at)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, '12345', at)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, 'abcdef', at)).toBeNull();
  });
});
