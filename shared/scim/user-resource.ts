import type { Membership } from '../members/membership.js';
import { ScimBadRequestError } from './scim-errors.js';
import {
  isRecord,
  managerOf,
  optionalString,
  otherEmail,
  requireSchema,
  requiredString,
  scimBoolean,
  workEmailOf,
} from './scim-values.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';
import {
  CORE_STRING_ATTRIBUTES,
  EMPTY_PROFILE,
  ENTERPRISE_STRING_ATTRIBUTES,
  namePartsOf,
  userNameOf,
  type ScimUserProfile,
  type ScimUserState,
} from './user-state.js';

/* A member as a SCIM User resource, and a User resource (POST, PUT) as Roster's state. */

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
