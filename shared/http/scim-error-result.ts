import { TooManyRequestsError } from '../errors.js';
import { bearerChallenge, SCIM_CONTENT_TYPE, scimErrorBody } from '../scim/scim-errors.js';
import { headerValue } from './parse.js';
import type { ApiEvent, ApiResult } from './types.js';

/** A refusal of a SCIM route as RFC 7644 §3.12 error body, in SCIM's media type, with the bearer challenge on a 401 and Retry-After on a 429. */
export function scimErrorResult(error: unknown, event?: ApiEvent): ApiResult {
  const body = scimErrorBody(error);
  const headers: Record<string, string> = { 'content-type': SCIM_CONTENT_TYPE };
  if (body.status === '401')
    headers['www-authenticate'] = bearerChallenge(
      event !== undefined && headerValue(event, 'authorization') !== undefined,
    );
  if (error instanceof TooManyRequestsError) headers['retry-after'] = String(error.retryAfterSeconds);
  return { statusCode: Number(body.status), headers, body: JSON.stringify(body) };
}
