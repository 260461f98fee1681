import type * as z from 'zod/mini';
import { MalformedBodyError, PayloadTooLargeError } from '../errors.js';
import { validate } from '../validation.js';
import type { ApiEvent } from './types.js';

/** Default request body cap; API Gateway's own limit is far above what JSON commands need. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type Schema<T> = z.ZodMiniType<T>;

/** The JSON body, parsed and validated; size, media type and syntax problems are 4xx. */
export function parseBody<T>(event: ApiEvent, schema: Schema<T>, maxBytes = DEFAULT_MAX_BODY_BYTES): T {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw new PayloadTooLargeError(`The body exceeds ${maxBytes} bytes`);
  if (raw.trim() === '') throw new MalformedBodyError('A JSON body is required');
  const contentType = headerValue(event, 'content-type') ?? 'application/json';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType))
    throw new MalformedBodyError(`Content type ${contentType} is not JSON`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new MalformedBodyError('The body is not valid JSON');
  }
  return validate(schema, json, '');
}

export function headerValue(event: ApiEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}
