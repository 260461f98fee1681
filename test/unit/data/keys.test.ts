import { describe, expect, it } from 'vitest';
import { membershipIndexKeys, normalizeEmail } from '../../../shared/data/keys.js';

const base = {
  orgId: 'o',
  userId: 'u',
  name: ' Zoë Smith ',
  email: 'Z@X.test',
  status: 'active',
  role: 'member',
  teamId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: null,
  lastActiveAt: null,
};

describe('keys', () => {
  it('normalizes emails by trimming and lower-casing', () => {
    expect(normalizeEmail('  Ann@Acme.TEST ')).toBe('ann@acme.test');
  });

  it('builds case-insensitive, unique member sort keys and leaves the team index out without a team', () => {
    const keys = membershipIndexKeys(base);
    expect(keys.GSI2SK).toBe('n#zoë smith#u');
    expect(keys.GSI3SK).toBe('e#z@x.test#u');
    expect(keys.GSI5SK).toBe('l#0#u');
    expect(keys.GSI8PK).toBeUndefined();
    expect(membershipIndexKeys({ ...base, teamId: 't' }).GSI8PK).toBe('ORG#o#M#team#t');
  });
});
