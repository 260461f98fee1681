import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey, userKey } from '../data/keys.js';
import { listMembershipsOfUser, membershipFromItem } from '../data/membership-repository.js';
import { userFromItem } from '../data/user-repository.js';
import { NotFoundError } from '../errors.js';
import { orgManagesAccount, type ManagingOrg } from '../users/account-management.js';
import { membershipView } from './membership.js';
import type { MemberDetails } from './member-details.js';

/**
 * One member of the org (the org comes from the authorized path, never from the body), with the
 * exact `managed`: two round trips at once, the membership and user record (one consistent
 * BatchGetItem) and the user's memberships (one Query).
 */
export async function getMember(db: Database, org: ManagingOrg, userId: string): Promise<MemberDetails> {
  const [items, memberships] = await Promise.all([batchGetConsistent(db, [membershipKey(org.orgId, userId), userKey(userId)]), listMembershipsOfUser(db, userId)]);
  const membershipItem = items.find((i) => i.SK === membershipKey(org.orgId, userId).SK && i.PK === membershipKey(org.orgId, userId).PK);
  const userItem = items.find((i) => i.PK === userKey(userId).PK && i.SK === userKey(userId).SK);
  if (!membershipItem) throw new NotFoundError('No such member');
  const membership = membershipFromItem(membershipItem);
  const user = userItem ? userFromItem(userItem) : undefined;
  // The index may lag a membership just written: this org is one of the account's orgs whatever it says.
  const orgIds = [...new Set([org.orgId, ...memberships.map((m) => m.orgId)])];
  const managed = user ? orgManagesAccount(org, { email: user.email, platformOperator: user.platformOperator, createdByOrgId: user.createdByOrgId, orgIds }) : false;
  return { ...membershipView(membership), authSource: user?.authSource ?? { kind: 'password' }, managed };
}
