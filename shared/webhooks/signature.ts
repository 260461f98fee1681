import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';

/** The header a Roster-signed webhook carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'roster-signature';

/** How far a signature's timestamp may be from our clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface ParsedSignature {
  timestamp: number;
  /** Every `v1` value (several while a sender rotates secrets), each 32 bytes. */
  signatures: Buffer[];
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The header's parts, or undefined when it is missing or garbled (no timestamp, no v1). */
export function parseSignatureHeader(header: string | undefined): ParsedSignature | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

/** HMAC-SHA256 of `<t>.<raw body>` under the secret, over the body's exact bytes. */
export function computeSignature(secret: string, timestamp: number, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The header a sender would put on `rawBody` at `timestamp` (tests, samples, clients). */
export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody).toString('hex')}`;
}

export interface SignatureCheck {
  header: string | undefined;
  rawBody: Buffer;
  /** The org's signing secret; undefined when none was ever issued (every request refused). */
  secret: string | undefined;
  now: Date;
  toleranceSeconds?: number;
}

/** Stands in for a missing secret; never matches, since the result is refused regardless. */
const NO_SECRET = 'no signing secret configured';

const invalidSignature = () =>
  new UnauthorizedError('invalid_signature', 'The Roster-Signature header is missing or does not match the body');

/**
 * Verifies a Roster-Signature header in constant time. A bad or missing signature is 401
 * `invalid_signature`; a correct one outside the tolerance is 401 `stale_signature` (checked
 * after the HMAC, so an unsigned request never learns about our clock).
 */
export function verifySignature(check: SignatureCheck): void {
  const parsed = parseSignatureHeader(check.header);
  if (!parsed) throw invalidSignature();
  // An org with no secret costs what a wrong signature does, so timing does not tell them apart.
  const expected = computeSignature(check.secret ?? NO_SECRET, parsed.timestamp, check.rawBody);
  // Compare every candidate; no early exit, so timing says nothing about which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched || check.secret === undefined) throw invalidSignature();
  const tolerance = check.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const skew = Math.abs(Math.floor(check.now.getTime() / 1000) - parsed.timestamp);
  if (skew > tolerance)
    throw new UnauthorizedError(
      'stale_signature',
      `The signature's timestamp is more than ${tolerance} seconds from the server's clock`,
    );
}
