import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { database } from '../../shared/data/dynamo-client.js';
import { logger } from '../../shared/logger.js';
import { validate } from '../../shared/validation.js';
import { EXPIRY_ACTOR, expireInvitations, type ExpirySummary } from '../../shared/invitations/expire-invitations.js';

/**
 * The schedule sends `{}`; tests and the events/ sample may set `now` to drive the clock.
 * Not strict: a scheduled event's own fields (an EventBridge rule's) are ignored.
 */
const expiryEvent = z.object({
  now: z.optional(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone' })),
});

/** Stop starting new invitations this close to the timeout; the next run finishes the sweep. */
const SAFETY_MARGIN_MS = 15_000;

/** Scheduled (every 15 minutes): marks overdue pending invitations expired and frees their seats. */
export const handler = async (event: unknown, context: Context): Promise<ExpirySummary> => {
  const input = validate(expiryEvent, event ?? {}, 'event');
  const now = input.now ? new Date(input.now) : new Date();
  const summary = await expireInvitations(
    database(),
    { actor: EXPIRY_ACTOR, ip: null, userAgent: null, requestId: context.awsRequestId, now },
    {
      shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
      onFailure: (entry, error) =>
        logger.error('could not expire an invitation; the next run retries it', { ...entry, error: error as Error }),
    },
  );
  logger.info('invitation expiry sweep done', { now: now.toISOString(), ...summary });
  return summary;
};
