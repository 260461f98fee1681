/** Schema pieces every area shares, so a field means the same thing on every route. */
import * as z from 'zod/mini';
import { ROLE_KEY_PATTERN } from './roles.js';

export const trimmedString = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL_OR_LINE_BREAK = /[\p{Cc}\u2028\u2029]/u;

/**
 * A name people give something (a person, team, key or token): 1..max characters after trimming,
 * on one line and without control characters, because names reach plain-text mail, CSV cells,
 * audit entries and logs. The one rule for every name Roster accepts.
 */
export const nameText = (max: number) =>
  trimmedString(1, max).check(
    z.refine((value) => !CONTROL_OR_LINE_BREAK.test(value), 'must be one line without control characters'),
  );

/**
 * A name from an identity provider made one line: each run of control characters and line breaks
 * becomes one space. IdP data is normalised rather than refused, so one odd value cannot stop a
 * person's sync; names typed into Roster are refused instead (nameText).
 */
export const oneLine = (value: string): string => value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();

/** A display name: 1..200 characters after trimming, one line. */
export const displayName = nameText(200);

/** An email address, trimmed and lower-cased (emails are compared that way platform-wide). */
export const emailAddress = z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.email());

/** Ids Roster issues (UUIDs); anything else cannot name a resource. */
export const resourceId = z
  .string()
  .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an id Roster issued'));

export const orgPathParams = z.object({ orgId: resourceId });

/** A role's key (built-in `org_admin`/`member` or one the org defined); whether the org has it is the use case's check. */
export const roleKey = z
  .string()
  .check(z.regex(ROLE_KEY_PATTERN, 'must be a role key (a-z, 0-9, _ or -; 2 to 40 characters)'));

/** An email domain such as `acme.test`. */
export const emailDomain = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(253),
    z.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain like example.com'),
  );
