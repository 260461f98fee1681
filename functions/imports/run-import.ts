import { QUEUE_WORKERS } from '../../shared/async/consumers.js';
import { systemClock } from '../../shared/clock.js';
import { recordHandler } from '../../shared/async/record-handler.js';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import { logger } from '../../shared/logger.js';
import { runImport } from '../../shared/imports/run-import.js';

/**
 * Hand over to a fresh invocation this close to the timeout: the batches in hand (up to
 * BATCHES_IN_FLIGHT) finish first, each a few seconds of writes; nothing waits on Cognito.
 */
const SAFETY_MARGIN_MS = 30_000;

/**
 * The import worker, on its queue: the stream dispatcher sends it each import item written
 * with status `queued` (commit, or a worker handing over). A failure makes the message retry;
 * the batches are idempotent, so a retry redoes nothing.
 */
export const handler = recordHandler({
  filters: [QUEUE_WORKERS.importWorker.route],
  parse: (image) => ({
    orgId: image.orgId as string,
    importId: image.importId as string,
    runSeq: Number(image.runSeq),
  }),
  handle: async (run, context) => {
    const result = await runImport(
      { db: database(), appUrl: config().appUrl, clock: systemClock },
      run.orgId,
      run.importId,
      run.runSeq,
      {
        shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
        remainingMs: () => context.getRemainingTimeInMillis(),
      },
    );
    logger.info('import run ended', { ...run, result });
  },
  onFailure: (run, error) => logger.error('import run failed; the queue will retry', { ...run, error: error as Error }),
});
