import { headerValue } from './parse.js';
import type { ApiEvent } from './types.js';

/** `<scheme>://<host>/scim/v2`, for `meta.location`. */
export function scimBaseUrl(event: ApiEvent): string {
  const host = headerValue(event, 'host') ?? event.requestContext.domainName;
  const proto = headerValue(event, 'x-forwarded-proto') ?? 'https';
  return `${proto}://${host}/scim/v2`;
}
