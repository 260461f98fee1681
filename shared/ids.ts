import { randomBytes, randomUUID, createHash, timingSafeEqual } from 'node:crypto';

/** Opaque resource ids. */
export const newId = (): string => randomUUID();

/** A secret of 256 bits from the CSPRNG, URL-safe. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Only hashes of secrets are stored. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
