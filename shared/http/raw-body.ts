import { PayloadTooLargeError } from '../errors.js';
import { DEFAULT_MAX_BODY_BYTES } from './parse.js';
import type { ApiEvent } from './types.js';

/**
 * The request body's exact bytes, as the sender signed them. The pipeline's JSON parsing
 * would re-serialise it; a signature covers the bytes on the wire, never a re-encoding.
 */
export function rawBodyOf(event: ApiEvent, maxBytes = DEFAULT_MAX_BODY_BYTES): Buffer {
  const body = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (body.length > maxBytes) throw new PayloadTooLargeError(`The body exceeds ${maxBytes} bytes`);
  return body;
}
