import { ScimBadRequestError } from './scim-errors.js';
import type { PatchOperation } from './patch-operations.js';
import {
  isRecord,
  managerOf,
  optionalString,
  otherEmail,
  requiredString,
  scimBoolean,
  workEmailOf,
} from './scim-values.js';
import { ENTERPRISE_USER_SCHEMA } from './urns.js';
import { ENTERPRISE_STRING_ATTRIBUTES, type ScimUserState } from './user-state.js';

type UserField = keyof ScimUserState;

/** User attribute paths PATCH understands, lower-cased, with the state field each sets. */
const USER_PATHS: Record<string, UserField> = {
  active: 'active',
  username: 'userName',
  externalid: 'externalId',
  displayname: 'displayName',
  title: 'title',
  preferredlanguage: 'preferredLanguage',
  'name.givenname': 'givenName',
  'name.familyname': 'familyName',
  'name.formatted': 'formatted',
  emails: 'workEmail',
  'emails.value': 'workEmail',
  ...Object.fromEntries(ENTERPRISE_STRING_ATTRIBUTES.map((a) => [`${ENTERPRISE_USER_SCHEMA}:${a}`.toLowerCase(), a])),
  [`${ENTERPRISE_USER_SCHEMA}:manager`.toLowerCase()]: 'manager',
  [`${ENTERPRISE_USER_SCHEMA}:manager.value`.toLowerCase()]: 'manager',
};

/**
 * The state field a PATCH path names, or undefined when Roster has no such attribute. The
 * core schema's URN may prefix a path; the enterprise URN is joined to its attribute by ':'.
 */
export function userFieldOfPath(path: string): UserField | undefined {
  const normalized = path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, '').replace(/\s+/g, ' ');
  if (/^emails\[ ?type eq "work" ?\]\.value$/i.test(normalized)) return 'workEmail';
  return USER_PATHS[normalized.toLowerCase()];
}

function setField(state: ScimUserState, field: UserField, value: unknown, path: string): ScimUserState {
  if (field === 'active') return { ...state, active: scimBoolean(value, path) };
  if (field === 'userName') return { ...state, userName: requiredString(value, path) };
  // Roster has one address: a work email written alone is kept beside the userName, never re-keys the user.
  if (field === 'workEmail')
    return {
      ...state,
      workEmail: otherEmail(
        Array.isArray(value) || isRecord(value)
          ? workEmailOf(Array.isArray(value) ? value : [value])
          : optionalString(value, path),
        state.userName,
      ),
    };
  if (field === 'manager') return { ...state, manager: managerOf(value) };
  const next = { ...state, [field]: optionalString(value, path) };
  // Changing a name part re-derives Roster's single name from the parts.
  if (field === 'givenName' || field === 'familyName') next.formatted = null;
  return next;
}

/** Keys of a path-less value object, as paths (nested `name` and the enterprise extension flattened). */
function entriesOfValue(value: Record<string, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key.toLowerCase() === 'name' && isRecord(v))
      for (const [k, inner] of Object.entries(v)) entries.push([`name.${k}`, inner]);
    else if (key.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase() && isRecord(v))
      for (const [k, inner] of Object.entries(v)) entries.push([`${ENTERPRISE_USER_SCHEMA}:${k}`, inner]);
    else entries.push([key, v]);
  }
  return entries;
}

/**
 * Applies PATCH operations to a user's state. A path must name an attribute Roster holds
 * (else 400 invalidPath); a path-less add/replace carries an object whose known attributes
 * are applied and whose others are ignored, so an IdP mapping extra attributes keeps working.
 * `remove` clears optional attributes; userName and active cannot be removed.
 */
export function applyUserPatch(current: ScimUserState, operations: PatchOperation[]): ScimUserState {
  let state = current;
  for (const operation of operations) {
    if (operation.path === undefined || operation.path === '') {
      if (operation.op === 'remove') throw new ScimBadRequestError('noTarget', 'remove needs a path');
      if (!isRecord(operation.value))
        throw new ScimBadRequestError('invalidValue', 'An operation without a path needs an object value');
      for (const [path, value] of entriesOfValue(operation.value)) {
        const field = userFieldOfPath(path);
        if (field) state = setField(state, field, value, path);
      }
      continue;
    }
    const field = userFieldOfPath(operation.path);
    if (!field)
      throw new ScimBadRequestError('invalidPath', `Unknown or unsupported attribute path: ${operation.path}`);
    if (operation.op === 'remove') {
      if (field === 'userName' || field === 'active')
        throw new ScimBadRequestError('mutability', `${operation.path} cannot be removed`);
      state = setField(state, field, null, operation.path);
    } else {
      state = setField(state, field, operation.value, operation.path);
    }
  }
  return state;
}

/**
 * Whether PATCH operations ask to deactivate the user (`active` false, with or without a path).
 * A deactivation also reads the user's other memberships, to know whether their sessions end;
 * an invalid value counts as no, and applyUserPatch then refuses it.
 */
export function patchDeactivates(operations: PatchOperation[]): boolean {
  const isFalse = (value: unknown) =>
    value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
  return operations.some((operation) => {
    if (operation.op === 'remove') return false;
    if (operation.path !== undefined && operation.path !== '')
      return userFieldOfPath(operation.path) === 'active' && isFalse(operation.value);
    return (
      isRecord(operation.value) &&
      Object.entries(operation.value).some(([key, value]) => userFieldOfPath(key) === 'active' && isFalse(value))
    );
  });
}
