import { readFileSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  matchesStreamFilter,
  queueUrlVariable,
  routeStreamRecord,
  STREAM_READERS,
} from '../../../shared/async/consumers.js';
import { dispatchStreamRecord, type WorkQueues } from '../../../shared/async/dispatch.js';
import { recordHandler } from '../../../shared/async/record-handler.js';
import { SqsWorkQueues } from '../../../shared/async/sqs-work-queues.js';

const sample = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../../events/${path}`, import.meta.url), 'utf8')) as T;
const context = {} as Context;

/** A stream record of the given event name and new image (strings only, as the filters read them). */
const streamRecord = (seq: string, eventName: 'INSERT' | 'MODIFY', image: Record<string, string>): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    SequenceNumber: seq,
    NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])),
  },
});

const outbox = (seq: string, id: string) => streamRecord(seq, 'INSERT', { entity: 'outbox', messageId: id });

describe('the shared record loop', () => {
  it('handles matching records in order and skips what its filters do not match', async () => {
    const seen: string[] = [];
    const handler = recordHandler({
      filters: STREAM_READERS.mailer.filters,
      parse: (image) => image.messageId as string,
      handle: async (id) => {
        seen.push(id);
      },
      onFailure: () => undefined,
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        outbox('1', 'a'),
        streamRecord('2', 'MODIFY', { entity: 'outbox', messageId: 'updated' }),
        streamRecord('3', 'INSERT', { entity: 'membership', messageId: 'other' }),
        outbox('4', 'b'),
      ],
    };
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['a', 'b']);
  });

  it('at the first failure stops, tells onFailure, and reports that record and every later one (stream sequence numbers)', async () => {
    const seen: string[] = [];
    const failures: string[] = [];
    const handler = recordHandler({
      filters: STREAM_READERS.mailer.filters,
      parse: (image) => image.messageId as string,
      handle: async (id) => {
        if (id === 'b') throw new Error('SES down');
        seen.push(id);
      },
      onFailure: (id) => failures.push(id),
    });
    const result = await handler({ Records: [outbox('1', 'a'), outbox('2', 'b'), outbox('3', 'c')] }, context);
    expect(seen).toEqual(['a']);
    expect(failures).toEqual(['b']);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '3' }] });
  });

  it('reads the stream records the dispatcher queued from SQS message bodies, reporting failures by message id', async () => {
    const event = sample<SQSEvent>('imports/run-import.json');
    const runs: unknown[] = [];
    const handler = recordHandler({
      filters: [{ eventName: 'MODIFY', newImage: { entity: 'importJob', status: 'queued' } }],
      parse: (image) => ({ importId: image.importId, runSeq: Number(image.runSeq) }),
      handle: async (run) => {
        runs.push(run);
        throw new Error('table unreachable');
      },
      onFailure: () => undefined,
    });
    const result = await handler(event, context);
    expect(runs).toEqual([{ importId: '3b9e2f4a-1c5d-4e6f-8a7b-9c0d1e2f3a4b', runSeq: expect.any(Number) as number }]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
  });
});

describe('routing (the dispatcher)', () => {
  it('sends the sample dispatcher event to the export writer and the import worker, in order, and nothing else', async () => {
    const sent: [string, string | undefined][] = [];
    const queues: WorkQueues = {
      send: async (worker, record) => {
        sent.push([worker, record.eventID]);
      },
    };
    const event = sample<DynamoDBStreamEvent>('async/dispatch-stream-records.json');
    for (const record of event.Records) await dispatchStreamRecord(queues, record);
    expect(sent.map(([worker]) => worker)).toEqual(['memberExportWriter', 'importWorker']);
    expect(await dispatchStreamRecord(queues, outbox('9', 'mail'))).toBeUndefined();
    expect(sent).toHaveLength(2);
  });

  it('routes an import only when it becomes queued, an export only when inserted', () => {
    const job = { entity: 'importJob', status: 'queued' };
    expect(routeStreamRecord(streamRecord('1', 'MODIFY', job))).toBe('importWorker');
    expect(routeStreamRecord(streamRecord('1', 'MODIFY', { ...job, status: 'running' }))).toBeUndefined();
    expect(routeStreamRecord(streamRecord('1', 'INSERT', job))).toBeUndefined();
    expect(routeStreamRecord(streamRecord('1', 'INSERT', { entity: 'memberExport' }))).toBe('memberExportWriter');
    expect(routeStreamRecord(streamRecord('1', 'MODIFY', { entity: 'memberExport' }))).toBeUndefined();
  });

  it('lets every record a worker takes through the dispatcher filters, and the mailer filter through only outbox inserts', () => {
    const { dispatcher, mailer } = STREAM_READERS;
    const job = streamRecord('1', 'MODIFY', { entity: 'importJob', status: 'queued' });
    expect(dispatcher.filters.some((f) => matchesStreamFilter(f, job))).toBe(true);
    expect(mailer.filters.some((f) => matchesStreamFilter(f, job))).toBe(false);
    expect(mailer.filters.some((f) => matchesStreamFilter(f, outbox('1', 'a')))).toBe(true);
    expect(dispatcher.filters.some((f) => matchesStreamFilter(f, outbox('1', 'a')))).toBe(false);
  });

  it('names the queue URL variables after the workers', () => {
    expect(queueUrlVariable('importWorker')).toBe('QUEUE_URL_IMPORT_WORKER');
    expect(queueUrlVariable('memberExportWriter')).toBe('QUEUE_URL_MEMBER_EXPORT_WRITER');
  });
});

describe('the SQS work queues', () => {
  it("send the record as it is to the worker's queue URL from the environment", async () => {
    const sent: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => void sent.push(command.input),
    } as unknown as SQSClient;
    const queues = new SqsWorkQueues(client, { QUEUE_URL_IMPORT_WORKER: 'https://sqs.example/import' });
    const record = streamRecord('1', 'MODIFY', { entity: 'importJob', status: 'queued' });
    await queues.send('importWorker', record);
    expect(sent).toEqual([{ QueueUrl: 'https://sqs.example/import', MessageBody: JSON.stringify(record) }]);
    await expect(queues.send('memberExportWriter', record)).rejects.toThrow(/QUEUE_URL_MEMBER_EXPORT_WRITER/);
  });
});
