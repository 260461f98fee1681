import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { getItem } from '../data/get-item.js';
import { joinRequestKey, membershipKey, orgKey, type ItemKey } from '../data/keys.js';
import { check, transactWrite } from '../data/transactions.js';
import { NotFoundError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import { membershipFromItem } from '../members/membership-repository.js';
import type { Org } from '../orgs/org.js';
import { orgFromItem } from '../orgs/org-repository.js';
import { joinRequestFromItem, type JoinRequest } from './join-request.js';

/**
 * The org a person asks to join and their membership in it, in one strongly consistent
 * BatchGetItem; `org` is undefined when there is no such org.
 */
export async function readJoinTarget(
  db: Database,
  orgId: string,
  userId: string,
): Promise<{ org?: Org; membership?: Membership }> {
  const items = await batchGetConsistent(db, [orgKey(orgId), membershipKey(orgId, userId)]);
  const find = (key: ItemKey) => items.find((i) => i.PK === key.PK && i.SK === key.SK);
  const orgItem = find(orgKey(orgId));
  const membershipItem = find(membershipKey(orgId, userId));
  return {
    ...(orgItem ? { org: orgFromItem(orgItem) } : {}),
    ...(membershipItem ? { membership: membershipFromItem(membershipItem) } : {}),
  };
}

/** A person's join request to an org (strongly consistent); 404 when there is none. */
export async function getJoinRequest(db: Database, orgId: string, userId: string): Promise<JoinRequest> {
  const item = await getItem(db, joinRequestKey(orgId, userId));
  if (!item) throw new NotFoundError('No such join request', 'join_request_not_found');
  return joinRequestFromItem(item);
}

/**
 * The TransactWriteItems round trip a written request takes, writing nothing (one ConditionCheck
 * that always holds): a request that is not recorded (no such org, a refused email domain) costs
 * the caller what a recorded one does, so its answer time tells them apart no more than its answer.
 */
export async function writeNoJoinRequest(db: Database, orgId: string, userId: string): Promise<void> {
  await transactWrite(db, [
    check(db, { key: joinRequestKey(orgId, userId), condition: 'attribute_not_exists(PK) OR attribute_exists(PK)' }),
  ]);
}
