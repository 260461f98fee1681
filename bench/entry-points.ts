import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ROUTES } from '../infra/routes.js';
import { PROJECT_ROOT } from './paths.js';

/** One Lambda function's handler module, as the bench bundles it. */
export interface EntryPoint {
  /** Module path under functions/ without extension, as in ROUTES: `orgs/get-org`. */
  handler: string;
  /** Absolute path of the TypeScript entry. */
  file: string;
  /** `GET /v1/orgs/{orgId}` for each route it serves; empty for stream, scheduled and trigger functions. */
  routes: string[];
}

const FUNCTIONS_DIR = join(PROJECT_ROOT, 'functions');

/**
 * Every function the project deploys: each ROUTES handler (deduplicated) and every other module
 * under functions/ (stream, scheduled and Cognito trigger functions), so a new function is
 * benched the moment its file exists. Modules that turn out not to export `handler` are
 * dropped after bundling (see cold-start.ts), so a shared helper placed there does no harm.
 */
export async function listEntryPoints(): Promise<EntryPoint[]> {
  const byHandler = new Map<string, EntryPoint>();
  for (const route of ROUTES) {
    const file = join(FUNCTIONS_DIR, `${route.handler}.ts`);
    if (!existsSync(file))
      throw new Error(`ROUTES names ${route.handler}, but ${relative(PROJECT_ROOT, file)} does not exist`);
    const entry = byHandler.get(route.handler) ?? { handler: route.handler, file, routes: [] };
    entry.routes.push(`${route.method} ${route.path}`);
    byHandler.set(route.handler, entry);
  }
  const files = (await readdir(FUNCTIONS_DIR, { recursive: true })).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'),
  );
  for (const name of files) {
    const handler = name.slice(0, -'.ts'.length).split(sep).join('/');
    if (!byHandler.has(handler)) byHandler.set(handler, { handler, file: join(FUNCTIONS_DIR, name), routes: [] });
  }
  return [...byHandler.values()].sort((a, b) => a.handler.localeCompare(b.handler));
}
