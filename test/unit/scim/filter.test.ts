import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../shared/scim/filter.js';
import { ScimBadRequestError } from '../../../shared/scim/scim-errors.js';

const USERS = ['userName', 'externalId', 'id', 'emails.work'] as const;

function expectInvalidFilter(filter: string) {
  try {
    parseFilter(filter, USERS);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimBadRequestError);
    expect((error as ScimBadRequestError).scimType).toBe('invalidFilter');
    return;
  }
  throw new Error(`"${filter}" was accepted`);
}

describe('SCIM filter parser', () => {
  it('reads one eq comparison, attribute names case-insensitively, values exactly', () => {
    expect(parseFilter('userName eq "Ann@Example.com"', USERS)).toEqual([
      { attribute: 'userName', value: 'Ann@Example.com' },
    ]);
    expect(parseFilter('USERNAME EQ "a@b.c"', USERS)).toEqual([{ attribute: 'userName', value: 'a@b.c' }]);
    expect(parseFilter('externalId eq "00u1abc"', USERS)).toEqual([{ attribute: 'externalId', value: '00u1abc' }]);
    expect(parseFilter('id eq "7a4e9c12-3d5b-4f8a-b6e1-2c9d0f4a8b57"', USERS)).toEqual([
      { attribute: 'id', value: '7a4e9c12-3d5b-4f8a-b6e1-2c9d0f4a8b57' },
    ]);
  });

  it('reads the work email value path as emails.work', () => {
    expect(parseFilter('emails[type eq "work"].value eq "a@b.c"', USERS)).toEqual([
      { attribute: 'emails.work', value: 'a@b.c' },
    ]);
    expect(parseFilter('emails[ type eq "work" ].value eq "a@b.c"', USERS)).toEqual([
      { attribute: 'emails.work', value: 'a@b.c' },
    ]);
  });

  it('joins comparisons with and, keeping quoted text (even " and ") intact', () => {
    expect(parseFilter('userName eq "x and y" and externalId eq "e\\"1"', USERS)).toEqual([
      { attribute: 'userName', value: 'x and y' },
      { attribute: 'externalId', value: 'e"1' },
    ]);
  });

  it.each([
    ['empty', ''],
    ['or', 'userName eq "a" or userName eq "b"'],
    ['another operator', 'userName sw "a"'],
    ['an attribute not served by a key', 'displayName eq "a"'],
    ['grouping', '(userName eq "a")'],
    ['not', 'not (userName eq "a")'],
    ['an unquoted value', 'userName eq a'],
    ['an unterminated string', 'userName eq "a'],
    ['a dangling and', 'userName eq "a" and'],
    ['another email type', 'emails[type eq "home"].value eq "a@b.c"'],
    ['trailing text', 'userName eq "a" garbage'],
    ['presence', 'userName pr'],
  ])('refuses %s with invalidFilter', (_name, filter) => expectInvalidFilter(filter));

  it('refuses the work email path where the resource has no emails (Groups)', () => {
    expect(() => parseFilter('emails[type eq "work"].value eq "a@b.c"', ['displayName'])).toThrow(ScimBadRequestError);
    expect(parseFilter('displayName eq "Engineering"', ['displayName'])).toEqual([
      { attribute: 'displayName', value: 'Engineering' },
    ]);
  });
});
