import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fairSlots } from '../concurrency.js';
import { config } from '../config.js';

/** The document client every repository uses; built once per process. */
export interface Database {
  client: DynamoDBDocumentClient;
  tableName: string;
}

let shared: Database | undefined;

export function database(): Database {
  if (shared) return shared;
  const { tableName, dynamoDbEndpoint } = config();
  const raw = new DynamoDBClient(
    dynamoDbEndpoint
      ? // DynamoDB Local accepts any credentials; fixed ones keep local mode off the credential chain.
        { endpoint: dynamoDbEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
  if (dynamoDbEndpoint) limitLocalConcurrency(raw);
  const client = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  shared = { client, tableName };
  return shared;
}

/** Requests one process has in flight to DynamoDB Local at most; the rest queue here in arrival order. */
export const LOCAL_IN_FLIGHT_LIMIT = 4;

/**
 * DynamoDB Local runs every write under one lock that it hands out in no particular order: with
 * dozens of concurrent transactions on a loaded machine, one request can wait past the emulator's
 * lock timeout and fail with InternalServerError ("too long waiting for a lock. This request will
 * succeed in actual DynamoDB API"); retried three times, that outlasts the function's 29 s timeout.
 * A first-come-first-served queue in front of it bounds every wait. Conditions and transactions
 * are still DynamoDB's, so concurrency tests keep their meaning; AWS needs none of this.
 */
function limitLocalConcurrency(client: DynamoDBClient): void {
  const slots = fairSlots(LOCAL_IN_FLIGHT_LIMIT);
  client.middlewareStack.add(
    (next) => async (args) => {
      const release = await slots.acquire();
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    // The deserialize step runs once per attempt, inside the retry middleware: a retry queues again.
    { step: 'deserialize', name: 'localInFlightLimit', priority: 'low' },
  );
}
