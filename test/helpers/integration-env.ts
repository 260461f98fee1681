import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ENV } from '../../shared/config.js';

/**
 * Runs before each integration test file, in its worker, before the file's imports: points
 * the handlers' configuration at this worker's DynamoDB Local and at a table of the file's own,
 * so files running side by side never see each other's data.
 */
/** This worker's own DynamoDB Local (see dynamodb-global-setup.ts); VITEST_POOL_ID runs from 1 to maxWorkers. */
const endpoints = inject('dynamodbEndpoints');
const workerSlot = Math.max(1, Number(process.env.VITEST_POOL_ID ?? 1));
const endpoint = endpoints[(workerSlot - 1) % endpoints.length];

Object.assign(process.env, {
  [ENV.identityMode]: 'local',
  [ENV.dynamoDbEndpoint]: endpoint,
  [ENV.tableName]: `roster-test-${randomUUID().slice(0, 13)}`,
  [ENV.appUrl]: 'http://localhost:3000',
  [ENV.mailFrom]: 'no-reply@roster.test',
  // Fixed fake credentials: no test can reach a real AWS account.
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  // Handlers log refusals at INFO; only failures belong in test output.
  POWERTOOLS_LOG_LEVEL: 'ERROR',
});
