/**
 * The async stack is what shared/async/consumers.ts declares: each stream reader's event
 * source mapping, each queue worker's queue and mapping, each schedule, and each consumer's
 * function settings equal its table entry, and nothing else reads the table stream.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ApiFunction } from '../../infra/constructs/api-function.js';
import {
  QUEUE_WORKERS,
  SCHEDULED_JOBS,
  STREAM_READERS,
  visibilityTimeoutSeconds,
  type QueueWorkerName,
  type ScheduledJobName,
  type StreamReaderName,
} from '../../shared/async/consumers.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

const logicalIdOf = (stack: Stack, construct: IConstruct): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

let synthesized: Synthesized;
let resources: Record<string, Resource>;
beforeAll(() => {
  synthesized = synthRoster();
  resources = (Template.fromStack(synthesized.stacks.async).toJSON() as { Resources: Record<string, Resource> })
    .Resources;
}, 120_000);

const mappingsOf = (fn: ApiFunction): Resource[] => {
  const id = logicalIdOf(synthesized.stacks.async, fn.function);
  return Object.values(resources).filter(
    (r) =>
      r.Type === 'AWS::Lambda::EventSourceMapping' &&
      JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ Ref: id }),
  );
};

const functionOf = (fn: ApiFunction): Record<string, unknown> =>
  resources[logicalIdOf(synthesized.stacks.async, fn.function)]?.Properties ?? {};

const expectFunctionAsDeclared = (
  fn: ApiFunction,
  consumer: { timeoutSeconds: number; memoryMb?: number; description: string },
) =>
  expect(functionOf(fn)).toMatchObject({
    Timeout: consumer.timeoutSeconds,
    MemorySize: consumer.memoryMb ?? 512,
    Description: consumer.description,
  });

describe('the async stack is the consumers table (shared/async/consumers.ts)', () => {
  it('has exactly two readers on the table stream, the declared ones, each mapped as its entry says', () => {
    const stack = synthesized.stacks.async;
    const readers: Record<StreamReaderName, { function: ApiFunction; deadLetterQueue: IConstruct }> = {
      mailer: stack.mailer,
      dispatcher: stack.streamDispatcher,
    };
    const streamMappings = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' &&
        JSON.stringify(r.Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(streamMappings).toHaveLength(2);
    for (const [name, reader] of Object.entries(STREAM_READERS) as [
      StreamReaderName,
      (typeof STREAM_READERS)[StreamReaderName],
    ][]) {
      const construct = readers[name];
      const [mapping, ...others] = mappingsOf(construct.function);
      expect(others, name).toEqual([]);
      expect(mapping?.Properties, name).toMatchObject({
        StartingPosition: 'LATEST',
        BatchSize: reader.batchSize,
        MaximumRetryAttempts: reader.retryAttempts,
        MaximumRecordAgeInSeconds: reader.maxRecordAgeSeconds,
        BisectBatchOnFunctionError: reader.bisectBatchOnError,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack, construct.deadLetterQueue), 'Arn'] } },
        },
      });
      // Lambda's pattern, written out: equality on the event name and each new-image string.
      const patterns = (mapping?.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map(
        (f) => JSON.parse(f.Pattern) as unknown,
      );
      expect(patterns, name).toEqual(
        reader.filters.map((filter) => ({
          eventName: [filter.eventName],
          dynamodb: {
            NewImage: Object.fromEntries(Object.entries(filter.newImage).map(([k, v]) => [k, { S: [v] }])),
          },
        })),
      );
      expectFunctionAsDeclared(construct.function, reader);
    }
  });

  it('gives each queue worker its queue, mapped and dead-lettered as its entry says, hidden longer than the worker runs', () => {
    const stack = synthesized.stacks.async;
    const workers: Record<QueueWorkerName, { function: ApiFunction; queue: IConstruct; deadLetterQueue: IConstruct }> =
      {
        importWorker: stack.importWorker,
        memberExportWriter: stack.memberExportWriter,
      };
    for (const [name, worker] of Object.entries(QUEUE_WORKERS) as [
      QueueWorkerName,
      (typeof QUEUE_WORKERS)[QueueWorkerName],
    ][]) {
      const construct = workers[name];
      const [mapping, ...others] = mappingsOf(construct.function);
      expect(others, name).toEqual([]);
      expect(mapping?.Properties, name).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, construct.queue), 'Arn'] },
        BatchSize: worker.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: worker.maxConcurrency },
      });
      const queue = resources[logicalIdOf(stack, construct.queue)]?.Properties;
      expect(queue, name).toMatchObject({
        VisibilityTimeout: visibilityTimeoutSeconds(worker),
        RedrivePolicy: {
          maxReceiveCount: worker.maxReceiveCount,
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stack, construct.deadLetterQueue), 'Arn'] },
        },
      });
      expect(queue?.VisibilityTimeout as number).toBeGreaterThan(worker.timeoutSeconds);
      expectFunctionAsDeclared(construct.function, worker);
    }
  });

  it('schedules each job at its rate, with its retries, invoking its function', () => {
    const stack = synthesized.stacks.async;
    const jobs: Record<ScheduledJobName, { function: ApiFunction; schedule: IConstruct }> = {
      invitationExpiry: stack.invitationExpiry,
      seatSweeper: stack.seatSweeper,
      ssoProviderReconciler: stack.ssoProviderReconciler,
    };
    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(Object.keys(SCHEDULED_JOBS).length);
    for (const [name, job] of Object.entries(SCHEDULED_JOBS) as [
      ScheduledJobName,
      (typeof SCHEDULED_JOBS)[ScheduledJobName],
    ][]) {
      const construct = jobs[name];
      expect(resources[logicalIdOf(stack, construct.schedule)]?.Properties, name).toMatchObject({
        ScheduleExpression: `rate(${job.rateMinutes} minutes)`,
        Target: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack, construct.function.function), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: job.retryAttempts, MaximumEventAgeInSeconds: job.maxEventAgeSeconds },
        },
      });
      expectFunctionAsDeclared(construct.function, job);
    }
  });
});
