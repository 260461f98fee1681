import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Actor, AuditContext } from '../audit/audit-event.js';
import { database, type Database } from '../data/dynamo-client.js';
import { DomainError } from '../errors.js';
import { authorize, type AuthRequirement, type Authorized } from './authorize.js';
import { isActivityDue, recordActivityIfDue } from '../members/last-active.js';
import type { Membership } from '../members/membership.js';
import { headerValue, parseBody, validate } from './parse.js';
import { problemResult } from './problem.js';
import { logger } from '../logger.js';
import type { ApiEvent, ApiResponse, ApiResult } from './types.js';

export interface RouteSpec<A extends AuthRequirement, B, Q, P> {
  auth: A;
  body?: z.ZodMiniType<B>;
  query?: z.ZodMiniType<Q>;
  params?: z.ZodMiniType<P>;
  /** Body cap in bytes (default 64 KiB). */
  maxBodyBytes?: number;
}

export interface ApiRequest<A extends AuthRequirement, B, Q, P> {
  caller: Authorized<A>;
  body: B;
  query: Q;
  params: P;
  /** Actor and origin for the audit event of whatever this request changes. */
  audit: AuditContext;
  db: Database;
  event: ApiEvent;
}

/**
 * The middy setup every API function shares, HTTP and SCIM alike: the shared logger with the
 * Lambda context, the request id and route as log keys, and one onError that logs domain
 * refusals at info and anything else at error, then answers with `errorResult`.
 */
export function basePipeline(label: string, errorResult: (error: unknown, event: ApiEvent) => ApiResult) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: ({ event }) => {
        logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
      },
      onError: (request) => {
        const { error } = request;
        if (error instanceof DomainError) logger.info(`${label} refused`, { status: error.status, code: error.code });
        else logger.error(`${label} failed`, error as Error);
        request.response = errorResult(error, request.event);
      },
    });
}

/**
 * The request pipeline every HTTP function shares: structured logs with the request id,
 * authorization (one consistent BatchGetItem), validation of path, query and body, and one
 * mapping of domain errors to problem+json. The operation itself is the `run` function.
 */
export function httpHandler<A extends AuthRequirement, B = undefined, Q = undefined, P = undefined>(
  spec: RouteSpec<A, B, Q, P>,
  run: (request: ApiRequest<A, B, Q, P>) => Promise<ApiResponse>,
) {
  return basePipeline('request', (error, event) => problemResult(error, event.requestContext?.requestId)).handler(
    async (event) => {
      const db = database();
      const caller = await authorize(db, event, spec.auth);
      const params = spec.params ? validate(spec.params, event.pathParameters ?? {}, 'path') : (undefined as P);
      const query = spec.query ? validate(spec.query, event.queryStringParameters ?? {}, 'query') : (undefined as Q);
      const body = spec.body ? parseBody(event, spec.body, spec.maxBodyBytes) : (undefined as B);
      const response = await run({ caller, body, query, params, audit: auditContextOf(event, caller), db, event });
      // After the operation, not beside it: an operation's transaction that checks the caller's own membership
      // (bulk role's actor check, leaving an org) would be cancelled by a concurrent write of the same item
      // (TransactionConflict). At most once an hour per member, so the extra round trip is rare.
      await activityOf(db, caller);
      return toResult(response);
    },
  );
}

/** The member's lastActiveAt update when due (the authorizer's read tells), logged rather than failing the request. */
function activityOf(db: Database, caller: unknown): Promise<void> | undefined {
  const membership =
    typeof caller === 'object' && caller !== null && 'membership' in caller
      ? (caller as { membership?: Membership }).membership
      : undefined;
  if (!membership || !isActivityDue(membership, new Date())) return undefined;
  return recordActivityIfDue(db, membership, new Date()).catch((error: unknown) =>
    logger.warn('could not record last activity', {
      orgId: membership.orgId,
      userId: membership.userId,
      error: error as Error,
    }),
  );
}

function actorOf(caller: { userId: string; user?: { email: string } | undefined; keyId?: string } | undefined): Actor {
  if (!caller) return { type: 'system', id: 'anonymous' };
  if (caller.keyId) return { type: 'api_key', id: caller.keyId };
  return { type: 'user', id: caller.userId, email: caller.user?.email ?? null };
}

function auditContextOf(event: ApiEvent, caller: Parameters<typeof actorOf>[0]): AuditContext {
  return {
    actor: actorOf(caller),
    ip: event.requestContext.http?.sourceIp ?? null,
    userAgent: headerValue(event, 'user-agent') ?? null,
    requestId: event.requestContext.requestId ?? null,
    now: new Date(),
  };
}

function toResult(response: ApiResponse): ApiResult {
  if ('text' in response) {
    return {
      statusCode: response.status,
      headers: { 'content-type': response.contentType, ...response.headers },
      body: response.text,
    };
  }
  if (response.body === undefined)
    return { statusCode: response.status, ...(response.headers ? { headers: response.headers } : {}) };
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json', ...response.headers },
    body: JSON.stringify(response.body),
  };
}
