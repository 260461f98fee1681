import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DEFAULT_SCIM_SETTINGS, scimSettingsOf } from '../../../shared/orgs/org.js';
import { MAX_SCIM_GROUP_ROLES, updateOrgBody } from '../../../shared/orgs/schemas.js';

const parse = (body: unknown) => z.safeParse(updateOrgBody, body);

describe('org SCIM settings', () => {
  it('fills in the defaults for orgs stored before the settings existed', () => {
    expect(scimSettingsOf(undefined)).toEqual(DEFAULT_SCIM_SETTINGS);
    expect(
      scimSettingsOf({ scim: { groupRoles: [{ group: 'Admins', role: 'org_admin' }], deleteAction: 'remove' } }),
    ).toEqual({ groupRoles: [{ group: 'Admins', role: 'org_admin' }], deleteAction: 'remove' });
    expect(DEFAULT_SCIM_SETTINGS).toEqual({ groupRoles: [], deleteAction: 'deprovision' });
  });

  it('accepts a mapping to role keys (built-in or custom: checked against the org when saved), and either delete action', () => {
    expect(
      parse({
        scim: {
          groupRoles: [
            { group: ' Admins ', role: 'org_admin' },
            { group: 'Staff', role: 'member' },
            { group: 'Writers', role: 'author' },
          ],
        },
      }),
    ).toMatchObject({
      success: true,
      data: { scim: { groupRoles: [{ group: 'Admins' }, { group: 'Staff' }, { group: 'Writers' }] } },
    });
    expect(parse({ scim: { deleteAction: 'remove' } }).success).toBe(true);
    expect(parse({ scim: { groupRoles: [] } }).success).toBe(true);
  });

  it('refuses role keys that cannot be keys, unknown actions, a group mapped twice (case-insensitively), too many rows, unknown fields, an empty patch', () => {
    // Whether a key is one of the org's roles is the use case's to say (update-org.ts): here, the key's shape.
    expect(parse({ scim: { groupRoles: [{ group: 'A', role: 'Not A Role' }] } }).success).toBe(false);
    expect(parse({ scim: { deleteAction: 'purge' } }).success).toBe(false);
    expect(
      parse({
        scim: {
          groupRoles: [
            { group: 'Ops', role: 'org_admin' },
            { group: 'OPS', role: 'member' },
          ],
        },
      }).success,
    ).toBe(false);
    const rows = Array.from({ length: MAX_SCIM_GROUP_ROLES + 1 }, (_, i) => ({ group: `G${i}`, role: 'member' }));
    expect(parse({ scim: { groupRoles: rows } }).success).toBe(false);
    expect(parse({ scim: { groupRoles: [{ group: 'A', role: 'member', priority: 1 }] } }).success).toBe(false);
    expect(parse({ scim: {} }).success).toBe(false);
  });
});
