/**
 * CDK assertion tests on the invitation expiry sweep (async stack): an EventBridge Scheduler
 * schedule every 15 minutes invoking the sweep function, with a role of its own, and the
 * function's least-privilege table access. The app is built as in async-and-triggers.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXPIRY_INDEX_NAME } from '../../infra/constructs/invitation-expiry.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';
import { actionsOf, logicalIdOf, statementsOfRole } from '../helpers/iam-statements.js';
import { EXPIRY_INDEX } from '../../shared/invitations/expire-invitations.js';

/** A synth of the whole app takes seconds, more on a loaded machine. */
const SYNTH_TIMEOUT_MS = 120_000;

describe('invitation expiry (async stack)', () => {
  let synthesized: Synthesized;
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    synthesized = synthRoster();
    stack = synthesized.stacks.async;
    template = Template.fromStack(stack);
  }, SYNTH_TIMEOUT_MS);

  it('runs every 15 minutes, invoking the sweep function with an empty event through a role of its own', () => {
    const expiry = synthesized.stacks.async.invitationExpiry;
    // This one, the seat sweeper's (seat-sweeper.test.ts) and the SSO provider reconciler's (managed-login.test.ts).
    template.resourceCountIs('AWS::Scheduler::Schedule', 3);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, expiry.function.function), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(stack, expiry.scheduleRole), 'Arn'] },
        Input: '{}',
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      },
    });
  });

  it('lets the schedule role invoke only the sweep function, and only the scheduler service assume it', () => {
    const expiry = synthesized.stacks.async.invitationExpiry;
    const functionId = logicalIdOf(stack, expiry.function.function);
    const statements = statementsOfRole(template, logicalIdOf(stack, expiry.scheduleRole));
    expect(statements.map((s) => ({ actions: actionsOf(s), resource: s.Resource }))).toEqual([
      // The unqualified ARN the schedule invokes, without grantInvoke's `:*` (every version and alias).
      { actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [functionId, 'Arn'] } },
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });

  it('gives the function Query on the expiry index only, item writes on org and audit partitions only, and no Scan', () => {
    const expiry = synthesized.stacks.async.invitationExpiry;
    const tableArn = {
      'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttRosterTable\w+Arn/) as unknown,
    };
    const statements = statementsOfRole(template, logicalIdOf(stack, expiry.function.role)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements.map((s) => ({ actions: actionsOf(s), resource: s.Resource, condition: s.Condition }))).toEqual([
      {
        actions: ['dynamodb:Query'],
        resource: { 'Fn::Join': ['', [tableArn, `/index/${EXPIRY_INDEX}`]] },
        condition: undefined,
      },
      {
        actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ORG#*'] } },
      },
      {
        actions: ['dynamodb:PutItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
    ]);
    const allActions = statementsOfRole(template, logicalIdOf(stack, expiry.function.role)).flatMap(actionsOf);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:*'])
      expect(allActions).not.toContain(forbidden);
  });

  it('queries the index the sweep reads', () => {
    expect(EXPIRY_INDEX_NAME).toBe(EXPIRY_INDEX);
  });

  it("gives the sweep the house defaults and a batch job's 5-minute timeout", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('[Ee]xpires overdue pending invitations'),
      Architectures: ['arm64'],
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          IDENTITY_MODE: 'cognito',
          TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Data:ExportsOutputRefRosterTable') },
        }),
      },
    });
  });
});
