import * as z from 'zod/mini';
import { database } from '../../shared/data/dynamo-client.js';
import { identity } from '../../shared/identity/identity.js';
import { logger } from '../../shared/logger.js';
import { validate } from '../../shared/validation.js';
import { reconcileProviders, type ProviderReconciliation } from '../../shared/sso/reconcile-providers.js';

/** The schedule sends `{}`; tests and the events/ sample may set `now`. Not strict: a schedule's own fields are ignored. */
const reconcileEvent = z.object({
  now: z.optional(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone' })),
});

/**
 * Scheduled (every 15 minutes): the SPA client's providers follow the SSO registry again, and
 * Roster's identity providers no connection holds are deleted (a crash between a connection
 * change's steps leaves either behind).
 */
export const handler = async (event: unknown): Promise<ProviderReconciliation> => {
  const input = validate(reconcileEvent, event ?? {}, 'event');
  const now = input.now ? new Date(input.now) : new Date();
  const summary = await reconcileProviders({ db: database(), identity: identity() }, now);
  // Something was repaired: a connection change died halfway, worth a look in its function's log.
  if (summary.clientSynced || summary.deleted.length > 0)
    logger.warn('SSO providers repaired', { now: now.toISOString(), ...summary });
  else logger.info('SSO providers consistent', { now: now.toISOString(), kept: summary.kept });
  return summary;
};
