import { normalizeEmail } from '../data/keys.js';
import { ValidationError } from '../errors.js';
import { emailAddress } from '../schemas.js';

/** Most addresses one request may invite, counted after splitting. */
export const MAX_INVITATIONS_PER_REQUEST = 100;

export interface EmailList {
  /** Valid addresses, normalized, first occurrence order, each once. */
  valid: string[];
  /** Entries that are not an email address, as given (trimmed), each once. */
  invalid: string[];
}

/**
 * Splits one string on commas, semicolons and line breaks (a pasted list or a CSV column), or
 * takes an array as one address per entry; trims, lower-cases and de-duplicates.
 */
export function parseEmailList(input: string | string[]): EmailList {
  const entries = (typeof input === 'string' ? input.split(/[,;\r\n]+/) : input)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0)
    throw new ValidationError([{ field: 'emails', message: 'must name at least one email address' }]);
  if (entries.length > MAX_INVITATIONS_PER_REQUEST) {
    throw new ValidationError([
      { field: 'emails', message: `must name at most ${MAX_INVITATIONS_PER_REQUEST} email addresses` },
    ]);
  }
  const valid = new Set<string>();
  const invalid = new Set<string>();
  for (const entry of entries) {
    const parsed = emailAddress.safeParse(entry);
    if (parsed.success) valid.add(normalizeEmail(parsed.data));
    else invalid.add(entry);
  }
  return { valid: [...valid], invalid: [...invalid] };
}
