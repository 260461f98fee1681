import { ScimBadRequestError } from './scim-errors.js';

/** One `attribute eq "value"` comparison, the attribute named canonically. */
export interface EqualityClause {
  attribute: string;
  value: string;
}

/** The longest filter worth parsing; IdPs send one or two short comparisons. */
const MAX_FILTER_LENGTH = 1000;

const WORK_EMAIL = /^emails\[\s*type\s+eq\s+"work"\s*\]\.value/i;
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_.:-]*/;
const EQ_STRING = /^\s+eq\s+("(?:[^"\\]|\\.)*")/i;
const AND = /^\s+and\s+/i;

/**
 * Parses exactly the filters Roster serves from keys: `attr eq "value"` comparisons joined by
 * `and`, where attr is one of `attributes` (matched case-insensitively, as RFC 7643 names are)
 * or `emails[type eq "work"].value` (canonically `emails.work`, when allowed). Anything else,
 * `or`, `not`, `co`, `sw`, grouping, is refused with scimType `invalidFilter` rather than
 * served by reading the org and discarding most of it.
 */
export function parseFilter(filter: string, attributes: readonly string[]): EqualityClause[] {
  const invalid = (why: string) =>
    new ScimBadRequestError(
      'invalidFilter',
      `Unsupported filter (${why}); supported: ${[...attributes.map((a) => (a === 'emails.work' ? 'emails[type eq "work"].value' : a))].join(', ')} with eq, joined by and`,
    );
  if (filter.length > MAX_FILTER_LENGTH) throw invalid('too long');
  let rest = filter.trim();
  if (rest === '') throw invalid('empty');
  const clauses: EqualityClause[] = [];
  for (;;) {
    let attribute: string | undefined;
    const email = WORK_EMAIL.exec(rest);
    if (email) {
      attribute = attributes.includes('emails.work') ? 'emails.work' : undefined;
      rest = rest.slice(email[0].length);
    } else {
      const name = ATTRIBUTE.exec(rest)?.[0];
      if (name === undefined) throw invalid(`expected an attribute at "${rest.slice(0, 30)}"`);
      attribute = attributes.find((a) => a !== 'emails.work' && a.toLowerCase() === name.toLowerCase());
      rest = rest.slice(name.length);
    }
    if (!attribute) throw invalid('attribute not filterable');
    const comparison = EQ_STRING.exec(rest);
    if (!comparison?.[1]) throw invalid('expected eq and a quoted string');
    let value: string;
    try {
      value = JSON.parse(comparison[1]) as string;
    } catch {
      throw invalid('bad string literal');
    }
    clauses.push({ attribute, value });
    rest = rest.slice(comparison[0].length);
    if (rest.trim() === '') return clauses;
    const and = AND.exec(rest);
    if (!and) throw invalid(`unexpected "${rest.trim().slice(0, 30)}"`);
    rest = rest.slice(and[0].length);
  }
}
