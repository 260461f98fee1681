import { describe, expect, it } from 'vitest';
import { derivedId, newId } from '../../shared/ids.js';

describe('derivedId', () => {
  it('is the same UUID (version 8, RFC 9562 variant) every time for the same parts', () => {
    const id = derivedId('import', 'job-1', '7');
    expect(id).toBe(derivedId('import', 'job-1', '7'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs when any part differs, including where one part ends and the next begins', () => {
    const ids = [
      derivedId('import', 'job-1', '7'),
      derivedId('import', 'job-1', '8'),
      derivedId('import', 'job-2', '7'),
      derivedId('import', 'job-17'),
      derivedId('importjob-1', '7'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(newId());
  });
});
