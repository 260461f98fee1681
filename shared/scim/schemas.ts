import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { resourceId, trimmedString } from '../schemas.js';

export const scimTokenPathParams = z.object({ orgId: resourceId, tokenId: resourceId });

export const createScimTokenBody = z.strictObject({ name: trimmedString(1, 100) });
export type CreateScimTokenInput = z.infer<typeof createScimTokenBody>;

export const listScimTokensQuery = z.strictObject({ ...pageQuery });
export type ListScimTokensQuery = z.infer<typeof listScimTokensQuery>;

export const scimTokenResponse = z.object({ tokenId: z.string(), name: z.string(), createdAt: z.string(), createdBy: z.nullable(z.string()) });
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
export const scimIdParams = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/, "must be an id Roster issued")) });

/** SCIM bodies are validated by the SCIM mapping itself (with scimType), not field by field here. */
export const scimJsonObject = z.record(z.string(), z.unknown());
export type ScimJsonObject = z.infer<typeof scimJsonObject>;

/** GET /Groups/{id}: `excludedAttributes=members` skips reading the members (Entra asks so). */
export const scimGroupQuery = z.object({ excludedAttributes: z.optional(z.string().check(z.maxLength(200))), attributes: z.optional(z.string().check(z.maxLength(200))) });
