import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
        // A request timeout, because a request to DynamoDB Local was seen to hang on its socket until the
        // function's 29 s timeout (twice in CI, under a full test run); the SDK retries a TimeoutError, and
        // TransactWriteItems carries the SDK's ClientRequestToken, so a retried transaction is not applied twice.
        {
          endpoint: dynamoDbEndpoint,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          requestHandler: { requestTimeout: 10_000, connectionTimeout: 2_000 },
        }
      : {},
  );
  const client = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  shared = { client, tableName };
  return shared;
}
