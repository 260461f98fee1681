import type * as z from 'zod/mini';

/** One API operation described with the schemas that validate it (the source of /openapi.json). */
export interface OperationDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  /** `bearerOptional`: public, and a bearer token, when sent, is verified by the function (accepting an invitation). */
  auth: 'bearer' | 'bearerOptional' | 'none' | 'apiKey' | 'scim' | 'webhook';
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** The body's media type when it is not JSON (the CSV upload: `text/csv` with a string schema). */
  bodyContentType?: string;
  response?: { status: number; schema?: z.ZodMiniType; contentType?: string };
}
