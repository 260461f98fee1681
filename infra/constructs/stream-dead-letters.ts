import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface StreamDeadLetters {
  /** The on-failure destination of a table-stream event source mapping (SqsDlq). */
  readonly queue: Queue;
  /** In alarm while the queue holds anything. No action: attach one (SNS, chat) per stage. */
  readonly alarm: Alarm;
}

/**
 * The dead-letter queue and alarm every table-stream worker (mailer, import worker, export
 * writer) has, created in the worker's own scope as `DeadLetterQueue` and `DeadLetterAlarm`.
 * `worker` names it in the cdk-nag acknowledgement; `alarmDescription` tells the operator
 * what a message there means for that worker and how to recover.
 */
export function streamDeadLetters(
  scope: Construct,
  props: { worker: string; alarmDescription: string },
): StreamDeadLetters {
  const queue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is itself a dead-letter queue: the on-failure destination of the ${props.worker}'s ` +
      'DynamoDB stream event source mapping, which cdk-nag does not recognise (it looks only at ' +
      'queue redrive policies and function DeadLetterConfig). Nothing consumes it automatically.',
  });
  const alarm = new Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: props.alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { queue, alarm };
}
