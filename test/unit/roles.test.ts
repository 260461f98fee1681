import { describe, expect, it } from 'vitest';
import {
  PERMISSIONS,
  isRolePermission,
  mayGrantRole,
  roleDefinition,
  roleGrants,
  roleManagesOrg,
  rolesOf,
  type CustomRoles,
} from '../../shared/roles.js';

const custom: CustomRoles = {
  author: { name: 'Author', permissions: ['app:publish'] },
  member_manager: { name: 'Member manager', permissions: ['members:read', 'members:manage', 'invitations:manage'] },
  co_owner: { name: 'Co-owner', permissions: ['org:manage', 'members:read'] },
};

describe('roleGrants', () => {
  it.each(PERMISSIONS.map((p) => [p]))('an org_admin holds %s', (permission) => {
    expect(roleGrants(undefined, 'org_admin', permission)).toBe(true);
  });
  it.each(PERMISSIONS.map((p) => [p]))('a member does not hold %s', (permission) => {
    expect(roleGrants(custom, 'member', permission)).toBe(false);
  });
  it.each([['owner'], [''], ['ORG_ADMIN'], ['__proto__'], ['toString'], ['hasOwnProperty']])(
    'an unknown role (%j) holds nothing',
    (role) => {
      for (const permission of PERMISSIONS) expect(roleGrants(custom, role, permission)).toBe(false);
    },
  );
  it('a custom role holds exactly its permissions, app permissions included', () => {
    expect(PERMISSIONS.filter((p) => roleGrants(custom, 'member_manager', p))).toEqual([
      'members:read',
      'members:manage',
      'invitations:manage',
    ]);
    expect(roleGrants(custom, 'author', 'app:publish')).toBe(true);
    expect(PERMISSIONS.some((p) => roleGrants(custom, 'author', p))).toBe(false);
  });
  it('counts org:manage holders as admins, built-in or custom', () => {
    expect(roleManagesOrg(custom, 'org_admin')).toBe(true);
    expect(roleManagesOrg(custom, 'co_owner')).toBe(true);
    expect(roleManagesOrg(custom, 'member_manager')).toBe(false);
  });
});

describe('mayGrantRole', () => {
  it('lets an org admin give any role', () => {
    for (const role of rolesOf(custom)) expect(mayGrantRole(custom, 'org_admin', role.key)).toBe(true);
  });
  it('lets a member manager give only roles whose permissions they hold', () => {
    expect(mayGrantRole(custom, 'member_manager', 'member')).toBe(true);
    expect(mayGrantRole(custom, 'member_manager', 'member_manager')).toBe(true);
    expect(mayGrantRole(custom, 'member_manager', 'org_admin')).toBe(false);
    expect(mayGrantRole(custom, 'member_manager', 'author')).toBe(false);
    expect(mayGrantRole(custom, 'member_manager', 'co_owner')).toBe(false);
    expect(mayGrantRole(custom, 'member_manager', 'no_such_role')).toBe(false);
  });
});

describe('role catalogue', () => {
  it('lists the built-ins first, then the org roles by key', () => {
    expect(rolesOf(custom).map((r) => r.key)).toEqual(['org_admin', 'member', 'author', 'co_owner', 'member_manager']);
    expect(roleDefinition(custom, 'org_admin')?.permissions).toEqual(PERMISSIONS);
  });
  it.each([
    ['app:publish', true],
    ['app:x.y-z', true],
    ['members:read', true],
    ['app:', false],
    ['members:write', false],
    ['APP:x', false],
  ])('%j is a permission: %j', (value, ok) => {
    expect(isRolePermission(value)).toBe(ok);
  });
});
