import * as z from 'zod/mini';
import {
  APP_PERMISSION_PATTERN,
  BUILT_IN_ROLE_KEYS,
  MAX_ROLE_PERMISSIONS,
  PERMISSIONS,
  isRolePermission,
} from '../roles.js';
import { nameText, resourceId, roleKey, trimmedString } from '../schemas.js';

export const rolePathParams = z.object({ orgId: resourceId, key: roleKey });

/** One permission: Roster's own (the catalogue) or the app's own, `app:<name>`. */
const permission = z
  .string()
  .check(
    z.refine(
      isRolePermission,
      `must be one of ${PERMISSIONS.join(', ')} or app:<name> (${APP_PERMISSION_PATTERN.source})`,
    ),
    z.describe(
      `Roster's own (${PERMISSIONS.join(', ')}), checked by Roster; or the app's own, app:<name>, stored and reported only.`,
    ),
  );

const permissions = z.array(permission).check(
  z.maxLength(MAX_ROLE_PERMISSIONS),
  z.refine((list) => new Set(list).size === list.length, 'each permission may be listed once'),
);

/** PUT is a full replace: a missing description clears it. */
export const updateRoleBody = z.strictObject({
  name: nameText(100),
  description: z.optional(trimmedString(1, 500)),
  permissions,
});
export type UpdateRoleInput = z.infer<typeof updateRoleBody>;

export const createRoleBody = z.strictObject({
  key: roleKey.check(
    z.refine((key) => !(BUILT_IN_ROLE_KEYS as readonly string[]).includes(key), 'is the key of a built-in role'),
  ),
  ...updateRoleBody.shape,
});
export type CreateRoleInput = z.infer<typeof createRoleBody>;

export const roleResponse = z.object({
  key: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  permissions: z.array(z.string()),
  builtIn: z.boolean(),
  /** Memberships holding a custom role (any status); null for the built-ins, which are not counted. */
  holders: z.nullable(z.int()),
});

export const roleList = z.object({
  items: z.array(roleResponse),
  /** Roster's permission catalogue, for a role editor. */
  permissions: z.array(z.enum(PERMISSIONS)),
});
