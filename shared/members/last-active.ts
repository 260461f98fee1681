import { writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import { lastActiveStep } from './membership-repository.js';
import type { Membership } from './membership.js';

/** lastActiveAt is written at most this often per membership. */
export const LAST_ACTIVE_INTERVAL_MS = 60 * 60 * 1000;

/** Whether the membership the authorizer just read is due a new lastActiveAt (no read of its own). */
export const isActivityDue = (m: Pick<Membership, 'lastActiveAt'>, now: Date): boolean =>
  m.lastActiveAt === null || Date.parse(m.lastActiveAt) <= now.getTime() - LAST_ACTIVE_INTERVAL_MS;

/**
 * Records the member's request as their last activity when due: one conditional UpdateItem
 * (only if still due, so concurrent requests write once), which does not bump the version,
 * so it never makes an admin's concurrent change of the membership fail. A lost race (another
 * request recorded it first) is no error; anything else is the caller's to log, never to fail on.
 */
export async function recordActivityIfDue(db: Database, m: Membership, now: Date): Promise<void> {
  if (!isActivityDue(m, now)) return;
  // A lost race (another request recorded it first) writes nothing and is no error.
  await writeStep(
    db,
    lastActiveStep(db, m, now.toISOString(), new Date(now.getTime() - LAST_ACTIVE_INTERVAL_MS).toISOString()),
  );
}
