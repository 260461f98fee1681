import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { PROJECT_ROOT } from '../../infra/constructs/api-function.js';
import { FALLBACK_ROUTES, ROUTES, type RouteDefinition } from '../../infra/routes.js';
import { addNagChecks, composeRoster, type RosterStacks } from '../../infra/stacks/roster.js';
import { readSettings } from '../../infra/stacks/settings.js';

/** The context `cdk synth` runs with, so the tests see the configured values. */
export const CDK_CONTEXT = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/**
 * Stub handler modules: NodejsFunction wants its entry to exist, under the project root.
 * node_modules/.cache is git-ignored; each test file stubs into a directory of its own,
 * removed when the file's tests end.
 */
const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache');
mkdirSync(CACHE_DIR, { recursive: true });
const STUB_ROOT = mkdtempSync(join(CACHE_DIR, 'roster-infra-tests-'));
afterAll(() => rmSync(STUB_ROOT, { recursive: true, force: true }));

function stubHandlers(routes: readonly Pick<RouteDefinition, 'handler'>[]): string {
  const dir = mkdtempSync(join(STUB_ROOT, 'functions-'));
  for (const route of routes) {
    const file = join(dir, `${route.handler}.ts`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'export const handler = async () => ({ statusCode: 204 });\n');
  }
  return dir;
}

export interface Synthesized {
  readonly app: App;
  readonly stacks: RosterStacks;
  readonly assembly: CloudAssembly;
}

/**
 * The whole Roster app as `cdk synth` builds it (cdk.json context, cdk-nag registered), with
 * asset bundling skipped (`aws:cdk:bundling-stacks: []`) and stub route handlers, so infra
 * tests check the infrastructure, not the handlers.
 */
export function synthRoster(
  options: { context?: Record<string, unknown>; routes?: readonly RouteDefinition[]; consoleDistDir?: string } = {},
): Synthesized {
  const routes = options.routes ?? ROUTES;
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...options.context } });
  const stacks = composeRoster(app, readSettings(app.node), {
    routes,
    functionsDir: stubHandlers([...routes, ...FALLBACK_ROUTES]),
    ...(options.consoleDistDir ? { consoleDistDir: options.consoleDistDir } : {}),
  });
  addNagChecks(app);
  return { app, stacks, assembly: app.synth() };
}
