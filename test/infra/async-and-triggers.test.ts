/**
 * CDK assertion tests on the functions off the request path: the outbox mailer on the table
 * stream (async stack) and the Cognito sign-in triggers (identity stack, or the async stack
 * when the pool is imported). The app is built as in roster-app.test.ts: cdk.json context,
 * asset bundling skipped, stub route handlers; the mailer and triggers use their real modules
 * (not bundled).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ApiFunction } from '../../infra/constructs/api-function.js';
import { PROJECT_ROOT } from '../../infra/constructs/api-function.js';
import { CDK_CONTEXT, synthRoster, type Synthesized } from '../helpers/synth-roster.js';
import { QUEUE_WORKERS, routeStreamRecord, SCHEDULED_JOBS, STREAM_READERS } from '../../shared/async/consumers.js';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/roster-table.js';
import { PARTITION_FAMILIES, type PartitionFamily } from '../../shared/data/keys.js';
import { SIGN_IN_TRIGGERS, type SignInTriggerName } from '../../shared/identity/sign-in-triggers.js';
import type { TableGrant } from '../../shared/operation.js';

const MAIL_FROM = CDK_CONTEXT.sesFromAddress as string;

let defaultApp: Synthesized | undefined;
/** The app with cdk.json's context, synthesized once for every test that needs no other. */
const synthDefault = (): Synthesized => (defaultApp ??= synthRoster());

/** A synth of the whole app takes seconds, more on a loaded machine. */
const SYNTH_TIMEOUT_MS = 120_000;

const IMPORTED_POOL = { existingUserPoolId: 'eu-west-1_Example1', existingUserPoolClientId: 'exampleclientid123' };

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
  Condition?: unknown;
}

interface CfnTemplate {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; DeletionPolicy?: string }
  >;
  Outputs?: Record<string, { Value: unknown }>;
}

const logicalIdOf = (stack: Stack, construct: IConstruct | undefined): string => {
  if (!construct) throw new Error('no construct');
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
};

/**
 * The async stack's stream consumers (outbox mailer, member export writer, import worker …):
 * each one function, one event source mapping, one dead-letter queue and its alarm.
 */
function streamConsumers(stack: Stack): { function: ApiFunction; deadLetterQueue: IConstruct }[] {
  return Object.values(stack).filter(
    (value): value is { function: ApiFunction; deadLetterQueue: IConstruct } =>
      typeof value === 'object' && value !== null && 'deadLetterQueue' in value && 'function' in value,
  );
}

const actionsOf = (statement: Statement): string[] =>
  (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).slice().sort();

/** The statements of the one policy attached to a function's role (ApiFunction keeps it to one). */
function statementsOf(stack: Stack, fn: ApiFunction): Statement[] {
  const roleId = logicalIdOf(stack, fn.role);
  const json = Template.fromStack(stack).toJSON() as CfnTemplate;
  const policies = Object.values(json.Resources).filter(
    (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
  );
  expect(policies).toHaveLength(1);
  return (policies[0]?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
}

const simplified = (statements: Statement[]) =>
  statements.map((s) => ({
    actions: actionsOf(s),
    resource: s.Resource,
    ...(s.Condition ? { condition: s.Condition } : {}),
  }));

/** Logical ids a resource refers to (Ref, Fn::GetAtt, DependsOn), pseudo parameters left out. */
function referencesOf(resource: CfnTemplate['Resources'][string]): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string' && !inner.startsWith('AWS::')) found.add(inner);
        else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') found.add(inner[0]);
        else walk(inner);
      }
    }
  };
  walk(resource.Properties);
  return found;
}

/** A dependency cycle among a template's resources, or undefined: CloudFormation refuses one. */
function findCycle(template: CfnTemplate): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done' || !template.Resources[id]) return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const next of referencesOf(template.Resources[id])) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(template.Resources)) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Lambda event filtering, for the equality-only patterns the mailer uses. */
function matchesFilter(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(event);
  if (!pattern || typeof pattern !== 'object' || !event || typeof event !== 'object') return false;
  return Object.entries(pattern).every(([key, inner]) => matchesFilter(inner, (event as Record<string, unknown>)[key]));
}

describe('outbox mailer (async stack)', () => {
  let synthesized: Synthesized;
  let template: Template;
  beforeAll(() => {
    synthesized = synthDefault();
    template = Template.fromStack(synthesized.stacks.async);
  }, SYNTH_TIMEOUT_MS);

  it('consumes the table stream from LATEST in batches of 10, invoked only for inserted outbox items', () => {
    const { stacks } = synthesized;
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', streamConsumers(stacks.async).length);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('Data:ExportsOutputFnGetAttRosterTable.*StreamArn') },
      FunctionName: { Ref: logicalIdOf(stacks.async, stacks.async.mailer.function.function) },
      StartingPosition: 'LATEST',
      BatchSize: 10,
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['outbox'] } } } }) },
        ],
      },
    });
  });

  it('lets the sample stream event through its filter, and no update or other entity', () => {
    const [mapping] = Object.values(
      template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: {
          FunctionName: {
            Ref: logicalIdOf(synthesized.stacks.async, synthesized.stacks.async.mailer.function.function),
          },
        },
      }),
    );
    const filters = (mapping?.Properties as { FilterCriteria: { Filters: { Pattern: string }[] } }).FilterCriteria
      .Filters;
    const pattern: unknown = JSON.parse(filters[0]?.Pattern ?? '{}');
    const sample = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events/mail/send-outbox-mail.json'), 'utf8')) as {
      Records: { eventName: string; dynamodb: { NewImage: Record<string, unknown> } }[];
    };
    const record = sample.Records[0];
    if (!record) throw new Error('the sample event has no record');
    expect(matchesFilter(pattern, record)).toBe(true);
    expect(matchesFilter(pattern, { ...record, eventName: 'MODIFY' })).toBe(false);
    expect(
      matchesFilter(pattern, {
        ...record,
        dynamodb: { ...record.dynamodb, NewImage: { ...record.dynamodb.NewImage, entity: { S: 'membership' } } },
      }),
    ).toBe(false);
  });

  it('reports failed records one by one, bisects failing batches, retries 8 times for at most an hour, then sends them to the dead-letter queue', () => {
    const { stacks } = synthesized;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 8,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalIdOf(stacks.async, stacks.async.mailer.deadLetterQueue), 'Arn'] },
        },
      },
    });
  });

  it('keeps dead letters 14 days in an encrypted, TLS-only queue, and alarms as soon as one is there', () => {
    const { stacks } = synthesized;
    const queueId = logicalIdOf(stacks.async, stacks.async.mailer.deadLetterQueue);
    // One dead-letter queue per consumer (stream readers and queue workers), each with its alarm,
    // and the two workers' own queues.
    template.resourceCountIs('AWS::SQS::Queue', streamConsumers(stacks.async).length + 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    // One per consumer's dead letters, and the seat sweeper's two (seat-sweeper.test.ts).
    template.resourceCountIs('AWS::CloudWatch::Alarm', streamConsumers(stacks.async).length + 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it("may only get and delete outbox items, update an invitation's delivery state, send mail as the configured identity, read the stream and write its dead-letter queue", () => {
    const { stacks } = synthesized;
    const stack = stacks.async;
    const { mailer } = stack;
    const tableArn = {
      'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttRosterTable\w+Arn/) as unknown,
    };
    const streamArn = {
      'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttRosterTable\w+StreamArn/) as unknown,
    };
    const identityArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:identity/${MAIL_FROM}`,
        ],
      ],
    };
    const statements = statementsOf(stack, mailer.function);
    expect(simplified(statements)).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resource: { 'Fn::GetAtt': [logicalIdOf(stack, mailer.function.logGroup), 'Arn'] },
      },
      { actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resource: '*' },
      {
        actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } },
      },
      {
        // A mail refused for good, marked failed in place and moved to the failed-mail index partition.
        actions: ['dynamodb:UpdateItem'],
        resource: tableArn,
        condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] },
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['PK', 'SK', 'state', 'failedReason', 'failedAt', 'GSI1PK', 'GSI1SK'],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        },
      },
      {
        // The invitation's delivery state, and nothing else of it.
        actions: ['dynamodb:UpdateItem'],
        resource: tableArn,
        condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ORG#*'] },
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['PK', 'SK', 'status', 'delivery', 'deliveryAt', 'deliveryError', 'deliverySendId'],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        },
      },
      { actions: ['ses:SendEmail'], resource: identityArn },
      {
        // Opens sealed mail links (shared/mail/mail-link.ts), under that purpose only.
        actions: ['kms:Decrypt'],
        resource: {
          'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttSecretsKey\w+Arn/) as unknown,
        },
        condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'mail-link' } },
      },
      {
        actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        resource: { 'Fn::GetAtt': [logicalIdOf(stack, mailer.deadLetterQueue), 'Arn'] },
      },
      { actions: ['dynamodb:ListStreams'], resource: streamArn },
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resource: streamArn },
    ]);
    const allActions = statements.flatMap(actionsOf);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'ses:SendRawEmail']) {
      expect(allActions).not.toContain(forbidden);
    }
  });

  it('gives the mailer the house environment, MAIL_FROM being sesFromAddress, and a 30 s timeout', () => {
    // The scheduled jobs (invitation expiry, seat sweeper, SSO provider reconciler) and the stream consumers (the mailer among them).
    template.resourceCountIs(
      'AWS::Lambda::Function',
      Object.keys(SCHEDULED_JOBS).length + streamConsumers(synthesized.stacks.async).length,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Timeout: 30,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Data:ExportsOutputRefRosterTable') },
          USER_POOL_ID: { 'Fn::ImportValue': Match.stringLikeRegexp('Identity:ExportsOutputRefIdentityUserPool') },
          MAIL_FROM: MAIL_FROM,
          IDENTITY_MODE: 'cognito',
        }),
      },
    });
  });

  it('creates the SES email identity of sesFromAddress in the data stack, retained', () => {
    const data = Template.fromStack(synthesized.stacks.data);
    data.resourceCountIs('AWS::SES::EmailIdentity', 1);
    data.hasResource('AWS::SES::EmailIdentity', {
      Properties: { EmailIdentity: MAIL_FROM },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('with sesCreateEmailIdentity false, creates no identity and lets SendEmail use only the address or its domain', () => {
    const { stacks } = synthRoster({
      context: { sesFromAddress: 'mail@roster.example.org', sesCreateEmailIdentity: 'false' },
    });
    Template.fromStack(stacks.data).resourceCountIs('AWS::SES::EmailIdentity', 0);
    const ses = statementsOf(stacks.async, stacks.async.mailer.function).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ses:')),
    );
    expect(ses).toHaveLength(1);
    expect(actionsOf(ses[0] as Statement)).toEqual(['ses:SendEmail']);
    const resources = JSON.stringify(ses[0]?.Resource);
    expect(resources).toContain(':identity/mail@roster.example.org"');
    expect(resources).toContain(':identity/roster.example.org"');
    expect((ses[0]?.Resource as unknown[]).length).toBe(2);
  });
});

describe('CSV import worker (async stack)', () => {
  let synthesized: Synthesized;
  let template: Template;
  beforeAll(() => {
    synthesized = synthDefault();
    template = Template.fromStack(synthesized.stacks.async);
  }, SYNTH_TIMEOUT_MS);

  it('reads its own queue one import at a time, reporting failures, and gets the sample commit from the dispatcher: not inserts, progress updates or other entities', () => {
    const { stacks } = synthesized;
    const { importWorker, streamDispatcher } = stacks.async;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stacks.async, importWorker.function.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stacks.async, importWorker.queue), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const [mapping] = Object.values(
      template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: { Ref: logicalIdOf(stacks.async, streamDispatcher.function.function) } },
      }),
    );
    const patterns = (
      mapping?.Properties as { FilterCriteria: { Filters: { Pattern: string }[] } }
    ).FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern) as unknown);
    const sample = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events/imports/run-import.json'), 'utf8')) as {
      Records: { body: string }[];
    };
    const record = JSON.parse(sample.Records[0]?.body ?? '{}') as {
      eventName: string;
      dynamodb: { NewImage: Record<string, unknown> };
    };
    const withImage = (image: Record<string, unknown>) => ({
      ...record,
      dynamodb: { ...record.dynamodb, NewImage: { ...record.dynamodb.NewImage, ...image } },
    });
    const dispatched = (r: typeof record) =>
      patterns.some((p) => matchesFilter(p, r)) ? routeStreamRecord(r as never) : undefined;
    expect(dispatched(record)).toBe('importWorker');
    expect(dispatched({ ...record, eventName: 'INSERT' })).toBeUndefined();
    expect(dispatched(withImage({ status: { S: 'running' } }))).toBeUndefined();
    expect(dispatched(withImage({ entity: { S: 'outbox' } }))).toBeUndefined();
  });

  it('hides a message longer than the worker runs, and dead-letters it after its deliveries into an encrypted, TLS-only queue with an alarm', () => {
    const { stacks } = synthesized;
    const { importWorker } = stacks.async;
    const json = template.toJSON() as CfnTemplate;
    const queue = json.Resources[logicalIdOf(stacks.async, importWorker.queue)]?.Properties ?? {};
    const timeout = json.Resources[logicalIdOf(stacks.async, importWorker.function.function)]?.Properties?.Timeout;
    expect(queue.VisibilityTimeout as number).toBeGreaterThan(timeout as number);
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stacks.async, importWorker.deadLetterQueue), 'Arn'] },
      },
    });
    for (const q of [importWorker.queue, importWorker.deadLetterQueue])
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(stacks.async, q) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(stacks.async, importWorker.deadLetterQueue), 'QueueName'] },
        },
      ],
    });
  });

  it('runs up to 15 minutes and may do nothing with the user pool (imported people get their identity when first needed)', () => {
    const { stacks } = synthesized;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('CSV imports'),
      Timeout: 900,
    });
    const cognito = statementsOf(stacks.async, stacks.async.importWorker.function).filter((st) =>
      actionsOf(st).some((a) => a.startsWith('cognito-idp:')),
    );
    expect(cognito).toEqual([]);
  });
});

describe('stream dispatcher (async stack)', () => {
  it("may send messages to the two workers' queues, knows their URLs, and has no table access beyond the stream", () => {
    const { stacks } = synthDefault();
    const stack = stacks.async;
    const { streamDispatcher, importWorker, memberExportWriter } = stack;
    const statements = simplified(statementsOf(stack, streamDispatcher.function));
    for (const queue of [importWorker.queue, memberExportWriter.queue])
      expect(statements).toContainEqual({
        actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        resource: { 'Fn::GetAtt': [logicalIdOf(stack, queue), 'Arn'] },
      });
    const dynamodb = statements.flatMap((s) => s.actions).filter((a) => a.startsWith('dynamodb:'));
    expect(dynamodb.sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          QUEUE_URL_IMPORT_WORKER: { Ref: logicalIdOf(stack, importWorker.queue) },
          QUEUE_URL_MEMBER_EXPORT_WRITER: { Ref: logicalIdOf(stack, memberExportWriter.queue) },
        }),
      },
    });
  });
});

describe('sign-in triggers on a pool Roster creates (identity stack)', () => {
  let synthesized: Synthesized;
  let json: CfnTemplate;
  const identityStack = () => {
    if (!synthesized.stacks.identity) throw new Error('the identity stack is missing');
    return synthesized.stacks.identity;
  };
  beforeAll(() => {
    synthesized = synthDefault();
    json = Template.fromStack(identityStack()).toJSON() as CfnTemplate;
  }, SYNTH_TIMEOUT_MS);

  const lambdaArnOf = (name: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':lambda:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:function:${name}`,
      ],
    ],
  });

  it('attaches pre-/post-authentication and pre-token generation (V2) to the pool (LambdaConfig), naming each by the ARN of its fixed function name', () => {
    const stack = identityStack();
    const template = Template.fromStack(stack);
    const pre = `${stack.stackName}-pre-authentication`;
    const post = `${stack.stackName}-post-authentication`;
    const token = `${stack.stackName}-pre-token-generation`;
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreAuthentication: lambdaArnOf(pre),
        PostAuthentication: lambdaArnOf(post),
        PreTokenGenerationConfig: { LambdaArn: lambdaArnOf(token), LambdaVersion: 'V2_0' },
        PreSignUp: lambdaArnOf(`${stack.stackName}-pre-sign-up`),
        UserMigration: lambdaArnOf(`${stack.stackName}-user-migration`),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: pre, Timeout: 5 });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: post, Timeout: 5 });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: token, Timeout: 5 });
    // No other stack holds a trigger.
    expect(synthesized.stacks.async.signInTriggers).toBeUndefined();
  });

  it('gives the pool the immutable roster_user_id attribute an identity created for an existing Roster user carries', () => {
    Template.fromStack(identityStack()).hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'roster_user_id', AttributeDataType: 'String', Mutable: false }),
      ]),
    });
  });

  it('lets only this pool invoke the triggers, each permission created after its function', () => {
    const stack = identityStack();
    const poolId = logicalIdOf(stack, stack.identity.ownedUserPool);
    const permissions = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(5);
    for (const fn of [
      stack.signInTriggers.preSignUp,
      stack.signInTriggers.userMigration,
      stack.signInTriggers.preAuthentication,
      stack.signInTriggers.postAuthentication,
      stack.signInTriggers.preTokenGeneration,
    ]) {
      const fnId = logicalIdOf(stack, fn.function);
      expect(permissions.map((p) => p.Properties)).toContainEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] },
      });
    }
  });

  it('grants pre-authentication only a Query on GSI1 and reads of user, org and SSO domain items, post-authentication that, UpdateItem on user and membership items, GetItem on user items and AdminGetUser on this pool, pre-token generation GetItem and UpdateItem on user items and AdminGetUser', () => {
    const stack = identityStack();
    const { preAuthentication, postAuthentication, preTokenGeneration } = stack.signInTriggers;
    const tableArn = {
      'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttRosterTable\w+Arn/) as unknown,
    };
    const gsi1 = { 'Fn::Join': ['', [tableArn, '/index/GSI1']] };
    const poolArn = { 'Fn::GetAtt': [logicalIdOf(stack, stack.identity.ownedUserPool), 'Arn'] };
    const common = (fn: ApiFunction) => [
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resource: { 'Fn::GetAtt': [logicalIdOf(stack, fn.logGroup), 'Arn'] },
      },
      { actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resource: '*' },
    ];
    expect(simplified(statementsOf(stack, preAuthentication))).toEqual([
      ...common(preAuthentication),
      { actions: ['dynamodb:Query'], resource: gsi1 },
      {
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*', 'ORG#*', 'SSODOMAIN#*'] } },
      },
    ]);
    expect(simplified(statementsOf(stack, postAuthentication))).toEqual([
      ...common(postAuthentication),
      { actions: ['dynamodb:Query'], resource: gsi1 },
      {
        actions: ['dynamodb:UpdateItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*', 'ORG#*'] } },
      },
      {
        actions: ['dynamodb:GetItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } },
      },
      { actions: ['cognito-idp:AdminGetUser'], resource: poolArn },
    ]);
    // A federated sign-in (completeFederatedSignIn) writes user, membership, counters and audit: the table's read-write grant.
    const tokenStatements = simplified(statementsOf(stack, preTokenGeneration));
    expect(tokenStatements).toContainEqual({ actions: ['cognito-idp:AdminGetUser'], resource: poolArn });
    expect(JSON.stringify(tokenStatements)).toContain('dynamodb:PutItem');
    expect(JSON.stringify(tokenStatements)).not.toMatch(/IdentityProvider|UserPoolClient/);
    const signUpStatements = simplified(statementsOf(stack, stack.signInTriggers.preSignUp));
    expect(signUpStatements).toContainEqual({
      actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminLinkProviderForUser'],
      resource: poolArn,
    });
    expect(JSON.stringify(signUpStatements)).not.toMatch(/IdentityProvider|UserPoolClient/);
    // User migration only reads: Cognito creates the identity from its answer.
    const migrationStatements = JSON.stringify(statementsOf(stack, stack.signInTriggers.userMigration));
    expect(migrationStatements).toContain('dynamodb:GetItem');
    expect(migrationStatements).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem)|cognito-idp/);
  });

  it('gives the triggers the pool id in their environment without a dependency cycle (pool → trigger → pool)', () => {
    const stack = identityStack();
    const poolId = logicalIdOf(stack, stack.identity.ownedUserPool);
    Template.fromStack(stack).allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ USER_POOL_ID: { Ref: poolId } }) },
    });
    expect(referencesOf(json.Resources[poolId] ?? { Type: '' }).size).toBe(0);
    expect(findCycle(json)).toBeUndefined();
  });
});

describe('sign-in triggers on an imported pool (async stack)', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthRoster({ context: IMPORTED_POOL });
  }, SYNTH_TIMEOUT_MS);

  it('builds both triggers in the async stack, unattached, invokable by the imported pool only, their ARNs exported for the operator', () => {
    const { stacks } = synthesized;
    expect(stacks.identity).toBeUndefined();
    const triggers = stacks.async.signInTriggers;
    if (!triggers) throw new Error('no sign-in triggers in the async stack');
    expect(triggers.attached).toBe(false);
    const template = Template.fromStack(stacks.async);
    const json = template.toJSON() as CfnTemplate;
    // The scheduled jobs, five triggers and the stream consumers, none with a fixed name (nothing must address them before they exist).
    template.resourceCountIs(
      'AWS::Lambda::Function',
      Object.keys(SCHEDULED_JOBS).length + 5 + streamConsumers(stacks.async).length,
    );
    template.allResourcesProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Environment: { Variables: Match.objectLike({ USER_POOL_ID: IMPORTED_POOL.existingUserPoolId }) },
    });
    for (const stack of [stacks.data, stacks.api, stacks.async]) {
      Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPool', 0);
    }
    const permissions = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(5);
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({ Principal: 'cognito-idp.amazonaws.com' });
      expect(JSON.stringify(permission.Properties?.SourceArn)).toMatch(/:userpool\/eu-west-1_Example1"/);
    }
    for (const [output, fn] of [
      ['PreAuthenticationTriggerArn', triggers.preAuthentication],
      ['PostAuthenticationTriggerArn', triggers.postAuthentication],
      ['PreTokenGenerationTriggerArn', triggers.preTokenGeneration],
    ] as const) {
      expect(json.Outputs?.[output]?.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(stacks.async, fn.function), 'Arn'] });
    }
    expect(JSON.stringify(statementsOf(stacks.async, triggers.postAuthentication))).toMatch(
      /"Action":"cognito-idp:AdminGetUser".*:userpool\/eu-west-1_Example1"/,
    );
  });

  it('still finds nothing unacknowledged', () => {
    const report = JSON.parse(readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
  });
});

describe('cdk-nag and resource headroom with the async stack and triggers', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthDefault();
  }, SYNTH_TIMEOUT_MS);

  it('finds nothing unacknowledged: the synth passed and the validation report is empty', () => {
    const report = JSON.parse(readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
  });

  it("acknowledges AwsSolutions-SQS3 on the stream readers' dead-letter queues only (a worker's is its queue's redrive target), saying why", () => {
    const acknowledgedAt: string[] = [];
    for (const construct of synthesized.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          if (!id.replace(/^annotation::/i, '').startsWith('AwsSolutions-SQS')) continue;
          acknowledgedAt.push(construct.node.path);
          expect(reason).toMatch(/dead-letter/);
        }
      }
    }
    const { mailer, streamDispatcher } = synthesized.stacks.async;
    expect(acknowledgedAt.sort()).toEqual([mailer, streamDispatcher].map((c) => c.deadLetterQueue.node.path).sort());
  });

  it('keeps data, identity and async stacks far under the 500-resource limit', () => {
    const { stacks } = synthesized;
    const counts = Object.fromEntries(
      [stacks.data, stacks.identity, stacks.async].map((stack) => {
        if (!stack) throw new Error('missing stack');
        return [stack.node.path, Object.keys((Template.fromStack(stack).toJSON() as CfnTemplate).Resources).length];
      }),
    );
    console.info(
      Object.entries(counts)
        .map(([path, n]) => `${path}: ${n}`)
        .join(', '),
    );
    for (const [path, count] of Object.entries(counts)) expect(count, path).toBeLessThanOrEqual(450);
  });
});

describe('table access of the functions off the request path, as declared with them', () => {
  const itemActions: readonly string[] = [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
  const writeActions: readonly string[] = TABLE_WRITE_ACTIONS;
  const leadingKeysOf = (condition: unknown): string[] | undefined => {
    const operators = (condition ?? {}) as Record<string, { 'dynamodb:LeadingKeys'?: string[] } | undefined>;
    return (
      operators['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ??
      operators['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys']
    );
  };

  it("narrows each consumer and trigger to the families its entry declares: every granted leading key is a declared family's, every declared family is granted, nothing is written where it declares reads", () => {
    const { stacks } = synthDefault();
    const identity = stacks.identity;
    if (!identity) throw new Error('the identity stack is missing');
    const functions: [string, Stack, ApiFunction, TableGrant][] = [
      ['mailer', stacks.async, stacks.async.mailer.function, STREAM_READERS.mailer.table],
      ['dispatcher', stacks.async, stacks.async.streamDispatcher.function, STREAM_READERS.dispatcher.table],
      ['importWorker', stacks.async, stacks.async.importWorker.function, QUEUE_WORKERS.importWorker.table],
      [
        'memberExportWriter',
        stacks.async,
        stacks.async.memberExportWriter.function,
        QUEUE_WORKERS.memberExportWriter.table,
      ],
      ['invitationExpiry', stacks.async, stacks.async.invitationExpiry.function, SCHEDULED_JOBS.invitationExpiry.table],
      ['seatSweeper', stacks.async, stacks.async.seatSweeper.function, SCHEDULED_JOBS.seatSweeper.table],
      [
        'ssoProviderReconciler',
        stacks.async,
        stacks.async.ssoProviderReconciler.function,
        SCHEDULED_JOBS.ssoProviderReconciler.table,
      ],
      ...(Object.keys(SIGN_IN_TRIGGERS) as SignInTriggerName[]).map(
        (name): [string, Stack, ApiFunction, TableGrant] => [
          name,
          identity,
          identity.signInTriggers[name],
          SIGN_IN_TRIGGERS[name].table,
        ],
      ),
    ];
    // Families reached only by a Query on a sparse index, a statement IAM cannot narrow by leading key.
    const indexOnly: Partial<Record<string, PartitionFamily[]>> = {
      invitationExpiry: ['INVEXP'],
      seatSweeper: ['LEASE'],
    };
    for (const [name, stack, fn, declared] of functions) {
      const table = statementsOf(stack, fn).filter((s) => actionsOf(s).some((a) => itemActions.includes(a)));
      if (declared === 'none') {
        expect(table, name).toEqual([]);
        continue;
      }
      const granted = new Set<string>();
      for (const statement of table) {
        const keys = leadingKeysOf(statement.Condition);
        if (keys) keys.forEach((key) => granted.add(key));
        else {
          // Unnarrowed, so only a Query on an index.
          expect(actionsOf(statement), name).toEqual(['dynamodb:Query']);
          expect(JSON.stringify(statement.Resource), name).toMatch(/\/index\/GSI\d+"/);
        }
        if (declared.access === 'read')
          expect(actionsOf(statement).filter((a) => writeActions.includes(a))).toEqual([]);
      }
      const expected = (declared.families ?? []).filter((family) => !indexOnly[name]?.includes(family));
      expect([...granted].sort(), name).toEqual(expected.map((family) => PARTITION_FAMILIES[family]).sort());
    }
  });
});
