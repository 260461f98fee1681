import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { FUNCTIONS_DIR } from './paths.js';

// Events and results vary by trigger; callers know the shapes of the handlers they call.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of heterogeneous Lambda handlers
export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;

/**
 * Imports handler modules (`functions/<name>.ts`) on first use and keeps them, as a warm Lambda
 * would. npm start runs under tsx and tests under vitest, so TypeScript sources import directly.
 */
export function createHandlerLoader(functionsDir: string = FUNCTIONS_DIR): (name: string) => Promise<LambdaHandler> {
  const cache = new Map<string, Promise<LambdaHandler>>();
  const load = async (name: string): Promise<LambdaHandler> => {
    const module = (await import(pathToFileURL(join(functionsDir, `${name}.ts`)).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function')
      throw new Error(`functions/${name}.ts does not export a handler function`);
    return module.handler as LambdaHandler;
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
