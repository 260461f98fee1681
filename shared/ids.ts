import { randomBytes, randomUUID, createHash, timingSafeEqual } from 'node:crypto';

/** Opaque resource ids. */
export const newId = (): string => randomUUID();

/**
 * An id derived from `parts`, the same every time: a UUID (RFC 9562 version 8, custom) from
 * their SHA-256. For an item a retry must find again rather than write twice.
 */
export function derivedId(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

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
