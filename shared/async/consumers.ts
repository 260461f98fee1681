/**
 * Every consumer off the request path, declared once: the readers of the table stream, the
 * queue workers the dispatcher feeds, and the scheduled jobs. The CDK constructs
 * (infra/constructs/async-consumer.ts and its users), the local stack (local/table-stream.ts,
 * local/start.ts) and the record loop the handlers share (shared/async/record-handler.ts) all
 * read this table; nothing here loads the AWS SDK, so synth can import it.
 *
 * The table stream has two readers, DynamoDB Streams' guidance per shard: the mailer, which
 * must never wait behind a long job, and the dispatcher, which only copies import and export
 * records to their workers' SQS queues. A worker then scales, retries and dead-letters on its
 * own; an hour-long import holds no shard and no mail.
 */
import { MEMBER_EXPORT_ENTITY } from '../exports/export-env.js';
import { IMPORT_JOB_ENTITY } from '../imports/import-job.js';
import { OUTBOX_ENTITY } from '../mail/outbox-entity.js';
import type { TableGrant } from '../operation.js';

/**
 * A table stream record filter as data: the event name, and string attributes of the new
 * image that must equal the given values. Lambda's FilterCriteria (infra) and the local
 * stream (matchesStreamFilter) are both built from it.
 */
export interface StreamRecordFilter {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly newImage: Readonly<Record<string, string>>;
}

interface ConsumerFunction {
  /** Handler module under functions/, without extension. */
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  /** @default 512 (ApiFunction's default) */
  readonly memoryMb?: number;
  /**
   * Everything the function touches in the table (no pipeline runs before it): the families its
   * IAM grant is narrowed to, and the local guard enforces. A construct may grant less than the
   * declared access (fewer actions, named attributes: the mailer, the sweeps), never another family.
   */
  readonly table: TableGrant;
}

/** A Lambda event source mapping on the table stream. */
export interface StreamReader extends ConsumerFunction {
  /** Records the mapping invokes the function for (any of them). */
  readonly filters: readonly StreamRecordFilter[];
  readonly batchSize: number;
  /** Retries of a failing batch before its stream position goes to the reader's dead-letter queue. */
  readonly retryAttempts: number;
  /** A record older than this is dead-lettered instead of retried: later records of its shard wait for it. */
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
}

/** A worker on its own SQS queue, fed by the dispatcher with the stream records its route matches. */
export interface QueueWorker extends ConsumerFunction {
  /** The records the dispatcher sends to this worker's queue. */
  readonly route: StreamRecordFilter;
  /** Messages per invocation. */
  readonly batchSize: number;
  /** Deliveries of a message before it moves to the worker's dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Concurrent invocations at most (SQS event source maximum concurrency, 2 or more). */
  readonly maxConcurrency: number;
}

/** A function an EventBridge Scheduler schedule invokes with `{}`. */
export interface ScheduledJob extends ConsumerFunction {
  readonly rateMinutes: number;
  /** Locally (npm start) the job runs this often instead: minutes are long on a laptop. */
  readonly localRateMinutes: number;
  /** The scheduler's retries of a failed invocation; the jobs are idempotent and the next run catches up. */
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

const FIFTEEN_MINUTES = 15 * 60;

/** Work the dispatcher hands on, by the stream record that starts it. */
export const QUEUE_WORKERS = {
  importWorker: {
    handler: 'imports/run-import',
    description: 'Imports the rows of committed CSV imports (SQS, from the stream dispatcher)',
    // An import item modified into `queued`: a commit, or a worker handing over near its timeout.
    // Its progress updates (status running) are not routed.
    route: { eventName: 'MODIFY', newImage: { entity: IMPORT_JOB_ENTITY, status: 'queued' } },
    // 10,000 rows take about a minute; the worker hands over 30 s before the end anyway.
    timeoutSeconds: FIFTEEN_MINUTES,
    // More memory is more CPU for the rows' marshalling; a batch holds 300 rows.
    memoryMb: 1024,
    // One import per invocation. A retry redoes nothing (every batch is idempotent); past the
    // retries the import stays at its checkpoint until the seat sweeper resumes or fails it.
    batchSize: 1,
    maxReceiveCount: 4,
    maxConcurrency: 10,
    // Rows become members or invitations, with their users, claims, tokens, outbox mail and audit events.
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] },
  },
  memberExportWriter: {
    handler: 'exports/write-member-export',
    description: 'Writes member exports to S3 (SQS, from the stream dispatcher)',
    route: { eventName: 'INSERT', newImage: { entity: MEMBER_EXPORT_ENTITY } },
    // 100,000 members are 200 Queries and a few 5 MiB parts: well inside; Lambda's maximum is the bound.
    timeoutSeconds: FIFTEEN_MINUTES,
    // Memory holds one page and two upload parts; more memory is more CPU for the CSV rows.
    memoryMb: 1024,
    // A failed export is marked failed by the writer; only an outcome it could not record is retried.
    batchSize: 1,
    maxReceiveCount: 3,
    maxConcurrency: 5,
    // Narrower in IAM (infra/constructs/member-export-writer.ts): item reads of members and teams
    // (the table and the by-name index), and of writes only UpdateItem (the job item's state).
    table: { access: 'readWrite', families: ['ORG', 'USER'] },
  },
} as const satisfies Record<string, QueueWorker>;

export type QueueWorkerName = keyof typeof QUEUE_WORKERS;

export const STREAM_READERS = {
  mailer: {
    handler: 'mail/send-outbox-mail',
    description: 'Mails outbox items from the table stream (SES)',
    filters: [{ eventName: 'INSERT', newImage: { entity: OUTBOX_ENTITY } }],
    // Up to a batch of mails, each a GetItem, a SendEmail and a DeleteItem, one after another.
    timeoutSeconds: 30,
    batchSize: 10,
    // Only transient SES errors are retried (a refused recipient is marked failed at once), so a
    // record that keeps failing is SES itself being down: an hour, then the dead-letter queue;
    // the outbox item stays queued for the redrive.
    retryAttempts: 8,
    maxRecordAgeSeconds: 3600,
    bisectBatchOnError: true,
    // Narrower in IAM (RosterTable.grantOutboxDelivery): GetItem and DeleteItem of outbox items,
    // and UpdateItem of only an outbox item's failed mark and an invitation's delivery state.
    table: { access: 'readWrite', families: ['ORG', 'OUTBOX'] },
  },
  dispatcher: {
    handler: 'async/dispatch-stream-records',
    description: "Routes import and export records from the table stream to their workers' queues",
    filters: Object.values(QUEUE_WORKERS).map((worker) => worker.route),
    // A batch is one SendMessageBatch per worker: a few tens of milliseconds.
    timeoutSeconds: 30,
    batchSize: 10,
    retryAttempts: 8,
    maxRecordAgeSeconds: 3600,
    bisectBatchOnError: true,
    // The records come with the stream event: it only sends them on.
    table: 'none',
  },
} as const satisfies Record<string, StreamReader>;

export type StreamReaderName = keyof typeof STREAM_READERS;

export const SCHEDULED_JOBS = {
  invitationExpiry: {
    handler: 'invitations/expire-invitations',
    description: 'Expires overdue pending invitations and frees their seats (scheduled)',
    // An overdue invitation holds its seat at most this long (its link is refused from the moment it is due).
    rateMinutes: 15,
    localRateMinutes: 1,
    // A batch job, not a request: a large backlog takes minutes, and the handler stops in time.
    timeoutSeconds: 5 * 60,
    retryAttempts: 2,
    maxEventAgeSeconds: 10 * 60,
    // Narrower in IAM (infra/constructs/invitation-expiry.ts): Query on the expiry index (INVEXP),
    // the transaction's item actions on org partitions, PutItem of the audit event.
    table: { access: 'readWrite', families: ['AUDIT', 'INVEXP', 'ORG'] },
  },
  seatSweeper: {
    handler: 'seats/sweep-seat-leases',
    description: 'Releases seats held by dead bulk invites and imports; resumes or fails stuck imports (scheduled)',
    // Seats a dead owner held come back at most this long after its deadline.
    rateMinutes: 5,
    localRateMinutes: 1,
    timeoutSeconds: 5 * 60,
    retryAttempts: 2,
    maxEventAgeSeconds: 4 * 60,
    // Narrower in IAM (infra/constructs/seat-sweeper.ts): Query on the lease index (LEASE), no
    // BatchWriteItem; org items (leases, imports, counters), import batches and chunks, audit events.
    table: { access: 'readWrite', families: ['AUDIT', 'IMPORT', 'LEASE', 'ORG'] },
  },
  ssoProviderReconciler: {
    handler: 'sso/reconcile-sso-providers',
    description:
      "Syncs the SPA client's SSO providers with the registry; deletes identity providers no connection holds (scheduled)",
    // A connection change that died halfway is repaired within this (an orphan provider: this
    // plus its 15-minute grace, shared/sso/reconcile-providers.ts).
    rateMinutes: 15,
    localRateMinutes: 1,
    // A few Cognito calls: the client, up to 5 pages of providers (300 at 60), a deletion per orphan.
    timeoutSeconds: 60,
    retryAttempts: 2,
    maxEventAgeSeconds: 10 * 60,
    // Narrower in IAM (infra/constructs/sso-provider-reconciler.ts): GetItem and UpdateItem of the registry item.
    table: { access: 'readWrite', families: ['SSOPROVIDERS'] },
  },
} as const satisfies Record<string, ScheduledJob>;

export type ScheduledJobName = keyof typeof SCHEDULED_JOBS;

/** A stream record's shape as far as filtering needs it (Lambda's DynamoDBRecord, or its JSON). */
export interface FilterableRecord {
  readonly eventName?: string | undefined;
  readonly dynamodb?:
    { readonly NewImage?: Readonly<Record<string, { S?: string | undefined } | undefined>> } | undefined;
}

/** Whether a stream record passes a filter, as Lambda's event filtering decides for the pattern built from it. */
export function matchesStreamFilter(filter: StreamRecordFilter, record: FilterableRecord): boolean {
  if (record.eventName !== filter.eventName) return false;
  const image = record.dynamodb?.NewImage;
  return Object.entries(filter.newImage).every(([name, value]) => image?.[name]?.S === value);
}

/** The worker whose queue a stream record goes to, if any. */
export function routeStreamRecord(record: FilterableRecord): QueueWorkerName | undefined {
  return (Object.keys(QUEUE_WORKERS) as QueueWorkerName[]).find((name) =>
    matchesStreamFilter(QUEUE_WORKERS[name].route, record),
  );
}

/** The dispatcher's environment variable holding a worker's queue URL. */
export const queueUrlVariable = (worker: QueueWorkerName): string =>
  `QUEUE_URL_${worker.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * A queue's visibility timeout: longer than its worker's timeout, so a message is never handed
 * to a second invocation while the first still runs; the minute on top covers the poller's delay.
 */
export const visibilityTimeoutSeconds = (worker: QueueWorker): number => worker.timeoutSeconds + 60;
