import type { Membership } from '../members/membership.js';
import { oneLine } from '../schemas.js';
import { ScimBadRequestError } from './scim-errors.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** SCIM-only attributes of a member, kept beside the membership (see keys.ts, scim user profile). */
export interface ScimUserProfile {
  externalId: string | null;
  /** The userName as the IdP wrote it (case kept); Roster's email is its lower-cased form. */
  userName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  displayName: string | null;
  title: string | null;
  preferredLanguage: string | null;
  /** The work email as the IdP wrote it, when it is not the userName. */
  workEmail: string | null;
  employeeNumber: string | null;
  department: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  manager: string | null;
}

export const EMPTY_PROFILE: ScimUserProfile = {
  externalId: null,
  userName: null,
  givenName: null,
  familyName: null,
  formatted: null,
  displayName: null,
  title: null,
  preferredLanguage: null,
  workEmail: null,
  employeeNumber: null,
  department: null,
  costCenter: null,
  organization: null,
  division: null,
  manager: null,
};

/** The enterprise extension's string attributes Roster keeps (manager, complex, apart). */
export const ENTERPRISE_STRING_ATTRIBUTES = [
  'employeeNumber',
  'department',
  'costCenter',
  'organization',
  'division',
] as const;
/** The core User's plain string attributes Roster keeps beside userName and name. */
const CORE_STRING_ATTRIBUTES = ['displayName', 'title', 'preferredLanguage'] as const;

/** A user as SCIM sees it: the membership's email, name and status plus the profile. */
export interface ScimUserState extends ScimUserProfile {
  userName: string;
  active: boolean;
}

export function userStateOf(membership: Membership, profile: ScimUserProfile | undefined): ScimUserState {
  const p = profile ?? EMPTY_PROFILE;
  const userName = userNameOf(membership, p);
  // A member Roster's admin renamed since the IdP last wrote keeps the admin's name as formatted.
  const derived = nameOf({ ...p, userName, active: true });
  return {
    ...p,
    formatted: derived === membership.name ? p.formatted : membership.name,
    userName,
    active: membership.status === 'active',
  };
}

/**
 * The userName SCIM shows: as the IdP wrote it while it is still the member's email (compared
 * case-insensitively, as Roster compares emails), else the email (changed in Roster since).
 * Okta compares the userName it sent exactly (RFC 7643 §7 lets it be case-insensitive).
 */
export function userNameOf(
  membership: Pick<Membership, 'email'>,
  profile: Pick<ScimUserProfile, 'userName'> | undefined,
): string {
  const submitted = profile?.userName;
  return submitted && submitted.toLowerCase() === membership.email ? submitted : membership.email;
}

/**
 * Name parts of a member Roster named with one field (added outside SCIM): the last word is
 * the family name, the words before it the given name; one word is a given name alone.
 */
export function namePartsOf(name: string): { givenName: string; familyName?: string } {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length < 2) return { givenName: words[0] ?? name };
  return { givenName: words.slice(0, -1).join(' '), familyName: words[words.length - 1]! };
}

/**
 * Roster's single display name from SCIM's name parts: `name.formatted`, else given and family
 * name joined, else `displayName`, else the part of the userName before "@".
 */
export function nameOf(state: ScimUserState): string {
  const joined = [state.givenName, state.familyName]
    .filter((part) => part && part.trim() !== '')
    .join(' ')
    .trim();
  return oneLine(
    state.formatted?.trim() || joined || state.displayName?.trim() || state.userName.split('@')[0] || state.userName,
  );
}

/** SCIM's booleans as IdPs send them: `true`/`false`, or Entra's strings "True"/"False". */
export function scimBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimBadRequestError('invalidValue', `${path} must be a boolean`);
}

function optionalString(value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new ScimBadRequestError('invalidValue', `${path} must be a string`);
  return value.trim() === '' ? null : value.trim();
}

function requiredString(value: unknown, path: string): string {
  const s = optionalString(value, path);
  if (s === null) throw new ScimBadRequestError('invalidValue', `${path} is required`);
  return s;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The work email of an `emails` array: type work, else primary, else the first. */
export function workEmailOf(emails: unknown): string | null {
  if (emails === undefined || emails === null) return null;
  if (!Array.isArray(emails)) throw new ScimBadRequestError('invalidValue', 'emails must be an array');
  const entries = emails.filter(isRecord);
  const chosen =
    entries.find((e) => e.type === 'work') ??
    entries.find((e) => e.primary === true || e.primary === 'true') ??
    entries[0];
  return chosen ? optionalString(chosen.value, 'emails.value') : null;
}

function managerOf(value: unknown): string | null {
  if (isRecord(value)) return optionalString(value.value, 'manager.value');
  return optionalString(value, 'manager');
}

/** Checks a resource body names the schema it must (RFC 7643 §3: `schemas` is required). */
export function requireSchema(body: Record<string, unknown>, schema: string): void {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(schema))
    throw new ScimBadRequestError('invalidSyntax', `schemas must include ${schema}`);
}

/**
 * A full User resource (POST, PUT) as Roster's state. `userName` is required (RFC 7643 §4.1.1)
 * and is the email, its case kept; the work email is kept when it differs; the core and
 * enterprise attributes of ScimUserProfile are kept; attributes Roster does not hold
 * (`nickName`, `roles`, `meta`, …) are ignored, as RFC 7644 §3.3 lets a service provider do.
 */
export function userStateFromResource(body: Record<string, unknown>): ScimUserState {
  requireSchema(body, USER_SCHEMA);
  const name = body.name === undefined || body.name === null ? {} : body.name;
  if (!isRecord(name)) throw new ScimBadRequestError('invalidValue', 'name must be an object');
  const enterprise = body[ENTERPRISE_USER_SCHEMA];
  const ext = isRecord(enterprise) ? enterprise : {};
  const userName = requiredString(body.userName, 'userName');
  const core = Object.fromEntries(CORE_STRING_ATTRIBUTES.map((a) => [a, optionalString(body[a], a)]));
  const extension = Object.fromEntries(
    ENTERPRISE_STRING_ATTRIBUTES.map((a) => [a, optionalString(ext[a], `${ENTERPRISE_USER_SCHEMA}:${a}`)]),
  );
  return {
    ...EMPTY_PROFILE,
    ...core,
    ...extension,
    userName,
    active: body.active === undefined || body.active === null ? true : scimBoolean(body.active, 'active'),
    externalId: optionalString(body.externalId, 'externalId'),
    givenName: optionalString(name.givenName, 'name.givenName'),
    familyName: optionalString(name.familyName, 'name.familyName'),
    formatted: optionalString(name.formatted, 'name.formatted'),
    workEmail: otherEmail(workEmailOf(body.emails), userName),
    manager: managerOf(ext.manager),
  };
}

/** A work email worth keeping apart: one that is not the userName (compared as emails are). */
const otherEmail = (email: string | null, userName: string): string | null =>
  email !== null && email.toLowerCase() !== userName.toLowerCase() ? email : null;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** The PatchOp request's operations, op names in any letter case (Entra sends "Replace"). */
export function patchOperationsOf(body: Record<string, unknown>): PatchOperation[] {
  requireSchema(body, PATCH_OP_SCHEMA);
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0)
    throw new ScimBadRequestError('invalidSyntax', 'Operations must be a non-empty array');
  if (ops.length > 100) throw new ScimBadRequestError('tooMany', 'At most 100 operations per request');
  return ops.map((raw, i) => {
    if (!isRecord(raw)) throw new ScimBadRequestError('invalidSyntax', `Operations[${i}] must be an object`);
    const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimBadRequestError('invalidSyntax', `Operations[${i}].op must be add, replace or remove`);
    if (raw.path !== undefined && typeof raw.path !== 'string')
      throw new ScimBadRequestError('invalidPath', `Operations[${i}].path must be a string`);
    return {
      op,
      ...(raw.path !== undefined ? { path: raw.path.trim() } : {}),
      ...('value' in raw ? { value: raw.value } : {}),
    };
  });
}

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

export interface ResourceMeta {
  location: string;
}

/** The SCIM User resource of a member. */
export function userResource(membership: Membership, profile: ScimUserProfile | undefined, baseUrl: string) {
  const p = profile ?? EMPTY_PROFILE;
  const userName = userNameOf(membership, p);
  // A member named in Roster alone (added outside SCIM) shows name parts derived from that name.
  const parts =
    p.givenName === null && p.familyName === null
      ? namePartsOf(membership.name)
      : {
          ...(p.givenName !== null ? { givenName: p.givenName } : {}),
          ...(p.familyName !== null ? { familyName: p.familyName } : {}),
        };
  const extension: Record<string, unknown> = Object.fromEntries(
    ENTERPRISE_STRING_ATTRIBUTES.flatMap((a) => (p[a] !== null ? [[a, p[a]]] : [])),
  );
  if (p.manager !== null) extension.manager = { value: p.manager };
  const hasEnterprise = Object.keys(extension).length > 0;
  return {
    schemas: hasEnterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: membership.userId,
    ...(p.externalId !== null ? { externalId: p.externalId } : {}),
    userName,
    name: { formatted: membership.name, ...parts },
    displayName: p.displayName ?? membership.name,
    ...(p.title !== null ? { title: p.title } : {}),
    ...(p.preferredLanguage !== null ? { preferredLanguage: p.preferredLanguage } : {}),
    emails: [{ value: p.workEmail ?? userName, type: 'work', primary: true }],
    active: membership.status === 'active',
    ...(hasEnterprise ? { [ENTERPRISE_USER_SCHEMA]: extension } : {}),
    meta: {
      resourceType: 'User',
      created: membership.createdAt,
      lastModified: membership.updatedAt,
      location: `${baseUrl}/Users/${membership.userId}`,
      version: `W/"${membership.version}"`,
    },
  };
}
