/**
 * CDK assertion tests on the SSO provider reconciler (async stack): a schedule every 15 minutes
 * invoking its function through a role of its own; the function's Cognito actions are the
 * reconciler's four, on this pool only, and its table access the registry item's partition only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SSO_RECONCILER_ACTIONS } from '../../infra/constructs/sso-provider-reconciler.js';
import { SCHEDULED_JOBS } from '../../shared/async/consumers.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';
import { actionsOf, logicalIdOf, statementsOfRole } from '../helpers/iam-statements.js';

/** A synth of the whole app takes seconds, more on a loaded machine. */
const SYNTH_TIMEOUT_MS = 120_000;

describe('SSO provider reconciler (async stack)', () => {
  let synthesized: Synthesized;
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    // cdk-nag runs in the synth: an unacknowledged finding throws here.
    synthesized = synthRoster();
    stack = synthesized.stacks.async;
    template = Template.fromStack(stack);
  }, SYNTH_TIMEOUT_MS);

  it('runs every 15 minutes, invoking the reconciler with an empty event through a role that may invoke only it', () => {
    const reconciler = synthesized.stacks.async.ssoProviderReconciler;
    const functionId = logicalIdOf(stack, reconciler.function.function);
    expect(SCHEDULED_JOBS.ssoProviderReconciler.rateMinutes).toBe(15);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(stack, reconciler.scheduleRole), 'Arn'] },
        Input: '{}',
      },
    });
    const invoke = statementsOfRole(template, logicalIdOf(stack, reconciler.scheduleRole));
    expect(invoke.map((s) => ({ actions: actionsOf(s), resource: s.Resource }))).toEqual([
      { actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [functionId, 'Arn'] } },
    ]);
  });

  it('may list and delete identity providers and read and rewrite the SPA client, on this pool only; never create or change a provider', () => {
    const reconciler = synthesized.stacks.async.ssoProviderReconciler;
    const statements = statementsOfRole(template, logicalIdOf(stack, reconciler.function.role));
    const cognito = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));
    expect(cognito).toHaveLength(1);
    expect(actionsOf(cognito[0]!)).toEqual([...SSO_RECONCILER_ACTIONS].sort());
    expect(actionsOf(cognito[0]!)).toEqual([
      'cognito-idp:DeleteIdentityProvider',
      'cognito-idp:DescribeUserPoolClient',
      'cognito-idp:ListIdentityProviders',
      'cognito-idp:UpdateUserPoolClient',
    ]);
    // The pool's ARN (imported from the identity stack), never a wildcard.
    expect(cognito[0]!.Resource).toEqual({
      'Fn::ImportValue': expect.stringMatching(/Identity:ExportsOutputFnGetAttIdentityUserPool\w+Arn/) as unknown,
    });
    expect(JSON.stringify(cognito[0]!.Resource)).not.toContain('*');
  });

  it('may read and update the registry item only (its partition), nothing else of the table', () => {
    const reconciler = synthesized.stacks.async.ssoProviderReconciler;
    const tableArn = {
      'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttRosterTable\w+Arn/) as unknown,
    };
    const statements = statementsOfRole(template, logicalIdOf(stack, reconciler.function.role)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements.map((s) => ({ actions: actionsOf(s), resource: s.Resource, condition: s.Condition }))).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resource: tableArn,
        condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SSOPROVIDERS'] } },
      },
    ]);
  });

  it('knows the SPA client it repairs (USER_POOL_CLIENT_ID) and has its declared timeout', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: SCHEDULED_JOBS.ssoProviderReconciler.description,
      Timeout: SCHEDULED_JOBS.ssoProviderReconciler.timeoutSeconds,
      Environment: {
        Variables: Match.objectLike({ USER_POOL_CLIENT_ID: Match.anyValue(), USER_POOL_ID: Match.anyValue() }),
      },
    });
  });
});
