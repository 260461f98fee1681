import { describe, expect, it } from 'vitest';
import { BULK_ROLE_LIMIT as CONSOLE_LIMIT } from '../../../console/src/features/members/api/bulk-role-limit.js';
import { BULK_ROLE_LIMIT } from '../../../shared/members/schemas.js';

describe('console bulk role limit', () => {
  it("is the API's: the members page says and enforces the limit the API validates", () => {
    expect(CONSOLE_LIMIT).toBe(BULK_ROLE_LIMIT);
  });
});
