import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST_DIR } from '../local/paths.js';
import { DEMO, seedDemo } from '../local/seed.js';
import { startLocalServer } from '../local/server.js';

/** Who sends a scenario's request; each is signed in once, up front. */
export type CallerName = 'operator' | 'orgAdmin';

export interface ApiRequest {
  method: string;
  /** Path and query: `/v1/orgs/abc?limit=5`. */
  path: string;
  /** JSON, or a string sent as it is (give its content-type in `headers`). */
  body?: unknown;
  /** Omitted for public routes (no bearer token). */
  as?: CallerName;
  /** Extra headers (`x-api-key` for the public API). */
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** The local API with the demo data, and a signed-in token per caller. */
export interface BenchApi {
  /** How requests reach the handlers, for the printed method note. */
  description: string;
  /** The demo org ("Acme"). */
  orgId: string;
  /** The local server's origin (API and console). */
  url: string;
  send(request: ApiRequest): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** Every seeded person's password (the demo admin signs in with it in the browser too). */
export const BENCH_PASSWORD = 'Roster-bench-1!';

/**
 * The local stack of `npm start`, in this process: local/server.ts (API Gateway's routing,
 * payload-2.0 events, JWT checks) on a free port, seeded by local/seed.ts (a platform
 * operator; the org "Acme" and its admin), each caller signed in through POST /local/sign-in
 * as a browser would. The table must already be set up (see local-table.ts).
 */
export async function startBenchApi(): Promise<BenchApi> {
  // The console too, when built: the browser measurement opens it on the same origin, as npm start serves it.
  const server = await startLocalServer({
    port: 0,
    ...(existsSync(join(CONSOLE_DIST_DIR, 'index.html')) ? { consoleDir: CONSOLE_DIST_DIR } : {}),
  });
  try {
    const seeded = await seedDemo({ db: server.db, identity: server.identity, appUrl: server.url }, BENCH_PASSWORD);
    const tokens: Record<CallerName, string> = {
      operator: await signIn(server.url, DEMO.operator.email),
      orgAdmin: await signIn(server.url, DEMO.admin.email),
    };
    return {
      description: `HTTP to local/server.ts at ${server.url} with tokens from its /local/sign-in`,
      orgId: seeded.orgId,
      url: server.url,
      async send(request) {
        const raw = typeof request.body === 'string';
        const response = await fetch(`${server.url}${request.path}`, {
          method: request.method,
          headers: {
            ...(request.body === undefined || raw ? {} : { 'content-type': 'application/json' }),
            ...request.headers,
            ...(request.as ? { authorization: `Bearer ${tokens[request.as]}` } : {}),
          },
          ...(request.body === undefined
            ? {}
            : { body: raw ? (request.body as string) : JSON.stringify(request.body) }),
        });
        const text = await response.text();
        return { status: response.status, body: parseJson(text) };
      },
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/local/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  const body = parseJson(await response.text()) as { AuthenticationResult?: { AccessToken?: string } } | undefined;
  const token = body?.AuthenticationResult?.AccessToken;
  if (!response.ok || !token)
    throw new Error(`Signing in ${email} failed (${response.status}): ${JSON.stringify(body)}`);
  return token;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
