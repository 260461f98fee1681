import { describe, expect, it } from 'vitest';
import {
  membershipIndexKeys,
  scimUserProfileIndexKeys,
  USER_MEMBERSHIP_SORT_PREFIX,
} from '../../../shared/data/keys.js';

describe('the SCIM profile’s entry in its user’s GSI1 partition', () => {
  it('sits beside the memberships (one Query reads both) but outside their ORG# prefix (/me lists memberships only)', () => {
    const membership = membershipIndexKeys({
      orgId: 'o',
      userId: 'u',
      name: 'N',
      email: 'n@x.test',
      status: 'active',
      role: 'member',
      teamId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      lastLoginAt: null,
      lastActiveAt: null,
    });
    const profile = scimUserProfileIndexKeys('o', 'u');
    expect(profile).toEqual({ GSI1PK: 'USER#u', GSI1SK: 'SCIM#ORG#o' });
    expect(profile.GSI1PK).toBe(membership.GSI1PK);
    expect(membership.GSI1SK?.startsWith(USER_MEMBERSHIP_SORT_PREFIX)).toBe(true);
    expect(profile.GSI1SK?.startsWith(USER_MEMBERSHIP_SORT_PREFIX)).toBe(false);
  });
});
