import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_WORKERS } from '../../shared/async/consumers.js';
import { SEAL_MAIL_LINKS } from '../../shared/secrets/secrets-env.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, workerQueue, type ConsumerProps } from './async-consumer.js';
import type { SecretsKey } from './secrets-key.js';

export interface ImportWorkerProps extends ConsumerProps {
  /** Invitation rows mail links, sealed (shared/mail/mail-link.ts). */
  readonly secretsKey: SecretsKey;
}

/**
 * The CSV import worker (the `importWorker` entry of shared/async/consumers.ts): the stream
 * dispatcher sends it each import item modified into `queued` (commit, or a worker handing
 * over near its timeout), on a queue of its own; one import per invocation, imported batch by
 * batch. A failed invocation is retried (every batch is idempotent, so a retry redoes
 * nothing); past maxReceiveCount the message goes to the dead-letter queue and an alarm
 * fires; the import stays `running` at its checkpoint until its lease runs out, then the seat
 * sweeper resumes or fails it (seat-sweeper.ts).
 */
export class ImportWorker extends Construct {
  readonly function: ApiFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ImportWorkerProps) {
    super(scope, id);
    this.function = consumerFunction(this, QUEUE_WORKERS.importWorker, props);
    // No Cognito action: an imported person's identity is created when first needed, elsewhere.
    props.table.grant(this.function, QUEUE_WORKERS.importWorker.table);
    props.secretsKey.attach(this.function, SEAL_MAIL_LINKS);

    ({
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      deadLetterAlarm: this.deadLetterAlarm,
    } = workerQueue(this, this.function, QUEUE_WORKERS.importWorker, {
      alarmDescription:
        'A CSV import failed past its retries and stopped at its last checkpoint. The seat sweeper ' +
        'resumes it once when its lease runs out, then fails it with its unused seats released (import.failed). ' +
        'Read the error in the worker log; the import report lists the rows not imported.',
    }));
  }
}
