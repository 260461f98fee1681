import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiEvent } from '../shared/http/types.js';

export interface IncomingRequest {
  method: string;
  /** Path and query exactly as received, e.g. `/v1/orgs/abc?limit=5`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1` */
  protocol: string;
  /** The Host header's name part, e.g. `localhost`. */
  domainName: string;
  port: number;
}

export interface RouteContext {
  /** `METHOD /path/{template}` */
  routeKey: string;
  pathParameters: Record<string, string>;
  /** Present for JWT routes: the verified claims, already flattened, and the token's scopes. */
  authorizer?: { claims: Record<string, string>; scopes: string[] | null };
}

const API_ID = 'local';
const ACCOUNT_ID = '000000000000';

/** Media types API Gateway passes as text; any other body arrives base64-encoded. */
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    /^application\/([a-z0-9.-]+\+)?(json|xml)$/.test(type) ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/javascript'
  );
}

/** Repeated query keys are joined with commas, as in payload format 2.0. */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  return params;
}

function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** CLF-style time, as in requestContext.time: `12/Mar/2020:19:03:58 +0000`. */
function requestTime(now: Date): string {
  const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(now.toUTCString()) ?? [];
  return `${day}/${month}/${year}:${time} +0000`;
}

/**
 * The API Gateway HTTP API (payload format 2.0) event for a request: lower-cased headers with
 * repeated values comma-joined, cookies in their own list, the query both raw and parsed,
 * URL-decoded path parameters, a text or base64 body, and the request context with the JWT
 * authorizer's claims.
 */
export function buildApiGatewayEvent(request: IncomingRequest, route: RouteContext, now: Date = new Date()): ApiEvent {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : request.url.slice(queryAt + 1);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.port);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] = traceId(now);
  const cookieHeader = request.headers.cookie;
  const cookies = cookieHeader ? cookieHeader.split(/;\s*/).filter(Boolean) : undefined;

  const hasBody = request.body.length > 0;
  const textBody = isTextual(request.headers['content-type']);
  const method = request.method.toUpperCase();
  const requestContext = {
    accountId: ACCOUNT_ID,
    apiId: API_ID,
    domainName: request.domainName,
    domainPrefix: request.domainName.split('.')[0] ?? request.domainName,
    http: {
      method,
      path: rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.headers['user-agent'] ?? '',
    },
    requestId: randomUUID(),
    routeKey: route.routeKey,
    stage: '$default',
    time: requestTime(now),
    timeEpoch: now.getTime(),
    ...(route.authorizer
      ? { authorizer: { jwt: { claims: route.authorizer.claims, scopes: route.authorizer.scopes } } }
      : {}),
  };
  const event = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: queryParameters(rawQueryString) } : {}),
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: route.pathParameters } : {}),
    requestContext,
    ...(hasBody ? { body: textBody ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !textBody,
  };
  // Public routes carry no authorizer block at all, exactly as in AWS; the type insists on one.
  return event as ApiEvent;
}
