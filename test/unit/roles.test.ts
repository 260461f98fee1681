import { describe, expect, it } from 'vitest';
import { PERMISSIONS, roleGrants } from '../../shared/roles.js';

describe('roleGrants', () => {
  it.each(PERMISSIONS.map((p) => [p]))('an org_admin holds %s', (permission) => {
    expect(roleGrants('org_admin', permission)).toBe(true);
  });
  it.each(PERMISSIONS.map((p) => [p]))('a member does not hold %s', (permission) => {
    expect(roleGrants('member', permission)).toBe(false);
  });
  it.each([['owner'], [''], ['ORG_ADMIN'], ['__proto__'], ['toString']])(
    'an unknown role (%j) holds nothing',
    (role) => {
      for (const permission of PERMISSIONS) expect(roleGrants(role, permission)).toBe(false);
    },
  );
});
