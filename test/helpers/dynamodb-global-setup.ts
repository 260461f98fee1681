import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { freePort } from '../../local/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local's endpoint for this test run. */
    dynamodbEndpoint: string;
  }
}

/** A free port can be taken between the probe and java's bind; try a few. */
async function startOnFreePort(): Promise<DynamoDbLocal> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // A loaded 2-core machine can take well over 30 s to start the JVM.
      return await startDynamoDbLocal({ port: await freePort(), startTimeoutMs: 120_000, log: (line) => console.log(`[integration] ${line}`) });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Once per run, before the integration workers start: DynamoDB Local in memory on a free
 * port. Workers read the endpoint with inject('dynamodbEndpoint'); each test file makes its
 * own table. Stopped after the last file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startOnFreePort();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  // If the run dies without teardown, the JVM must not outlive it.
  const killJava = () => dynamo.process.kill('SIGKILL');
  process.once('exit', killJava);
  return async () => {
    process.off('exit', killJava);
    await dynamo.stop();
  };
}
