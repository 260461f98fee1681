import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { nameText, resourceId } from '../schemas.js';

export const scimTokenPathParams = z.object({ orgId: resourceId, tokenId: resourceId });

export const createScimTokenBody = z.strictObject({ name: nameText(100) });
export type CreateScimTokenInput = z.infer<typeof createScimTokenBody>;

export const listScimTokensQuery = z.strictObject({ ...pageQuery });
export type ListScimTokensQuery = z.infer<typeof listScimTokensQuery>;

export const scimTokenResponse = z.object({
  tokenId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.nullable(z.string()),
});
export const createdScimTokenResponse = z.object({ ...scimTokenResponse.shape, secret: z.string() });
export const scimTokenPage = z.object({ items: z.array(scimTokenResponse), nextCursor: z.nullable(z.string()) });

const wholeNumber = (field: string) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,9}$/, `${field} must be a whole number`)),
    z.transform((value) => Number(value)),
  );

/** `attributes` / `excludedAttributes` (RFC 7644 §3.9): comma-separated attribute names. */
const attributeParams = {
  attributes: z.optional(z.string().check(z.maxLength(1000))),
  excludedAttributes: z.optional(z.string().check(z.maxLength(1000))),
};

/**
 * SCIM list parameters (RFC 7644 §3.4.2). startIndex below 1 reads as 1 and count above the
 * cap as the cap, as the RFC has it; attributes and excludedAttributes select what each
 * resource shows; other parameters (sortBy, sortOrder: sorting is not supported) are ignored.
 */
export const scimListQuery = z.object({
  filter: z.optional(z.string().check(z.maxLength(1000))),
  startIndex: z._default(wholeNumber('startIndex'), 1),
  count: z._default(wholeNumber('count'), 100),
  ...attributeParams,
});
export type ScimListQueryInput = z.infer<typeof scimListQuery>;

/** A SCIM resource id: Roster's user and team ids. */
export const scimIdParams = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/, 'must be an id Roster issued')),
});

/** SCIM bodies are validated by the SCIM mapping itself (with scimType), not field by field here. */
export const scimJsonObject = z.record(z.string(), z.unknown());
export type ScimJsonObject = z.infer<typeof scimJsonObject>;

/** GET of one resource: attribute selection; on a Group, leaving out `members` skips reading them (Entra asks so). */
export const scimResourceQuery = z.object({ ...attributeParams });
export type ScimResourceQuery = z.infer<typeof scimResourceQuery>;

/** A SCIM schema or resource type id: a URN, or User / Group. */
export const scimDiscoveryIdParams = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9:._-]{1,200}$/, 'must be a schema URN or resource type name')),
});

/*
 * The SCIM resources as the OpenAPI document describes them. SCIM bodies are read by the SCIM
 * mapping (user-resource.ts, group-resource.ts), which ignores attributes Roster does not hold
 * (RFC 7644 §3.3), so these are open objects naming what Roster reads and writes.
 */
const s = z.optional(z.string());
const scimMeta = z.looseObject({
  resourceType: z.string(),
  created: s,
  lastModified: s,
  location: z.string(),
  version: s,
});
const enterpriseUser = z.looseObject({
  employeeNumber: s,
  department: s,
  costCenter: s,
  organization: s,
  division: s,
  manager: z.optional(z.looseObject({ value: s })),
});
const userAttributes = {
  schemas: z.array(z.string()),
  externalId: s,
  userName: z.string(),
  name: z.optional(z.looseObject({ formatted: s, givenName: s, familyName: s })),
  displayName: s,
  title: s,
  preferredLanguage: s,
  active: z.optional(z.union([z.boolean(), z.string()])),
  emails: z.optional(
    z.array(z.looseObject({ value: z.string(), type: s, primary: z.optional(z.union([z.boolean(), z.string()])) })),
  ),
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': z.optional(enterpriseUser),
};
export const scimUserBody = z.looseObject(userAttributes);
export const scimUserResource = z.looseObject({ ...userAttributes, id: z.string(), meta: scimMeta });
const groupAttributes = {
  schemas: z.array(z.string()),
  displayName: z.string(),
  members: z.optional(z.array(z.looseObject({ value: z.string(), display: s, $ref: s }))),
};
export const scimGroupBody = z.looseObject(groupAttributes);
export const scimGroupResource = z.looseObject({ ...groupAttributes, id: z.string(), meta: scimMeta });
export const scimPatchBody = z.looseObject({
  schemas: z.array(z.string()),
  Operations: z.array(z.looseObject({ op: z.string(), path: s, value: z.optional(z.unknown()) })),
});
const listOf = <T extends z.ZodMiniType>(resource: T) =>
  z.object({
    schemas: z.array(z.string()),
    totalResults: z.int(),
    startIndex: z.int(),
    itemsPerPage: z.int(),
    Resources: z.array(resource),
  });
export const scimUserList = listOf(scimUserResource);
export const scimGroupList = listOf(scimGroupResource);
export const scimServiceProviderConfig = z.looseObject({
  schemas: z.array(z.string()),
  patch: z.looseObject({ supported: z.boolean() }),
  bulk: z.looseObject({ supported: z.boolean() }),
  filter: z.looseObject({ supported: z.boolean(), maxResults: z.int() }),
  authenticationSchemes: z.array(z.looseObject({ type: z.string(), name: z.string() })),
  meta: scimMeta,
});
export const scimResourceType = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  name: z.string(),
  endpoint: z.string(),
  schema: z.string(),
  meta: scimMeta,
});
export const scimSchema = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  name: z.string(),
  attributes: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  meta: scimMeta,
});
export const scimResourceTypeList = listOf(scimResourceType);
export const scimSchemaList = listOf(scimSchema);
/** RFC 7644 §3.12. */
export const scimErrorSchema = z.object({
  schemas: z.array(z.string()),
  status: z.string(),
  scimType: s,
  detail: z.string(),
});
