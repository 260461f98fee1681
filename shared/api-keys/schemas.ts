import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { nameText, resourceId } from '../schemas.js';

export const apiKeyPathParams = z.object({ orgId: resourceId, keyId: resourceId });

export const createApiKeyBody = z.strictObject({ name: nameText(100) });
export type CreateApiKeyInput = z.infer<typeof createApiKeyBody>;

export const listApiKeysQuery = z.strictObject({ ...pageQuery });
export type ListApiKeysQuery = z.infer<typeof listApiKeysQuery>;

export const apiKeyResponse = z.object({
  keyId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.nullable(z.string()),
});
export const createdApiKeyResponse = z.object({ ...apiKeyResponse.shape, secret: z.string() });
export const apiKeyPage = z.object({ items: z.array(apiKeyResponse), nextCursor: z.nullable(z.string()) });

export const publicOrgResponse = z.object({
  orgId: z.string(),
  name: z.string(),
  maxSeats: z.int(),
  seatsUsed: z.int(),
  memberCount: z.int(),
});
