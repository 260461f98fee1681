import { randomUUID } from 'node:crypto';
import { redactUrl } from './redact-url.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { API_ACCESS_SCOPE, FALLBACK_ROUTES, ROUTES, type RouteDefinition } from '../infra/routes.js';
import { database, type Database } from '../shared/data/dynamo-client.js';
import { EXPORT_ENV } from '../shared/exports/export-env.js';
import { localExportStore } from '../shared/exports/export-store.js';
import { LOCAL_DOWNLOAD_PATH } from '../shared/exports/local-object-store.js';
import { findLocalIdentityProvider, LocalIdentity } from '../shared/identity/local-identity.js';
import { LOCAL_TOKEN_ISSUER_ENV } from '../shared/identity/token-verifier.js';
import type { ApiResult } from '../shared/http/types.js';
import { buildApiGatewayEvent, type IncomingRequest } from './api-gateway-event.js';
import { serveConsole } from './console-assets.js';
import { createHandlerLoader } from './handler-loader.js';
import type { TableAccess } from '../shared/data/table-access.js';
import { createJwtAuthorizer, flattenClaims } from './jwt-authorizer.js';
import { lambdaContext } from './lambda-context.js';
import { PortInUseError } from './ports.js';
import { createFallbackMatcher, createRouteMatcher } from './route-matcher.js';
import { handleCognitoRequest, LOCAL_COGNITO_PATH } from './cognito-api.js';
import { createOAuthEndpoints, type FederationStore } from './oauth-federation.js';
import { OAUTH_AUTHORIZE_PATH, OAUTH_IDP_RESPONSE_PATH, OAUTH_TOKEN_PATH } from './oauth-paths.js';
import { signIn, type SignInDeps } from './sign-in.js';
import { TokenIssuer } from './token-issuer.js';

/** API Gateway's request payload cap. */
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LocalServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The table the local identity lives in; the handlers' own (from config) by default. */
  db?: Database;
  /** PEM file keeping the token signing key across restarts; in memory when omitted. */
  keyFile?: string;
  routes?: readonly RouteDefinition[];
  /** Folder of handler modules (default: the project's functions/). */
  functionsDir?: string;
  /** Each function's table access (default: its declaration, shared/data/table-access.ts); tests of the guard replace it. */
  tableAccess?: (handler: string) => TableAccess;
  /** Cognito trigger handlers run at sign-in; set one to null to skip it. */
  triggers?: SignInDeps['triggers'];
  /** One line per request; silent when omitted. */
  log?: (line: string) => void;
  /** Where failed invocations are reported (default console.error). */
  logError?: (message: string, error: unknown) => void;
  maxBodyBytes?: number;
  /** The built console (console/dist) to serve at `/` with history fallback; not served when omitted. */
  consoleDir?: string;
  /** The user pool's identity providers and federated users (default: the local identity's, in `db`). */
  federation?: FederationStore;
}

export interface LocalServer {
  /** `http://localhost:<port>` */
  url: string;
  port: number;
  issuer: TokenIssuer;
  identity: LocalIdentity;
  db: Database;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const gatewayAnswer = (statusCode: number, message: string, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify({ message }),
});

/** Reads the whole body; past `cap` bytes it keeps draining (so the client sees our answer) but stores nothing. */
function readBody(req: IncomingMessage, cap: number): Promise<Buffer | 'tooLarge'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > cap ? 'tooLarge' : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function writeResult(res: ServerResponse, result: unknown, requestId: string): number {
  // Payload 2.0: a result without statusCode is a 200 JSON body.
  const structured: ApiResult =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as ApiResult)
      : {
          statusCode: 200,
          headers: JSON_HEADERS,
          body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
        };
  const status = structured.statusCode ?? 200;
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (body.length > 0 && !headers['content-type']) headers['content-type'] = 'application/json';
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  headers['apigw-requestid'] = requestId;
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
  return status;
}

/**
 * The local stand-in for an S3 pre-signed GET of an export file: the link's HMAC signature and
 * expiry are checked (403 otherwise, as S3 answers) and the file is streamed, not buffered.
 */
async function serveExportDownload(req: IncomingMessage, res: ServerResponse): Promise<number> {
  try {
    const download = await localExportStore().openDownload(req.url ?? '/');
    if (download.status !== 200) {
      res.writeHead(download.status, JSON_HEADERS).end(JSON.stringify({ message: download.message }));
      return download.status;
    }
    res.writeHead(200, download.headers);
    await pipeline(download.body, res);
    return 200;
  } catch {
    if (!res.headersSent) res.writeHead(500, JSON_HEADERS).end(JSON.stringify({ message: 'Internal Server Error' }));
    else res.destroy();
    return 500;
  }
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, 'API', 'PORT') : error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The local stand-in for API Gateway: routes every row of the route table to its handler
 * module with a payload-2.0 event, checks bearer tokens on JWT routes as the HTTP API's JWT
 * authorizer does, and adds the local-only sign-in, Cognito (JSON protocol) and JWKS endpoints.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const db = options.db ?? database();
  const identity = new LocalIdentity(db);
  const federation: FederationStore = options.federation ?? {
    findProvider: (query) => findLocalIdentityProvider(db, query),
    findFederatedIdentity: (federated) => identity.findFederatedIdentity(federated),
    createFederatedIdentity: (federated, email) => identity.createFederatedIdentity(federated, email),
  };
  const loadHandler = createHandlerLoader(options.functionsDir, options.tableAccess);
  const matchRoute = createRouteMatcher(options.routes ?? ROUTES);
  const matchFallback = createFallbackMatcher(FALLBACK_ROUTES);
  const maxBodyBytes = options.maxBodyBytes ?? API_GATEWAY_MAX_BODY_BYTES;
  const log = options.log ?? (() => {});
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  const host = options.host ?? '127.0.0.1';

  // Filled once listening: the issuer's URL carries the port the OS picked.
  const state: {
    ready?: {
      issuer: TokenIssuer;
      authorize: ReturnType<typeof createJwtAuthorizer>;
      port: number;
      /** Made on first use: it keeps the sign-ins in flight. */
      oauth?: ReturnType<typeof createOAuthEndpoints>;
    };
  } = {};

  const route = async (req: IncomingMessage, requestId: string): Promise<ApiResult | { lambda: unknown }> => {
    const { ready } = state;
    if (!ready) return gatewayAnswer(503, 'Service Unavailable');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const body = await readBody(req, maxBodyBytes);
    if (body === 'tooLarge') return gatewayAnswer(413, 'Request Entity Too Large');

    if (method === 'GET' && (path === '/.well-known/jwks.json' || path === '/local/.well-known/jwks.json')) {
      return { statusCode: 200, headers: JSON_HEADERS, body: JSON.stringify(ready.issuer.jwks) };
    }
    if (method === 'GET' && path === '/config.json') {
      // What the console needs to sign in; in AWS the deployment writes the same file next to it.
      const origin = `http://${req.headers.host ?? `localhost:${ready.port}`}`;
      const consoleConfig = {
        cognito: { endpoint: `${origin}${LOCAL_COGNITO_PATH}`, clientId: ready.issuer.clientId, region: 'local' },
        // Stands for the user pool domain of the managed login (contract §3).
        oauthBaseUrl: `${origin}${LOCAL_COGNITO_PATH}`,
      };
      return {
        statusCode: 200,
        headers: { ...JSON_HEADERS, 'cache-control': 'no-cache' },
        body: JSON.stringify(consoleConfig),
      };
    }
    const cognitoDeps = {
      identity,
      issuer: ready.issuer,
      loadHandler,
      ...(options.triggers ? { triggers: options.triggers } : {}),
    };
    if (method === 'POST' && path === '/local/sign-in') return signIn(cognitoDeps, body.toString('utf8'), requestId);
    if (method === 'POST' && path === LOCAL_COGNITO_PATH)
      return handleCognitoRequest(cognitoDeps, req.headers, body.toString('utf8'));
    if (path.startsWith(`${LOCAL_COGNITO_PATH}/oauth2/`)) {
      const oauth = (ready.oauth ??= createOAuthEndpoints({ ...cognitoDeps, federation }));
      const origin = `http://${req.headers.host ?? `localhost:${ready.port}`}`;
      const query = new URL(url, origin).searchParams;
      if (method === 'GET' && path === OAUTH_AUTHORIZE_PATH) return oauth.authorize(query, origin);
      if (method === 'GET' && path === OAUTH_IDP_RESPONSE_PATH) return oauth.idpResponse(query, new URL(url, origin));
      if (method === 'POST' && path === OAUTH_TOKEN_PATH)
        return oauth.token(new URLSearchParams(body.toString('utf8')));
      return gatewayAnswer(404, 'Not Found');
    }

    // As API Gateway: the routes, then the greedy fallbacks (an unknown SCIM path's SCIM 404).
    const match = matchRoute(method, path) ?? matchFallback(path);
    if (!match) return gatewayAnswer(404, 'Not Found');
    let authorizer: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    if (match.route.auth === 'jwt') {
      const decision = await ready.authorize(req.headers.authorization);
      if (!decision.ok)
        return gatewayAnswer(401, 'Unauthorized', {
          'www-authenticate': `Bearer error="invalid_token" error_description="${decision.reason.replace(/"/g, "'")}"`,
        });
      // As the route's authorizationScopes in AWS: a token without the scope (an ID token) gets API Gateway's 403.
      if (!decision.scopes?.includes(API_ACCESS_SCOPE))
        return gatewayAnswer(403, 'Forbidden', { 'www-authenticate': 'Bearer error="insufficient_scope"' });
      authorizer = { claims: flattenClaims(decision.claims), scopes: decision.scopes };
    }
    const incoming: IncomingRequest = {
      method,
      url,
      headers: req.headers,
      body,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
      domainName: (req.headers.host ?? 'localhost').replace(/:\d+$/, ''),
      port: ready.port,
    };
    const routeKey = `${match.route.method} ${match.route.path}`;
    const event = buildApiGatewayEvent(incoming, {
      routeKey,
      pathParameters: match.pathParameters,
      ...(authorizer ? { authorizer } : {}),
    });
    event.requestContext.requestId = requestId;
    const handler = await loadHandler(match.route.handler);
    return { lambda: await handler(event, lambdaContext(match.route.handler)) };
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    const requestId = randomUUID();
    if (req.method === 'GET' && req.url?.startsWith(LOCAL_DOWNLOAD_PATH)) {
      void serveExportDownload(req, res).then((status) =>
        log(`GET ${redactUrl(req.url)} → ${status} (${Date.now() - started} ms)`),
      );
      return;
    }
    if (options.consoleDir && serveConsole(options.consoleDir, req, res)) {
      res.once('finish', () =>
        log(`${req.method} ${redactUrl(req.url)} → ${res.statusCode} (console, ${Date.now() - started} ms)`),
      );
      return;
    }
    route(req, requestId)
      .catch((error: unknown) => {
        // A thrown handler (or a missing module) is API Gateway's bare 500.
        logError(`[local] ${req.method} ${redactUrl(req.url)} failed:`, error);
        return gatewayAnswer(500, 'Internal Server Error');
      })
      .then((answer) => {
        const status = writeResult(res, 'lambda' in answer ? answer.lambda : answer, requestId);
        log(`${req.method} ${redactUrl(req.url)} → ${status} (${Date.now() - started} ms)`);
      })
      .catch((error: unknown) => {
        logError('[local] could not write the response:', error);
        res.destroy();
      });
  });

  const port = await listen(server, options.port ?? 0, host);
  const url = `http://localhost:${port}`;
  const issuer = await TokenIssuer.create({
    issuer: `${url}/local`,
    ...(options.keyFile ? { keyFile: options.keyFile } : {}),
  });
  const authorize = createJwtAuthorizer({
    issuer: issuer.issuer,
    audience: [issuer.clientId],
    jwksUri: `http://127.0.0.1:${port}/local/.well-known/jwks.json`,
    jwks: issuer.jwks,
  });
  state.ready = { issuer, authorize, port };
  // Public routes that verify a bearer token themselves (accepting an invitation) trust this issuer.
  process.env[LOCAL_TOKEN_ISSUER_ENV] = issuer.issuer;
  // Export download links point here unless told otherwise (one local server per process).
  process.env[EXPORT_ENV.localBaseUrl] ||= url;

  return {
    url,
    port,
    issuer,
    identity,
    db,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
