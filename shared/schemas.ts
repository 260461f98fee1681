/** Schema pieces every area shares, so a field means the same thing on every route. */
import * as z from 'zod/mini';

export const trimmedString = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

/** A display name: 1..200 characters after trimming. */
export const displayName = trimmedString(1, 200);

/** An email address, trimmed and lower-cased (emails are compared that way platform-wide). */
export const emailAddress = z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.email());

/** Ids Roster issues (UUIDs); anything else cannot name a resource. */
export const resourceId = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an id Roster issued'));

export const orgPathParams = z.object({ orgId: resourceId });

/** An email domain such as `acme.test`. */
export const emailDomain = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.maxLength(253),
  z.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain like example.com'),
);
