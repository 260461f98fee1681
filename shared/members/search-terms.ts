/**
 * What the member search box matches: a prefix of any word of the display name (that word and
 * the rest of the name, so "grace hop" and "hopper" both find "Grace Hopper"), or a prefix of
 * the email (so "amy.smith" finds amy.smith@x). Case-insensitive, accents folded (NFKD).
 *
 * Terms and queries are folded alike: lower case, accents dropped, and every run of characters
 * other than letters, digits and "@" read as one space, so "amy.smith", "Amy Smith" and
 * "amy-smith" are the same search. A term that is the start of another of the member's terms
 * is dropped (its every prefix is the longer one's too): "Amy Smith" and amy.smith@x are one
 * entry, "amy smith@x", so the common first.last@ address never lists the member twice.
 */

/** Most search terms one membership has (its email and up to three name words). */
export const MAX_SEARCH_TERMS = 4;
/** Name words indexed: the first two and the last, so first name, middle/second and surname all find the person. */
const NAME_WORD_STARTS = 3;
/** Longest term kept: a query longer than this matches on its first part. */
export const MAX_TERM_LENGTH = 100;
/**
 * Shortest query searched. Entries of one member sharing a start ("maria smith" and maria@x)
 * both match a query within it, and the page skips the second; at three characters such pairs
 * are rare enough that a page reads about limit+1 entries (bench: list pages).
 */
export const MIN_QUERY_LENGTH = 3;

/** Lower-cased, accents folded (NFKD minus combining marks), every run of other than letters, digits and "@" one space. */
export function foldSearchText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@]+/gu, ' ')
    .trim();
}

/**
 * The membership's terms in a fixed order (slot = position): the name from each indexed word
 * start to its end, then the email; a term that starts another is dropped, and duplicates.
 */
export function searchTermsOf(name: string, email: string): string[] {
  const folded = foldSearchText(name);
  const words = folded.length === 0 ? [] : folded.split(' ');
  const starts = words.map((_, i) => i);
  const chosen =
    starts.length <= NAME_WORD_STARTS ? starts : [...starts.slice(0, NAME_WORD_STARTS - 1), starts[starts.length - 1]!];
  const terms = [
    ...new Set(
      [...chosen.map((i) => words.slice(i).join(' ')), foldSearchText(email)]
        .map((t) => t.slice(0, MAX_TERM_LENGTH))
        .filter((t) => t.length > 0),
    ),
  ];
  return terms.filter((t) => !terms.some((other) => other !== t && other.startsWith(t)));
}

/** The search form of `?q=`: folded as the terms are, and no longer than they are. */
export const searchQueryOf = (q: string): string => foldSearchText(q).slice(0, MAX_TERM_LENGTH);

/**
 * A member matching `q` by several terms has one index entry per term; the page keeps the one
 * in the member's first matching slot, so each member is listed once.
 */
export function isFirstMatch(terms: readonly string[], slot: number, q: string): boolean {
  return terms.findIndex((t) => t.startsWith(q)) === slot;
}
