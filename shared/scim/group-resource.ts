import type { Team } from '../teams/team.js';
import { oneLine } from '../schemas.js';
import { GROUP_SCHEMA } from './discovery.js';
import { ScimBadRequestError } from './scim-errors.js';
import type { PatchOperation } from './patch-operations.js';
import { requireSchema } from './scim-values.js';

/** What a Group request asks for: a name, and (when given) the exact member set. */
export interface GroupState {
  displayName: string;
  /** User ids; undefined when the request leaves members as they are. */
  members: string[] | undefined;
}

/** Most member ids one request may name; each is its own member update. */
export const MAX_GROUP_MEMBER_CHANGES = 200;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The user ids of a `members` value: `[{value: id}, …]` (a single object is read as a list of one). */
export function memberIdsOf(value: unknown, path = 'members'): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const ids = list.map((entry, i) => {
    const id = isRecord(entry) ? entry.value : undefined;
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(id))
      throw new ScimBadRequestError('invalidValue', `${path}[${i}].value must be a user id`);
    return id;
  });
  if (ids.length > MAX_GROUP_MEMBER_CHANGES)
    throw new ScimBadRequestError('tooMany', `At most ${MAX_GROUP_MEMBER_CHANGES} members per request`);
  return [...new Set(ids)];
}

function displayNameOf(value: unknown): string {
  const name = typeof value === 'string' ? oneLine(value) : '';
  if (name === '') throw new ScimBadRequestError('invalidValue', 'displayName is required');
  return name;
}

/** A full Group resource (POST, PUT). */
export function groupStateFromResource(body: Record<string, unknown>): GroupState {
  requireSchema(body, GROUP_SCHEMA);
  return {
    displayName: displayNameOf(body.displayName),
    members: body.members === undefined ? undefined : memberIdsOf(body.members),
  };
}

/** What a Group PATCH changes: a new name, members to add, members to remove, or the whole set. */
export interface GroupPatch {
  displayName?: string;
  add: string[];
  remove: string[];
  /** Remove every current member first (`remove members` without a filter, `replace members`). */
  removeAll: boolean;
}

const MEMBER_FILTER_PATH = /^members\s*\[\s*value\s+eq\s+"([A-Za-z0-9-]{1,128})"\s*\]$/i;

/**
 * Group PATCH operations as one change: `displayName` (with a path, or in a path-less value),
 * `members` add/remove/replace, and Okta's and Entra's `members[value eq "id"]` removals.
 */
export function groupPatchOf(operations: PatchOperation[]): GroupPatch {
  const patch: GroupPatch = { add: [], remove: [], removeAll: false };
  for (const operation of operations) {
    const path = operation.path?.replace(/^urn:ietf:params:scim:schemas:core:2\.0:Group:/i, '') ?? '';
    const filtered = MEMBER_FILTER_PATH.exec(path);
    if (filtered?.[1]) {
      if (operation.op !== 'remove')
        throw new ScimBadRequestError('invalidPath', 'members[value eq "…"] may only be removed');
      patch.remove.push(filtered[1]);
    } else if (path === '') {
      if (operation.op === 'remove' || !isRecord(operation.value))
        throw new ScimBadRequestError('invalidValue', 'An operation without a path needs an object value');
      for (const [key, value] of Object.entries(operation.value)) {
        if (key.toLowerCase() === 'displayname') patch.displayName = displayNameOf(value);
        else if (key.toLowerCase() === 'members') {
          if (operation.op === 'replace') patch.removeAll = true;
          patch.add.push(...memberIdsOf(value));
        }
      }
    } else if (path.toLowerCase() === 'displayname') {
      if (operation.op === 'remove') throw new ScimBadRequestError('mutability', 'displayName cannot be removed');
      patch.displayName = displayNameOf(operation.value);
    } else if (path.toLowerCase() === 'members') {
      if (operation.op === 'remove') {
        if (operation.value === undefined) patch.removeAll = true;
        else patch.remove.push(...memberIdsOf(operation.value));
      } else {
        if (operation.op === 'replace') patch.removeAll = true;
        patch.add.push(...memberIdsOf(operation.value));
      }
    } else {
      throw new ScimBadRequestError('invalidPath', `Unknown or unsupported attribute path: ${operation.path}`);
    }
  }
  if (patch.add.length + patch.remove.length > MAX_GROUP_MEMBER_CHANGES)
    throw new ScimBadRequestError('tooMany', `At most ${MAX_GROUP_MEMBER_CHANGES} member changes per request`);
  return patch;
}

/** The SCIM Group resource of a team; members only when they were read. */
export function groupResource(team: Team, members: { userId: string; name: string }[] | undefined, baseUrl: string) {
  return {
    schemas: [GROUP_SCHEMA],
    id: team.teamId,
    displayName: team.name,
    ...(members
      ? { members: members.map((m) => ({ value: m.userId, display: m.name, $ref: `${baseUrl}/Users/${m.userId}` })) }
      : {}),
    meta: {
      resourceType: 'Group',
      created: team.createdAt,
      lastModified: team.updatedAt,
      location: `${baseUrl}/Groups/${team.teamId}`,
      version: `W/"${team.version}"`,
    },
  };
}
