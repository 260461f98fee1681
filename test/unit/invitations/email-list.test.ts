import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors.js';
import { parseEmailList } from '../../../shared/invitations/email-list.js';

describe('parseEmailList', () => {
  it('splits a pasted list on commas, semicolons and line breaks, trimming and lower-casing', () => {
    expect(parseEmailList(' Ann@Acme.test, bob@acme.test;carl@acme.test\r\ndora@acme.test\n')).toEqual({
      valid: ['ann@acme.test', 'bob@acme.test', 'carl@acme.test', 'dora@acme.test'],
      invalid: [],
    });
  });

  it('keeps each address once, whatever its case', () => {
    expect(parseEmailList(['ann@acme.test', ' ANN@acme.test ', 'bob@acme.test']).valid).toEqual([
      'ann@acme.test',
      'bob@acme.test',
    ]);
  });

  it('reports entries that are not addresses without failing the others', () => {
    expect(parseEmailList('ann@acme.test, not-an-email, , @acme.test')).toEqual({
      valid: ['ann@acme.test'],
      invalid: ['not-an-email', '@acme.test'],
    });
  });

  it('takes array entries whole (a comma inside one is not a separator)', () => {
    expect(parseEmailList(['a@acme.test,b@acme.test'])).toEqual({ valid: [], invalid: ['a@acme.test,b@acme.test'] });
  });

  it('refuses an empty list and more than 100 addresses after splitting, naming the field', () => {
    expect(() => parseEmailList(' ,; ')).toThrow(ValidationError);
    const many = Array.from({ length: 101 }, (_, i) => `p${i}@acme.test`).join(',');
    try {
      parseEmailList(many);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).errors[0]?.field).toBe('emails');
    }
    expect(parseEmailList(many.split(',').slice(0, 100).join('\n')).valid).toHaveLength(100);
  });
});
