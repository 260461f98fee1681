import { SESv2Client } from '@aws-sdk/client-sesv2';
import { systemClock } from '../../shared/clock.js';
import { STREAM_READERS } from '../../shared/async/consumers.js';
import { recordHandler } from '../../shared/async/record-handler.js';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import { logger } from '../../shared/logger.js';
import { deliverOutboxMail, type OutboxItem } from '../../shared/mail/deliver-outbox.js';
import { SesMailSender } from '../../shared/mail/ses-mail-sender.js';

const { sesEndpoint, mailFrom } = config();
const sender = new SesMailSender(
  new SESv2Client(
    sesEndpoint
      ? { endpoint: sesEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  ),
  mailFrom,
);

/**
 * The table stream's mailer: each newly inserted outbox item becomes one mail. A failure is
 * reported from its record on, so only it and the records after it are retried, in order.
 */
export const handler = recordHandler({
  filters: STREAM_READERS.mailer.filters,
  parse: (image) => image as OutboxItem,
  handle: (item) =>
    deliverOutboxMail(
      {
        db: database(),
        sender,
        clock: systemClock,
        onRecordFailure: (error) =>
          logger.error('could not record the delivery state', { messageId: item.messageId, error: error as Error }),
      },
      item,
    ),
  onFailure: (item, error) =>
    logger.error('mail delivery failed; the stream will retry', { messageId: item.messageId, error: error as Error }),
});
