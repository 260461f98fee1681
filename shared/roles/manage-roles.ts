import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite } from '../data/transactions.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import type { Org } from '../orgs/org.js';
import {
  MAX_CUSTOM_ROLES,
  PERMISSIONS,
  isBuiltInRole,
  roleDefinition,
  roleGrants,
  roleManagesOrg,
  rolesOf,
  type CustomRole,
  type RoleDefinition,
  type RolePermission,
} from '../roles.js';
import { customRolesWriteStep, roleInUse } from './role-repository.js';
import { connectionUnchangedStep, queryConnections } from '../sso/connection-repository.js';
import { ssoMappingRoles, type SsoConnection } from '../sso/connection.js';
import type { CreateRoleInput, UpdateRoleInput } from './schemas.js';

/** A role as the API shows it, with its holder count (custom roles only). */
export function roleView(org: Pick<Org, 'roleHolders'>, role: RoleDefinition) {
  return {
    key: role.key,
    name: role.name,
    description: role.description,
    permissions: [...role.permissions],
    builtIn: role.builtIn,
    holders: role.builtIn ? null : (org.roleHolders[role.key] ?? 0),
  };
}

/** The org's roles (read with the org by the authorizer: no read of its own). */
export function listRoles(org: Org) {
  return { items: rolesOf(org.customRoles).map((r) => roleView(org, r)), permissions: [...PERMISSIONS] };
}

/** Defines a custom role; at most MAX_CUSTOM_ROLES per org, none holding a permission the actor lacks. */
export async function createRole(
  db: Database,
  org: Org,
  input: CreateRoleInput,
  actor: Membership | undefined,
  audit: AuditContext,
) {
  if (roleDefinition(org.customRoles, input.key))
    throw new ConflictError(`The org already has a role ${input.key}`, 'role_exists');
  if (Object.keys(org.customRoles).length >= MAX_CUSTOM_ROLES)
    throw new ConflictError(`An organization may define ${MAX_CUSTOM_ROLES} roles`, 'role_limit_reached');
  assertActorHolds(org, actor, input.permissions);
  const role = customRole(input);
  await transactWrite(db, [
    customRolesWriteStep(db, org.orgId, { ...org.customRoles, [input.key]: role }, org.rolesVersion),
    auditStep(
      db,
      { orgId: org.orgId, action: 'role.created', target: { type: 'role', id: input.key }, after: { ...role } },
      audit,
    ),
  ]);
  return roleView(org, { key: input.key, ...role, description: role.description ?? null, builtIn: false });
}

/**
 * Replaces a custom role's name, description and permissions. Gaining or losing `org:manage`
 * is refused while anyone holds the role (409 role_in_use): the admin count and each holder's
 * admin mark stay exact without rewriting the holders.
 */
export async function updateRole(
  db: Database,
  org: Org,
  key: string,
  input: UpdateRoleInput,
  actor: Membership | undefined,
  audit: AuditContext,
) {
  const current = customRoleOf(org, key);
  assertActorHolds(org, actor, input.permissions);
  const next = customRole(input);
  const changes = diffFields(auditedRole(current), auditedRole(next));
  const view = roleView(org, { key, ...next, description: next.description ?? null, builtIn: false });
  if (Object.keys(changes.after).length === 0) return view;
  const movesOrgManage = roleManagesOrg(org.customRoles, key) !== next.permissions.includes('org:manage');
  if (movesOrgManage && (org.roleHolders[key] ?? 0) > 0) throw roleInUse(key);
  await transactWrite(db, [
    customRolesWriteStep(
      db,
      org.orgId,
      { ...org.customRoles, [key]: next },
      org.rolesVersion,
      movesOrgManage ? { key, unheld: true } : undefined,
    ),
    auditStep(db, { orgId: org.orgId, action: 'role.updated', target: { type: 'role', id: key }, ...changes }, audit),
  ]);
  return view;
}

/**
 * Deletes a custom role nobody holds (409 role_in_use otherwise, decided by the holder count in
 * the same write) and no mapping gives: the org's SCIM group mapping and its SSO connections'
 * role mappings. Those are read first, so the write is conditioned on them being as read (the
 * org's settings by `updatedAt`, each connection by its version): a mapping saved meanwhile makes
 * the delete a 409 to retry, never a mapping to a role that is gone.
 */
export async function deleteRole(db: Database, org: Org, key: string, audit: AuditContext): Promise<void> {
  const current = customRoleOf(org, key);
  if ((org.roleHolders[key] ?? 0) > 0) throw roleInUse(key);
  const scimMapped = org.settings.scim.groupRoles.some((row) => row.role === key);
  if (scimMapped) throw new ConflictError(`The SCIM group mapping gives the role ${key}`, 'role_in_use');
  const connections = await allConnections(db, org.orgId);
  const ssoMapped = connections.find((c) => ssoMappingRoles(c).includes(key));
  if (ssoMapped) throw new ConflictError(`The SSO connection ${ssoMapped.name} gives the role ${key}`, 'role_in_use');
  const next = Object.fromEntries(Object.entries(org.customRoles).filter(([k]) => k !== key));
  await transactWrite(db, [
    customRolesWriteStep(db, org.orgId, next, org.rolesVersion, { key, unheld: true, settingsAt: org.updatedAt }),
    ...connections.map((c) => connectionUnchangedStep(db, c)),
    auditStep(
      db,
      { orgId: org.orgId, action: 'role.deleted', target: { type: 'role', id: key }, before: auditedRole(current) },
      audit,
    ),
  ]);
}

/** Every SSO connection of the org (an org has few). */
async function allConnections(db: Database, orgId: string): Promise<SsoConnection[]> {
  const out: SsoConnection[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryConnections(db, orgId, 100, cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

function customRoleOf(org: Org, key: string): CustomRole {
  if (isBuiltInRole(key)) throw new ConflictError(`The built-in role ${key} cannot be changed`, 'role_built_in');
  const role = Object.hasOwn(org.customRoles, key) ? org.customRoles[key] : undefined;
  if (!role) throw new NotFoundError(`No role ${key} in this organization`, 'role_not_found');
  return role;
}

function customRole(input: UpdateRoleInput): CustomRole {
  return {
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    permissions: [...input.permissions] as RolePermission[],
  };
}

const auditedRole = (role: CustomRole) => ({
  name: role.name,
  description: role.description ?? null,
  permissions: [...role.permissions].sort().join(' '),
});

/** Nobody defines a role holding a permission they lack (platform operators act without a membership). */
function assertActorHolds(org: Org, actor: Membership | undefined, permissions: readonly string[]): void {
  if (!actor) return;
  const lacking = permissions.filter((p) => !roleGrants(org.customRoles, actor.role, p as RolePermission));
  if (lacking.length > 0)
    throw new ForbiddenError(`Your role does not hold ${lacking.join(', ')}`, 'permission_not_held');
}
