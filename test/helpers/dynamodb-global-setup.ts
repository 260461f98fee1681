import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { freePort } from '../../local/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local endpoint per test worker slot (VITEST_POOL_ID 1, 2, …) of this run. */
    dynamodbEndpoints: string[];
  }
}

/** Workers that run integration files at once (vitest.config.ts maxWorkers). */
export const INTEGRATION_WORKERS = 2;

/** A free port can be taken between the probe and java's bind; try a few. */
async function startOnFreePort(): Promise<DynamoDbLocal> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // A loaded 2-core machine can take well over 30 s to start the JVM.
      return await startDynamoDbLocal({
        port: await freePort(),
        startTimeoutMs: 120_000,
        log: (line) => console.log(`[integration] ${line}`),
      });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Once per run, before the integration workers start: one DynamoDB Local (in memory, free
 * port) per worker slot. DynamoDB Local runs every write under one lock: with one emulator for
 * the whole run, a file of heavy imports starved the file beside it until its requests timed
 * out. Each worker now has an emulator of its own (integration-env.ts picks it by
 * VITEST_POOL_ID); each file still makes its own table. Stopped after the last file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await Promise.allSettled(Array.from({ length: INTEGRATION_WORKERS }, () => startOnFreePort()));
  const emulators = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stopAll = () => Promise.all(emulators.map((e) => e.stop()));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  project.provide(
    'dynamodbEndpoints',
    emulators.map((e) => e.endpoint),
  );
  // If the run dies without teardown, no JVM may outlive it.
  const killJava = () => emulators.forEach((e) => e.process.kill('SIGKILL'));
  process.once('exit', killJava);
  return async () => {
    process.off('exit', killJava);
    await stopAll();
  };
}
