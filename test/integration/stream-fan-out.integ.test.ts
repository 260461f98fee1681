import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import { QUEUE_WORKERS, STREAM_READERS } from '../../shared/async/consumers.js';
import { ensureTable } from '../../local/ensure-table.js';
import type { LambdaHandler } from '../../local/handler-loader.js';
import { startTableStream, type TableStream } from '../../local/table-stream.js';

/**
 * The local stack's stream fan-out, on DynamoDB Local's real table stream: the mailer reads
 * the stream itself; import and export records go through the dispatcher to their workers'
 * in-process queues. The handler modules are replaced by recorders, so the test can hold an
 * export "running" and watch mail go out meanwhile.
 */
let stream: TableStream;
const mailed: string[] = [];
const exportsStarted: string[] = [];
const importRuns: string[] = [];
let importAttempts = 0;
let releaseExport: () => void = () => undefined;
const exportHeld = new Promise<void>((resolve) => (releaseExport = resolve));

const handlers: Record<string, LambdaHandler> = {
  [STREAM_READERS.mailer.handler]: async (event: DynamoDBStreamEvent) => {
    for (const r of event.Records) mailed.push(r.dynamodb?.NewImage?.messageId?.S ?? '');
    return { batchItemFailures: [] };
  },
  [QUEUE_WORKERS.memberExportWriter.handler]: async (event: SQSEvent) => {
    for (const m of event.Records)
      exportsStarted.push(
        (JSON.parse(m.body) as { dynamodb: { NewImage: { exportId: { S: string } } } }).dynamodb.NewImage.exportId.S,
      );
    await exportHeld;
    return { batchItemFailures: [] };
  },
  // Fails its first delivery: the queue hands the message again, as SQS after the visibility timeout.
  [QUEUE_WORKERS.importWorker.handler]: async (event: SQSEvent) => {
    importAttempts += 1;
    if (importAttempts === 1) return { batchItemFailures: event.Records.map((m) => ({ itemIdentifier: m.messageId })) };
    for (const m of event.Records)
      importRuns.push(
        (JSON.parse(m.body) as { dynamodb: { NewImage: { importId: { S: string } } } }).dynamodb.NewImage.importId.S,
      );
    return { batchItemFailures: [] };
  },
};

beforeAll(async () => {
  const { dynamoDbEndpoint, tableName } = config();
  await ensureTable(dynamoDbEndpoint as string, tableName);
  stream = await startTableStream({
    endpoint: dynamoDbEndpoint as string,
    tableName,
    intervalMs: 100,
    loadHandler: (name) => {
      const handler = handlers[name];
      return handler ? Promise.resolve(handler) : Promise.reject(new Error(`no handler ${name} in this test`));
    },
  });
});

afterAll(async () => {
  releaseExport();
  await stream?.stop();
});

const put = (item: Record<string, unknown>) =>
  database().client.send(new PutCommand({ TableName: config().tableName, Item: item }));

async function eventually(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local stream fan-out (shared/async/consumers.ts)', () => {
  it('sends mail while an export is still running, and hands the export to its worker once', async () => {
    const orgId = randomUUID();
    const exportId = randomUUID();
    await put({ PK: `TEST#${orgId}`, SK: `EXPORT#${exportId}`, entity: 'memberExport', orgId, exportId });
    await eventually(() => exportsStarted.includes(exportId));
    const messageId = randomUUID();
    await put({ PK: `TEST#${messageId}`, SK: 'OUTBOX', entity: 'outbox', messageId });
    // The export is held; the mailer reads the stream on its own and is not behind it.
    await eventually(() => mailed.includes(messageId));
    expect(exportsStarted.filter((id) => id === exportId)).toHaveLength(1);
    releaseExport();
  });

  it('gives an import to its worker when it becomes queued, again after a failed delivery, and not for other updates', async () => {
    const orgId = randomUUID();
    const importId = randomUUID();
    const key = { PK: `TEST#${orgId}`, SK: `IMPORT#${importId}` };
    await put({ ...key, entity: 'importJob', orgId, importId, status: 'validated', runSeq: 0 });
    const setStatus = (status: string) =>
      database().client.send(
        new UpdateCommand({
          TableName: config().tableName,
          Key: key,
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': status },
        }),
      );
    await setStatus('queued');
    await eventually(() => importRuns.includes(importId));
    expect(importAttempts).toBe(2);
    await setStatus('running');
    const marker = randomUUID();
    await put({ PK: `TEST#${marker}`, SK: 'OUTBOX', entity: 'outbox', messageId: marker });
    await eventually(() => mailed.includes(marker));
    // The stream has moved past the update; nothing more reached the import worker.
    await new Promise((r) => setTimeout(r, 500));
    expect(importAttempts).toBe(2);
  });
});
