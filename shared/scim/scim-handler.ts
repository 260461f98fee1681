import type * as z from 'zod/mini';
import type { AuditContext } from '../audit/audit-event.js';
import { database, type Database } from '../data/dynamo-client.js';
import { authorize, type ScimCaller } from '../http/authorize.js';
import { basePipeline } from '../http/handler.js';
import { headerValue, parseBody, validate } from '../http/parse.js';
import type { ApiEvent } from '../http/types.js';
import { SCIM_CONTENT_TYPE, scimErrorResult } from './scim-errors.js';

/** SCIM bodies are small resources; this is far above any real User or Group PATCH. */
export const SCIM_MAX_BODY_BYTES = 64 * 1024;

export interface ScimRouteSpec<B, Q, P> {
  body?: z.ZodMiniType<B>;
  query?: z.ZodMiniType<Q>;
  params?: z.ZodMiniType<P>;
}

export interface ScimRequest<B, Q, P> {
  caller: ScimCaller;
  orgId: string;
  body: B;
  query: Q;
  params: P;
  /** Actor `scim` with the token id, plus the request's origin. */
  audit: AuditContext;
  db: Database;
  event: ApiEvent;
}

export interface ScimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The one pipeline of every `/scim/v2` function: the shared logger, authorization by the org's
 * SCIM bearer token (token + org in one consistent BatchGetItem), the shared validation, and
 * answers in `application/scim+json`, refusals included (RFC 7644 §3.12 error bodies).
 */
export function scimHandler<B = undefined, Q = undefined, P = undefined>(
  spec: ScimRouteSpec<B, Q, P>,
  run: (request: ScimRequest<B, Q, P>) => Promise<ScimResponse>,
) {
  return basePipeline('SCIM request', scimErrorResult).handler(async (event) => {
    const db = database();
    const caller = await authorize(db, event, { kind: 'scimToken' });
    const params = spec.params ? validate(spec.params, event.pathParameters ?? {}, 'path') : (undefined as P);
    const query = spec.query ? validate(spec.query, event.queryStringParameters ?? {}, 'query') : (undefined as Q);
    const body = spec.body ? parseBody(event, spec.body, SCIM_MAX_BODY_BYTES) : (undefined as B);
    const audit: AuditContext = {
      actor: { type: 'scim', id: caller.tokenId },
      ip: event.requestContext.http?.sourceIp ?? null,
      userAgent: headerValue(event, 'user-agent') ?? null,
      requestId: event.requestContext.requestId ?? null,
      now: new Date(),
    };
    const response = await run({ caller, orgId: caller.org.orgId, body, query, params, audit, db, event });
    return {
      statusCode: response.status,
      headers: { ...(response.body !== undefined ? { 'content-type': SCIM_CONTENT_TYPE } : {}), ...response.headers },
      ...(response.body !== undefined ? { body: JSON.stringify(response.body) } : {}),
    };
  });
}
