/**
 * CDK assertion tests on the large member export: the exports bucket (data stack), the writer
 * on the table stream (async stack) and the status function that signs download links.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { PROJECT_ROOT, type ApiFunction } from '../../infra/constructs/api-function.js';
import { TABLE_READ_ACTIONS } from '../../infra/constructs/roster-table.js';
import { ROUTES } from '../../infra/routes.js';
import { routeStreamRecord } from '../../shared/async/consumers.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
}

const logicalIdOf = (stack: Stack, construct: IConstruct): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]).slice().sort();

function statementsOf(stack: Stack, fn: ApiFunction): Statement[] {
  const roleId = logicalIdOf(stack, fn.role);
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter(
    (r) => JSON.stringify((r.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: roleId }]),
  );
  expect(policies).toHaveLength(1);
  return (policies[0]?.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
}

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthRoster();
}, 120_000);

describe('exports bucket (data stack)', () => {
  it('is private, encrypted, TLS-only, unversioned, logged, and deletes exports after a day', () => {
    const { stacks } = synthesized;
    const data = Template.fromStack(stacks.data);
    const bucketId = logicalIdOf(stacks.data, stacks.data.exportBucket.bucket);
    const logsId = logicalIdOf(stacks.data, stacks.data.exportBucket.accessLogBucket);
    const bucket = data.toJSON().Resources[bucketId] as { Properties: Record<string, unknown>; DeletionPolicy: string };
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'exports-bucket/' },
      LifecycleConfiguration: {
        Rules: [
          {
            Prefix: 'exports/',
            ExpirationInDays: 1,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
    });
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    expect(bucket.Properties.AccessControl).toBeUndefined();
    for (const id of [bucketId, logsId]) {
      data.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
    // Log delivery through the bucket policy, not an ACL.
    expect(
      (data.toJSON().Resources[logsId] as { Properties: Record<string, unknown> }).Properties.AccessControl,
    ).toBeUndefined();
  });
});

describe('member export writer (async stack)', () => {
  it('reads its own queue one job at a time, reporting failures; the dispatcher routes the sample job to it, no update or other entity', () => {
    const { stacks } = synthesized;
    const template = Template.fromStack(stacks.async);
    const { memberExportWriter } = stacks.async;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stacks.async, memberExportWriter.function.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stacks.async, memberExportWriter.queue), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const sample = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events/exports/write-member-export.json'), 'utf8')) as {
      Records: { body: string }[];
    };
    const record = JSON.parse(sample.Records[0]?.body ?? '{}') as {
      eventName: string;
      dynamodb: { NewImage: Record<string, unknown> };
    };
    expect(routeStreamRecord(record as never)).toBe('memberExportWriter');
    expect(routeStreamRecord({ ...record, eventName: 'MODIFY' } as never)).toBeUndefined();
    expect(
      routeStreamRecord({
        ...record,
        dynamodb: { NewImage: { ...record.dynamodb.NewImage, entity: { S: 'outbox' } } },
      } as never),
    ).toBeUndefined();
  });

  it('may read the table, update items, and put objects under the exports prefix only; knows the bucket', () => {
    const { stacks } = synthesized;
    const writer = stacks.async.memberExportWriter.function;
    const statements = statementsOf(stacks.async, writer).map((s) => ({ actions: actionsOf(s), resource: s.Resource }));
    const objectsArn = stacks.async.resolve(stacks.data.exportBucket.exportObjectsArn()) as unknown;
    expect(statements).toContainEqual({ actions: ['s3:AbortMultipartUpload', 's3:PutObject'], resource: objectsArn });
    expect(statements).toContainEqual({ actions: ['dynamodb:UpdateItem'], resource: expect.anything() as unknown });
    expect(statements.find((s) => s.actions.includes('dynamodb:Query'))?.actions).toEqual(
      [...TABLE_READ_ACTIONS].sort(),
    );
    const all = statements.flatMap((s) => s.actions);
    for (const forbidden of [
      's3:GetObject',
      's3:DeleteObject',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Scan',
    ])
      expect(all).not.toContain(forbidden);
    expect(JSON.stringify(objectsArn)).toMatch(/exports\/\*/);
    Template.fromStack(stacks.async).hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      MemorySize: 1024,
      Environment: {
        Variables: Match.objectLike({
          EXPORT_BUCKET: stacks.async.resolve(stacks.data.exportBucket.bucketName) as unknown,
        }),
      },
    });
  });
});

describe('export status function (API)', () => {
  it('may sign GET links for export files (s3:GetObject on the prefix) and knows the bucket; the request function has no bucket access', () => {
    const { stacks } = synthesized;
    const getRoute = ROUTES.find((r) => r.handler === 'exports/get-member-export');
    const postRoute = ROUTES.find((r) => r.handler === 'exports/request-member-export');
    expect(getRoute?.objectStore).toBe('presignExports');
    expect(postRoute?.objectStore).toBeUndefined();
    const routeStack = stacks.api.routeStacks.get('exports');
    if (!routeStack) throw new Error('no exports route stack');
    const template = Template.fromStack(routeStack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'GET /v1/orgs/{orgId}/member-exports/{exportId}',
      Environment: {
        Variables: Match.objectLike({
          EXPORT_BUCKET: routeStack.resolve(stacks.data.exportBucket.bucketName) as unknown,
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'POST /v1/orgs/{orgId}/member-exports',
      Environment: { Variables: Match.not(Match.objectLike({ EXPORT_BUCKET: Match.anyValue() })) },
    });
    const s3Actions = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement)
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('s3:'));
    expect(s3Actions).toEqual(['s3:GetObject']);
  });
});
