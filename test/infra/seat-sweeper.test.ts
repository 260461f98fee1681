/**
 * CDK assertion tests on the seat sweeper (async stack): a 5-minute schedule, the function's
 * least-privilege table access (the lease index and the partitions it touches, no Scan), and
 * the two alarms on the metrics the code publishes; and the recount's route.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  LEASE_INDEX_NAME,
  SEAT_DRIFT_METRIC,
  SEAT_METRICS_NAMESPACE,
  SEATS_RELEASED_METRIC,
} from '../../infra/constructs/seat-sweeper.js';
import { ROUTES } from '../../infra/routes.js';
import * as metrics from '../../shared/seats/seat-metrics.js';
import { LEASE_INDEX } from '../../shared/seats/sweep-seat-leases.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';
import { actionsOf, logicalIdOf, statementsOfRole } from '../helpers/iam-statements.js';

const SYNTH_TIMEOUT_MS = 120_000;

describe('seat sweeper (async stack)', () => {
  let synthesized: Synthesized;
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    synthesized = synthRoster();
    stack = synthesized.stacks.async;
    template = Template.fromStack(stack);
  }, SYNTH_TIMEOUT_MS);

  it('runs every 5 minutes, invoking the sweep function with an empty event through a role of its own', () => {
    const sweeper = synthesized.stacks.async.seatSweeper;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, sweeper.function.function), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(stack, sweeper.scheduleRole), 'Arn'] },
        Input: '{}',
      },
    });
    const statements = statementsOfRole(template, logicalIdOf(stack, sweeper.scheduleRole));
    expect(statements.map((s) => ({ actions: actionsOf(s), resource: s.Resource }))).toEqual([
      {
        actions: ['lambda:InvokeFunction'],
        resource: { 'Fn::GetAtt': [logicalIdOf(stack, sweeper.function.function), 'Arn'] },
      },
    ]);
  });

  it('gives the function Query on the lease index, item actions on org, import and audit partitions only, and no Scan', () => {
    const sweeper = synthesized.stacks.async.seatSweeper;
    const tableArn = {
      'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputFnGetAttRosterTable\w+Arn/) as unknown,
    };
    const statements = statementsOfRole(template, logicalIdOf(stack, sweeper.function.role)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements.map((s) => ({ actions: actionsOf(s), resource: s.Resource, condition: s.Condition }))).toEqual([
      {
        actions: ['dynamodb:Query'],
        resource: { 'Fn::Join': ['', [tableArn, `/index/${LEASE_INDEX}`]] },
        condition: undefined,
      },
      {
        actions: [
          'dynamodb:BatchGetItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        resource: tableArn,
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ORG#*', 'IMPORT#*', 'AUDIT#*'] } },
      },
    ]);
    const allActions = statementsOfRole(template, logicalIdOf(stack, sweeper.function.role)).flatMap(actionsOf);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:*'])
      expect(allActions).not.toContain(forbidden);
  });

  it('alarms on seat drift found by a recount and on seats the sweeper keeps releasing, on the metrics the code publishes', () => {
    expect(LEASE_INDEX_NAME).toBe(LEASE_INDEX);
    expect([SEAT_METRICS_NAMESPACE, SEAT_DRIFT_METRIC, SEATS_RELEASED_METRIC]).toEqual([
      metrics.SEAT_METRICS_NAMESPACE,
      metrics.SEAT_DRIFT_METRIC,
      metrics.SEATS_RELEASED_METRIC,
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: SEAT_METRICS_NAMESPACE,
      MetricName: SEAT_DRIFT_METRIC,
      Dimensions: [{ Name: 'service', Value: 'roster' }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('seats.reconciled'),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: SEAT_METRICS_NAMESPACE,
      MetricName: SEATS_RELEASED_METRIC,
      EvaluationPeriods: 3,
    });
  });

  it('routes the recount to its own function', () => {
    expect(ROUTES.find((r) => r.path === '/v1/orgs/{orgId}/seats/reconcile')).toMatchObject({
      method: 'POST',
      handler: 'orgs/reconcile-seats',
      auth: 'jwt',
    });
  });
});
