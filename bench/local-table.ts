import { ENV, config } from '../shared/config.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { ensureTable } from '../local/ensure-table.js';
import { freePort } from '../local/ports.js';

export interface LocalTable {
  endpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

const TABLE_NAME = 'roster-bench';

/**
 * DynamoDB Local (in memory) on a free port with the single table created, and this process's
 * environment pointed at it the way the local stack runs the handlers: local identity, the
 * table, the endpoint. shared/config.ts reads the environment once, so it must not have been
 * read before; that is checked rather than assumed.
 */
export async function startLocalTable(progress: (line: string) => void): Promise<LocalTable> {
  const port = await freePort();
  // A shared, loaded machine can take well over the default 30 s to start the JVM.
  const dynamo = await startDynamoDbLocal({ port, log: progress, startTimeoutMs: 120_000 });
  // If the bench dies without stopping it, the JVM must not outlive it.
  const killJava = () => dynamo.process.kill('SIGKILL');
  process.once('exit', killJava);
  const stop = async () => {
    process.off('exit', killJava);
    await dynamo.stop();
  };
  try {
    await ensureTable(dynamo.endpoint, TABLE_NAME);
    Object.assign(process.env, {
      [ENV.tableName]: TABLE_NAME,
      [ENV.identityMode]: 'local',
      [ENV.dynamoDbEndpoint]: dynamo.endpoint,
      // Handlers log refusals at INFO; only failures belong in the bench's output.
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    if (config().dynamoDbEndpoint !== dynamo.endpoint) {
      throw new Error('shared/config.ts was read before the bench pointed it at DynamoDB Local');
    }
    return { endpoint: dynamo.endpoint, tableName: TABLE_NAME, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
