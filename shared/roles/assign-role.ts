import { ForbiddenError, ValidationError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import {
  mayGrantRole,
  roleDefinition,
  roleManagesOrg,
  rolesOf,
  type CustomRoles,
  type RoleDefinition,
} from '../roles.js';

/**
 * The role a request gives, checked against the org's roles: an unknown key is a 400 naming the
 * field; a role holding a permission the actor lacks is refused (no escalation). Platform
 * operators and system actors (SCIM, SSO, accepted invitations) have no membership here.
 */
export function assignableRole(
  customRoles: CustomRoles | undefined,
  actor: Pick<Membership, 'role'> | undefined,
  key: string,
  field = 'role',
): RoleDefinition {
  const role = roleDefinition(customRoles, key);
  if (!role) {
    const known = rolesOf(customRoles).map((r) => r.key);
    throw new ValidationError([{ field, message: `is not a role of this organization (${known.join(', ')})` }]);
  }
  if (actor && !mayGrantRole(customRoles, actor.role, key))
    throw new ForbiddenError(
      `You cannot give the role ${key}: it holds permissions your role lacks`,
      'role_escalation',
    );
  return role;
}

/**
 * A member's role changes from `target.role` to `next`: besides giving `next`, the actor must hold
 * everything the current role holds (a member manager does not demote an admin), and only a holder
 * of `org:manage` changes their own role (last-admin protection then keeps one).
 */
export function assertMayChangeRole(
  customRoles: CustomRoles | undefined,
  actor: Pick<Membership, 'role' | 'userId'> | undefined,
  target: Pick<Membership, 'role' | 'userId'>,
  next: string,
  field = 'role',
): RoleDefinition {
  // An unchanged role is no grant: editing a member's name keeps whatever role they hold.
  if (target.role === next) return assignableRole(customRoles, undefined, next, field);
  const role = assignableRole(customRoles, actor, next, field);
  if (!actor) return role;
  if (actor.userId === target.userId && !roleManagesOrg(customRoles, actor.role))
    throw new ForbiddenError('You cannot change your own role', 'own_role_change');
  if (!mayGrantRole(customRoles, actor.role, target.role))
    throw new ForbiddenError(
      `You cannot change the role of a ${target.role}: it holds permissions your role lacks`,
      'role_escalation',
    );
  return role;
}
