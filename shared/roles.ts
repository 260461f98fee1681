/**
 * Roles are data: a role names what its holders may do. Custom roles later add rows here
 * (or in the table) without touching the checks, which ask for a permission, not a role name.
 */
export const PERMISSIONS = ['org:manage', 'members:manage', 'audit:read'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_DEFINITIONS = {
  org_admin: {
    description: 'Manages members, teams, invitations, settings, SSO/SCIM and audit',
    permissions: PERMISSIONS,
  },
  member: { description: 'Uses the organization', permissions: [] },
} as const satisfies Record<string, { description: string; permissions: readonly Permission[] }>;

export type Role = keyof typeof ROLE_DEFINITIONS;
export const ROLES = Object.keys(ROLE_DEFINITIONS) as [Role, ...Role[]];

/** The role whose active holders an org may never run out of. */
export const ADMIN_ROLE: Role = 'org_admin';

export function roleGrants(role: string, permission: Permission): boolean {
  // Own keys only: a role named like an Object.prototype member ("toString") is unknown, not a crash.
  if (!Object.hasOwn(ROLE_DEFINITIONS, role)) return false;
  const definition = (ROLE_DEFINITIONS as Record<string, { permissions: readonly Permission[] }>)[role];
  return definition?.permissions.includes(permission) ?? false;
}

/** The Cognito group whose members operate the platform (create orgs, change seat caps). */
export const PLATFORM_ADMIN_GROUP = 'platform_admin';
