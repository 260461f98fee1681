import { QUEUE_WORKERS } from '../../shared/async/consumers.js';
import { recordHandler } from '../../shared/async/record-handler.js';
import { database } from '../../shared/data/dynamo-client.js';
import { exportStore } from '../../shared/exports/export-store.js';
import { writeMemberExport } from '../../shared/exports/write-member-export.js';
import { logger } from '../../shared/logger.js';

/**
 * The export writer, on its queue (the stream dispatcher sends it each newly inserted export
 * job): writes the job to the object store. A job that fails is marked failed (not retried);
 * only an error recording the outcome (the table unreachable) makes the message retry, and
 * past the retries the dead-letter queue.
 */
export const handler = recordHandler({
  filters: [QUEUE_WORKERS.memberExportWriter.route],
  parse: (image) => ({ orgId: image.orgId as string, exportId: image.exportId as string }),
  handle: async (job) => {
    const outcome = await writeMemberExport(
      {
        db: database(),
        store: exportStore(),
        onError: (error) => logger.error('member export failed', { ...job, error: error as Error }),
      },
      job,
    );
    logger.info('member export', { ...job, outcome });
  },
  onFailure: (job, error) =>
    logger.error('member export could not record its outcome; the queue will retry', { ...job, error: error as Error }),
});
