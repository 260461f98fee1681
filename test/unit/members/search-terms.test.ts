import { describe, expect, it } from 'vitest';
import {
  foldSearchText,
  isFirstMatch,
  MAX_SEARCH_TERMS,
  searchQueryOf,
  searchTermsOf,
} from '../../../shared/members/search-terms.js';

describe('member search terms', () => {
  it('folds case and accents (NFKD); any run of other than letters, digits and @ is one space', () => {
    expect(foldSearchText('  Zoë   ÅNGSTRÖM\tﬁne ')).toBe('zoe angstrom fine');
    expect(foldSearchText('Amy.Smith+x@Ex-ample.test')).toBe('amy smith x@ex ample test');
    expect(foldSearchText("O'Brien")).toBe('o brien');
  });

  it('indexes the name from each word on, and the email', () => {
    expect(searchTermsOf('Grace Hopper', 'gh@navy.test')).toEqual(['grace hopper', 'hopper', 'gh@navy test']);
    expect(searchTermsOf("Mary-Jane O'Brien", 'mj@x.test')).toEqual([
      'mary jane o brien',
      'jane o brien',
      'brien',
      'mj@x test',
    ]);
  });

  it('drops a term that starts another, so first.last@ is one entry with the name', () => {
    expect(searchTermsOf('Grace Hopper', 'Grace.Hopper@Navy.test')).toEqual(['hopper', 'grace hopper@navy test']);
    expect(searchTermsOf('amy', 'AMY')).toEqual(['amy']);
  });

  it('keeps at most the first two words and the last, so a member has a bounded number of entries', () => {
    const terms = searchTermsOf('Ana Maria de la Cruz Fernández', 'ana@x.test');
    expect(terms).toEqual(['ana maria de la cruz fernandez', 'maria de la cruz fernandez', 'fernandez', 'ana@x test']);
    expect(terms.length).toBeLessThanOrEqual(MAX_SEARCH_TERMS);
  });

  it('lists a member once: only the first slot matching the query keeps its entry', () => {
    const terms = searchTermsOf('Amy Amsel', 'amy.a@x.test');
    expect(terms).toEqual(['amy amsel', 'amsel', 'amy a@x test']);
    expect(terms.map((_, slot) => isFirstMatch(terms, slot, searchQueryOf('Amy')))).toEqual([true, false, false]);
    expect(terms.map((_, slot) => isFirstMatch(terms, slot, searchQueryOf('amy.')))).toEqual([true, false, false]);
    expect(terms.map((_, slot) => isFirstMatch(terms, slot, searchQueryOf('amy.a@')))).toEqual([false, false, true]);
    expect(terms.map((_, slot) => isFirstMatch(terms, slot, searchQueryOf('amsel')))).toEqual([false, true, false]);
  });
});
