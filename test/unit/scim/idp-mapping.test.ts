import { describe, expect, it } from 'vitest';
import { statusForIdp } from '../../../shared/scim/idp-member-steps.js';
import { mappedRole } from '../../../shared/scim/scim-groups.js';

describe('mappedRole', () => {
  const rows = [{ group: 'Roster Admins', role: 'org_admin' as const }];
  it('matches group names as team names are compared: trimmed, case-insensitive', () => {
    expect(mappedRole(rows, 'roster admins ')).toBe('org_admin');
    expect(mappedRole(rows, 'Roster Admin')).toBeUndefined();
    expect(mappedRole(rows, undefined)).toBeUndefined();
    expect(mappedRole([], 'Roster Admins')).toBeUndefined();
  });
});

describe('statusForIdp', () => {
  it('deprovisions active members, reactivates deprovisioned ones, and leaves an admin suspension alone', () => {
    expect(statusForIdp('active', false)).toBe('deprovisioned');
    expect(statusForIdp('deprovisioned', true)).toBe('active');
    expect(statusForIdp('active', true)).toBe('active');
    expect(statusForIdp('deprovisioned', false)).toBe('deprovisioned');
    expect(statusForIdp('suspended', true)).toBe('suspended');
    expect(statusForIdp('suspended', false)).toBe('suspended');
  });
});
