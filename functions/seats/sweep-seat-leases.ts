import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { database } from '../../shared/data/dynamo-client.js';
import { logger } from '../../shared/logger.js';
import { validate } from '../../shared/validation.js';
import { reportSeatsReleased } from '../../shared/seats/seat-metrics.js';
import { SWEEPER_ACTOR, sweepSeatLeases, type SweepSummary } from '../../shared/seats/sweep-seat-leases.js';

/** The schedule sends `{}`; tests and the events/ sample may set `now`. Not strict: a schedule's own fields are ignored. */
const sweepEvent = z.object({
  now: z.optional(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone' })),
});

/** Stop starting new entries this close to the timeout; the next run finishes the sweep. */
const SAFETY_MARGIN_MS = 15_000;

/** Scheduled (every 5 minutes): releases the seats of bulk invites and imports whose owner died. */
export const handler = async (event: unknown, context: Context): Promise<SweepSummary> => {
  const input = validate(sweepEvent, event ?? {}, 'event');
  const now = input.now ? new Date(input.now) : new Date();
  const summary = await sweepSeatLeases(
    database(),
    { actor: SWEEPER_ACTOR, ip: null, userAgent: null, requestId: context.awsRequestId, now },
    {
      shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
      onFailure: (entry, error) =>
        logger.error("could not release a dead owner's seats; the next run retries", {
          ...entry,
          error: error as Error,
        }),
    },
  );
  reportSeatsReleased(summary.seatsReleased);
  logger.info('seat sweep done', { now: now.toISOString(), ...summary });
  return summary;
};
