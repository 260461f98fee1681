/**
 * Roles are data: a role names what its holders may do, and every check asks for a permission,
 * never a role name. Two roles are built in; each org defines more (stored on its org item, see
 * shared/roles/role-repository.ts), so the authorizer learns them in the read it already does.
 */

/** Roster's own permissions: what routes ask for (DESIGN.md section 2, README "Roles and permissions"). */
export const PERMISSIONS = [
  'org:manage',
  'members:read',
  'members:manage',
  'invitations:manage',
  'credentials:manage',
  'teams:manage',
  'audit:read',
  'scim:manage',
  'api-keys:manage',
  'sso:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** An app's own permission, `app:<name>`: stored and reported (GET /v1/me), never checked by Roster. */
export type AppPermission = `app:${string}`;
export const APP_PERMISSION_PATTERN = /^app:[a-z0-9][a-z0-9._:-]{0,62}$/;
export type RolePermission = Permission | AppPermission;

export function isRolePermission(value: string): value is RolePermission {
  return (PERMISSIONS as readonly string[]).includes(value) || APP_PERMISSION_PATTERN.test(value);
}

/** A role's key as stored on memberships: a built-in's or a custom role's. */
export type Role = string;

/** The role whose holders hold everything, and the one that holds nothing. */
export const ADMIN_ROLE = 'org_admin' as const;
export const MEMBER_ROLE = 'member' as const;

/** A role an org defined (stored on the org item under `customRoles`, by key). */
export interface CustomRole {
  name: string;
  description?: string;
  permissions: RolePermission[];
}
export type CustomRoles = Readonly<Record<string, CustomRole>>;

/** A role as the API shows it. */
export interface RoleDefinition {
  key: string;
  name: string;
  description: string | null;
  permissions: readonly RolePermission[];
  builtIn: boolean;
}

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    key: ADMIN_ROLE,
    name: 'Admin',
    description: 'Every permission: members, teams, invitations, settings, SSO/SCIM, API keys and audit',
    permissions: PERMISSIONS,
    builtIn: true,
  },
  { key: MEMBER_ROLE, name: 'Member', description: 'Uses the organization', permissions: [], builtIn: true },
];

/** The built-in roles' keys, which no custom role may take. */
export const BUILT_IN_ROLE_KEYS = [ADMIN_ROLE, MEMBER_ROLE] as const;
export const isBuiltInRole = (key: string): boolean => (BUILT_IN_ROLE_KEYS as readonly string[]).includes(key);

/** Most custom roles one org may define: they live on the org item, which the authorizer reads on every request. */
export const MAX_CUSTOM_ROLES = 25;
/** Most permissions one custom role may list (Roster's ten and the app's own). */
export const MAX_ROLE_PERMISSIONS = 40;
export const ROLE_KEY_PATTERN = /^[a-z][a-z0-9_-]{1,39}$/;

/** One role of an org (built-in or custom), or undefined when the org has no such role. */
export function roleDefinition(customRoles: CustomRoles | undefined, key: string): RoleDefinition | undefined {
  const builtIn = BUILT_IN_ROLES.find((r) => r.key === key);
  if (builtIn) return builtIn;
  // Own keys only: a role named like an Object.prototype member ("toString") is unknown, not a crash.
  if (!customRoles || !Object.hasOwn(customRoles, key)) return undefined;
  const custom = customRoles[key];
  if (!custom) return undefined;
  return {
    key,
    name: custom.name,
    description: custom.description ?? null,
    permissions: custom.permissions,
    builtIn: false,
  };
}

/** Every role of an org: the built-ins first, then the org's own by key. */
export function rolesOf(customRoles: CustomRoles | undefined): RoleDefinition[] {
  const custom = Object.keys(customRoles ?? {})
    .sort()
    .map((key) => roleDefinition(customRoles, key))
    .filter((r): r is RoleDefinition => r !== undefined);
  return [...BUILT_IN_ROLES, ...custom];
}

/** Whether `role` holds `permission` in an org with these custom roles; an unknown role holds nothing. */
export function roleGrants(customRoles: CustomRoles | undefined, role: string, permission: RolePermission): boolean {
  if (role === ADMIN_ROLE)
    return (PERMISSIONS as readonly string[]).includes(permission) || permission.startsWith('app:');
  return roleDefinition(customRoles, role)?.permissions.includes(permission) ?? false;
}

/** Whether a role's holders count as the org's admins (last-admin protection). */
export function roleManagesOrg(customRoles: CustomRoles | undefined, role: string): boolean {
  return roleGrants(customRoles, role, 'org:manage');
}

/**
 * Whether a holder of `actorRole` may give `role` (or take it away): org admins may give any role,
 * anyone else only a role whose every permission they hold themselves (no escalation).
 */
export function mayGrantRole(customRoles: CustomRoles | undefined, actorRole: string, role: string): boolean {
  if (actorRole === ADMIN_ROLE) return true;
  const target = roleDefinition(customRoles, role);
  return target !== undefined && target.permissions.every((p) => roleGrants(customRoles, actorRole, p));
}

/** The Cognito group whose members operate the platform (create orgs, change seat caps). */
export const PLATFORM_ADMIN_GROUP = 'platform_admin';
