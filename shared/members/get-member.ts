import type { Database } from '../data/dynamo-client.js';
import { getMembership } from '../data/membership-repository.js';
import { NotFoundError } from '../errors.js';
import { withSignInMethod, type MemberDetails } from './member-details.js';

/** One member of the org (the org comes from the authorized path, never from the body). */
export async function getMember(db: Database, orgId: string, userId: string): Promise<MemberDetails> {
  const membership = await getMembership(db, orgId, userId);
  if (!membership) throw new NotFoundError('No such member');
  const [details] = await withSignInMethod(db, [membership]);
  return details!;
}
