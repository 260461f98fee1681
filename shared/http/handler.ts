import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Actor, AuditContext } from '../audit/audit-event.js';
import { systemClock, type Clock } from '../clock.js';
import { database, type Database } from '../data/dynamo-client.js';
import { spendOperationLimit } from '../data/operation-limit.js';
import { DomainError } from '../errors.js';
import type { ScimCaller } from '../org-credential-authenticators.js';
import { authorize, type Authorized, type BearerCaller } from './authorize.js';
import { isActivityDue, recordActivityIfDue } from '../members/last-active.js';
import type { Membership } from '../members/membership.js';
import { headerValue, parseBody } from './parse.js';
import { validate } from '../validation.js';
import { problemResult } from './problem.js';
import { logger } from '../logger.js';
import type { FallbackOperation, Operation } from '../operation.js';
import { SCIM_CONTENT_TYPE } from '../scim/scim-errors.js';
import { scimErrorResult } from './scim-error-result.js';
import type { ApiEvent, ApiResponse, ApiResult } from './types.js';

type Output<S> = S extends z.ZodMiniType<infer T> ? T : undefined;
type ParamsOf<O> = O extends { params: infer S } ? Output<S> : undefined;
type QueryOf<O> = O extends { query: infer S } ? Output<S> : undefined;
/** A raw body or one with its own media type (the CSV upload) is the function's to read; JSON bodies arrive validated. */
type BodyOf<O> = O extends { bodyContentType: string }
  ? undefined
  : O extends { body: infer S }
    ? Output<S>
    : undefined;

/**
 * Clients built once per container and handed to every request; functions name the ports they use
 * beyond the table. Mail has no port here: every mail is an outbox item written in the change's own
 * transaction (shared/mail/outbox.ts), and only the mailer function holds a sender.
 */
export interface Dependencies {
  db: Database;
  /** Where time comes from (the system's, unless the function's ports name another, as a test may). */
  clock: Clock;
  /** The request's instant, read from `clock` once: the audit timestamp (`audit.now`) and every rule's "now" are this one. */
  now: Date;
}

interface RequestBase<O extends Operation | FallbackOperation, D> {
  params: ParamsOf<O>;
  query: QueryOf<O>;
  /** Actor and origin for the audit event of whatever this request changes. */
  audit: AuditContext;
  deps: Dependencies & D;
  event: ApiEvent;
}

/**
 * What the operation's function receives: the verified caller, validated input and the
 * dependencies. SCIM requests name the token's org (`orgId`); an `optionalBearer` request
 * carries either a bearer (and no body) or a validated body.
 */
export type OperationRequest<O extends Operation | FallbackOperation, D = unknown> = RequestBase<O, D> &
  (O['auth'] extends { kind: 'optionalBearer' }
    ? { caller: BearerCaller; body: undefined } | { caller: undefined; body: BodyOf<O> }
    : { caller: Authorized<O['auth']>; body: BodyOf<O> }) &
  (O['auth'] extends { kind: 'scimToken' } ? { orgId: string } : unknown);

type Factories<D> = { [K in keyof D]: () => D[K] };

/** What a function's ports may add to the dependencies: its own clients, or another clock than the system's. */
type Ports<D> = Factories<D> & { clock?: () => Clock };

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
 * The one request pipeline of every API function, JSON, SCIM and CSV alike, driven by the
 * operation object: structured logs with the request id, authorization by the operation's
 * `auth` (one consistent BatchGetItem), validation of path, query and body, the dependencies,
 * and one mapping of errors (problem+json, or SCIM's error body and media type). `ports` names
 * the clients the function uses beyond the table (`{ identity }`): built once, at the first
 * request, and only those, so a function's bundle holds no SDK client it does not call; a
 * `clock` port replaces the system's clock (every "now" of the request, limits and audit included).
 */
export function operationHandler<O extends Operation | FallbackOperation>(
  operation: O,
  run: (request: OperationRequest<O>) => Promise<ApiResponse>,
): ReturnType<ReturnType<typeof basePipeline>['handler']>;
export function operationHandler<O extends Operation | FallbackOperation, D extends object>(
  operation: O,
  ports: Ports<D>,
  run: (request: OperationRequest<O, D>) => Promise<ApiResponse>,
): ReturnType<ReturnType<typeof basePipeline>['handler']>;
export function operationHandler<O extends Operation | FallbackOperation, D extends object>(
  operation: O,
  portsOrRun: Ports<D> | ((request: OperationRequest<O, D>) => Promise<ApiResponse>),
  maybeRun?: (request: OperationRequest<O, D>) => Promise<ApiResponse>,
) {
  const run = (maybeRun ?? portsOrRun) as (request: OperationRequest<O, D>) => Promise<ApiResponse>;
  const { clock: clockPort, ...ports } = (maybeRun ? portsOrRun : {}) as Ports<D>;
  const clock = clockPort?.() ?? systemClock;
  const scim = operation.auth.kind === 'scimToken';
  const spec = operation as Partial<Operation>;
  let built: D | undefined;
  const pipeline = scim
    ? basePipeline('SCIM request', scimErrorResult)
    : basePipeline('request', (error, event) => problemResult(error, event.requestContext?.requestId));
  return pipeline.handler(async (event) => {
    const db = database();
    built ??= Object.fromEntries(Object.entries(ports).map(([name, make]) => [name, (make as () => unknown)()])) as D;
    // One instant per request: the limit windows, the audit timestamp, last activity and the operation's rules agree.
    const now = clock();
    const limit = operation.limit;
    // A client's budget is spent before its credentials are read: an anonymous flood costs one UpdateItem a request.
    if (limit?.scope === 'source') await spendOperationLimit(db, limit, sourceIpOf(event), now);
    const caller = await authorize(db, event, operation.auth);
    // An org's only once the caller is known: nobody spends another org's budget with requests it refuses.
    if (limit?.scope === 'org') await spendOperationLimit(db, limit, limitedOrgOf(event, caller), now);
    const params = spec.params ? validate(spec.params, event.pathParameters ?? {}, 'path') : undefined;
    const query = spec.query ? validate(spec.query, event.queryStringParameters ?? {}, 'query') : undefined;
    const body = bodyOf(event, spec, caller);
    const audit = auditContextOf(event, caller, now);
    const request = {
      caller,
      body,
      query,
      params,
      audit,
      deps: { db, clock, now, ...built },
      event,
      ...(scim ? { orgId: (caller as ScimCaller).org.orgId } : {}),
    } as unknown as OperationRequest<O, D>;
    const response = await run(request);
    // After the operation, not beside it: an operation's transaction that checks the caller's own membership
    // (bulk role's actor check, leaving an org) would be cancelled by a concurrent write of the same item
    // (TransactionConflict). At most once an hour per member, so the extra round trip is rare.
    await activityOf(db, caller, now);
    return toResult(response, scim ? SCIM_CONTENT_TYPE : 'application/json');
  });
}

/**
 * The org whose budget a request spends: the SCIM token's or API key's, else the path's (an
 * authorized member's, or a webhook's, whose signature the function checks).
 */
function limitedOrgOf(event: ApiEvent, caller: unknown): string {
  const credentialOrg =
    typeof caller === 'object' && caller !== null && 'org' in caller
      ? (caller as { org?: { orgId?: string } }).org?.orgId
      : undefined;
  const orgId = credentialOrg ?? event.pathParameters?.orgId;
  // A declaration error (an org-scoped limit on a route with no org), not the client's.
  if (!orgId) throw new Error(`An org-scoped limit on ${event.routeKey} needs an orgId`);
  return orgId;
}

/** The address API Gateway saw the request come from (never a client-set header). */
function sourceIpOf(event: ApiEvent): string {
  return event.requestContext.http?.sourceIp ?? 'unknown';
}

/** With a bearer, an `optionalBearer` route takes no body beyond `{}`; a raw body or one with its own media type is the function's. */
function bodyOf(event: ApiEvent, spec: Partial<Operation>, caller: unknown): unknown {
  if (!spec.body || spec.bodyContentType || spec.rawBody) return undefined;
  if (spec.auth?.kind === 'optionalBearer' && caller) {
    if (event.body) parseBody(event, NO_BODY, spec.maxBodyBytes);
    return undefined;
  }
  if (spec.bodyOptional && (event.body ?? '').trim() === '') return validate(spec.body, {}, '');
  return parseBody(event, spec.body, spec.maxBodyBytes);
}

const NO_BODY = z.strictObject({});

/** The member's lastActiveAt update when due (the authorizer's read tells), logged rather than failing the request. */
function activityOf(db: Database, caller: unknown, now: Date): Promise<void> | undefined {
  const membership =
    typeof caller === 'object' && caller !== null && 'membership' in caller
      ? (caller as { membership?: Membership }).membership
      : undefined;
  if (!membership || !isActivityDue(membership, now)) return undefined;
  return recordActivityIfDue(db, membership, now).catch((error: unknown) =>
    logger.warn('could not record last activity', {
      orgId: membership.orgId,
      userId: membership.userId,
      error: error as Error,
    }),
  );
}

function actorOf(
  caller: { userId?: string; user?: { email: string } | undefined; keyId?: string; tokenId?: string } | undefined,
): Actor {
  if (!caller?.userId) return { type: 'system', id: 'anonymous' };
  if (caller.tokenId) return { type: 'scim', id: caller.tokenId };
  if (caller.keyId) return { type: 'api_key', id: caller.keyId };
  return { type: 'user', id: caller.userId, email: caller.user?.email ?? null };
}

function auditContextOf(event: ApiEvent, caller: Parameters<typeof actorOf>[0], now: Date): AuditContext {
  return {
    actor: actorOf(caller),
    ip: event.requestContext.http?.sourceIp ?? null,
    userAgent: headerValue(event, 'user-agent') ?? null,
    requestId: event.requestContext.requestId ?? null,
    now,
  };
}

function toResult(response: ApiResponse, jsonType: string): ApiResult {
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
    headers: { 'content-type': jsonType, ...response.headers },
    body: JSON.stringify(response.body),
  };
}
