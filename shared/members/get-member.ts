import type { Database } from '../data/dynamo-client.js';
import { getMembership } from '../data/membership-repository.js';
import { NotFoundError } from '../errors.js';
import type { Membership } from './membership.js';

/** One member of the org (the org comes from the authorized path, never from the body). */
export async function getMember(db: Database, orgId: string, userId: string): Promise<Membership> {
  const membership = await getMembership(db, orgId, userId);
  if (!membership) throw new NotFoundError('No such member');
  return membership;
}
