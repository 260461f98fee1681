import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { database } from '../shared/data/dynamo-client.js';
import type { TableAccess } from '../shared/data/table-access.js';
import { FUNCTIONS_DIR } from './paths.js';
import { guardTableAccess, tableAccessOfFunction, withTableAccess } from './table-access-guard.js';

// Events and results vary by trigger; callers know the shapes of the handlers they call.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of heterogeneous Lambda handlers
export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;

/**
 * Imports handler modules (`functions/<name>.ts`) on first use and keeps them, as a warm Lambda
 * would. npm start runs under tsx and tests under vitest, so TypeScript sources import directly.
 * Each call runs under the function's table access, as its IAM role would in AWS
 * (local/table-access-guard.ts); `tableAccess` replaces the declared one (tests of the guard).
 */
export function createHandlerLoader(
  functionsDir: string = FUNCTIONS_DIR,
  tableAccess: (name: string) => TableAccess = tableAccessOfFunction,
): (name: string) => Promise<LambdaHandler> {
  const cache = new Map<string, Promise<LambdaHandler>>();
  const load = async (name: string): Promise<LambdaHandler> => {
    const module = (await import(pathToFileURL(join(functionsDir, `${name}.ts`)).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function')
      throw new Error(`functions/${name}.ts does not export a handler function`);
    const handler = module.handler as LambdaHandler;
    guardTableAccess(database().client);
    const access = tableAccess(name);
    return (event, context) => withTableAccess(name, access, () => handler(event, context));
  };
  return (name) => {
    let pending = cache.get(name);
    if (!pending) {
      pending = load(name);
      // A failed import (say, a syntax error being fixed) is retried on the next request.
      pending.catch(() => cache.delete(name));
      cache.set(name, pending);
    }
    return pending;
  };
}
