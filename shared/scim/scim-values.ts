import { ScimBadRequestError } from './scim-errors.js';

/* Reading SCIM attribute values as IdPs send them; a wrong type is a 400 naming the attribute. */

/** SCIM's booleans as IdPs send them: `true`/`false`, or Entra's strings "True"/"False". */
export function scimBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimBadRequestError('invalidValue', `${path} must be a boolean`);
}

export function optionalString(value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new ScimBadRequestError('invalidValue', `${path} must be a string`);
  return value.trim() === '' ? null : value.trim();
}

export function requiredString(value: unknown, path: string): string {
  const s = optionalString(value, path);
  if (s === null) throw new ScimBadRequestError('invalidValue', `${path} is required`);
  return s;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The work email of an `emails` array: type work, else primary, else the first. */
export function workEmailOf(emails: unknown): string | null {
  if (emails === undefined || emails === null) return null;
  if (!Array.isArray(emails)) throw new ScimBadRequestError('invalidValue', 'emails must be an array');
  const entries = emails.filter(isRecord);
  const chosen =
    entries.find((e) => e.type === 'work') ??
    entries.find((e) => e.primary === true || e.primary === 'true') ??
    entries[0];
  return chosen ? optionalString(chosen.value, 'emails.value') : null;
}

export function managerOf(value: unknown): string | null {
  if (isRecord(value)) return optionalString(value.value, 'manager.value');
  return optionalString(value, 'manager');
}

/** Checks a resource body names the schema it must (RFC 7643 §3: `schemas` is required). */
export function requireSchema(body: Record<string, unknown>, schema: string): void {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(schema))
    throw new ScimBadRequestError('invalidSyntax', `schemas must include ${schema}`);
}

/** A work email worth keeping apart: one that is not the userName (compared as emails are). */
export const otherEmail = (email: string | null, userName: string): string | null =>
  email !== null && email.toLowerCase() !== userName.toLowerCase() ? email : null;
