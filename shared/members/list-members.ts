import { batchGetAll } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import {
  inactiveSinceRange,
  memberListIndex,
  memberListPartition,
  memberSearchIndex,
  memberSearchPartition,
  memberSortPrefix,
  membershipKey,
  normalizeEmail,
  userKey,
} from '../data/keys.js';
import { MEMBERSHIP_ENTITY, membershipFromItem, querySearchEntries } from './membership-repository.js';
import { queryPage, type Page, type PageQuery } from '../data/pagination.js';
import { userFromItem } from '../users/user-repository.js';
import { ValidationError } from '../errors.js';
import { withSignInMethod, type MemberDetails } from './member-details.js';
import { membershipView } from './membership.js';
import { MIN_QUERY_LENGTH, searchQueryOf } from './search-terms.js';
import type { ListMembersQuery } from './schemas.js';
import { orgManagesAccountHint, type ManagingOrg } from '../users/account-management.js';

export const SUPPORTED_MEMBER_LISTS =
  'sort by name, email, createdAt, lastLoginAt or lastActiveAt with no filter; inactiveSince alone (sorted by lastActiveAt); q (a prefix of any word of the name or of the email, 3+ characters) with sort=name, alone or with one of status, role or teamId; ' +
  'q with sort=email as an email prefix; one of status, role or teamId, sorted by name';

const unsupported = (field: string, message: string) =>
  new ValidationError([{ field, message: `${message}; supported: ${SUPPORTED_MEMBER_LISTS}` }]);

type Filter = 'status' | 'role' | 'teamId';

/** What one member-list request reads: a page of memberships, or of search entries (`search`: the folded q). */
export type MemberListPlan = Omit<PageQuery, 'limit' | 'cursor'> & { search?: string };

/**
 * Chooses the index that serves a member-list request as a single Query, or refuses the
 * combination: no list reads the whole org and discards most of it.
 */
export function planMemberList(orgId: string, query: ListMembersQuery): MemberListPlan {
  const forward = query.order === 'asc';
  const filters = (['status', 'role', 'teamId'] as const).filter((f) => query[f] !== undefined);
  if (filters.length > 1) throw unsupported(`query.${filters[1]}`, `cannot be combined with ${filters[0]}`);
  const filter: Filter | undefined = filters[0];
  if (query.inactiveSince !== undefined) {
    // One range of the last-active index: the members whose last request is before the instant, least recent first.
    if (filter) throw unsupported(`query.${filter}`, 'cannot be combined with inactiveSince');
    if (query.q !== undefined) throw unsupported('query.q', 'cannot be combined with inactiveSince');
    if (query.sort !== 'name' && query.sort !== 'lastActiveAt')
      throw unsupported('query.sort', 'inactiveSince lists by lastActiveAt only');
    return {
      index: memberListIndex.sort.lastActiveAt,
      partition: memberListPartition.all(orgId),
      sortKey: { between: inactiveSinceRange(query.inactiveSince) },
      forward,
    };
  }
  if (query.q !== undefined && query.sort === 'name') {
    const search = searchQueryOf(query.q);
    if (search.length < MIN_QUERY_LENGTH) {
      throw new ValidationError([
        {
          field: 'query.q',
          message: `must hold at least ${MIN_QUERY_LENGTH} letters or digits: shorter ones match most of a large org, and a page could no longer read only its own members`,
        },
      ]);
    }
    return { ...searchPartition(orgId, query, filter), sortKey: { beginsWith: search }, forward, search };
  }
  if (filter) {
    if (query.sort !== 'name') throw unsupported('query.sort', `a ${filter} filter lists by name only`);
    if (query.q !== undefined) throw unsupported('query.q', `with a ${filter} filter, q searches by name order only`);
    const partition =
      filter === 'status'
        ? memberListPartition.status(orgId, query.status!)
        : filter === 'role'
          ? memberListPartition.role(orgId, query.role!)
          : memberListPartition.team(orgId, query.teamId!);
    return {
      index: memberListIndex.filter[filter],
      partition,
      sortKey: { beginsWith: memberSortPrefix.name },
      forward,
    };
  }
  const partition = memberListPartition.all(orgId);
  if (query.q !== undefined) {
    if (query.sort !== 'email') throw unsupported('query.q', `cannot be used with sort=${query.sort}`);
    return {
      index: memberListIndex.sort.email,
      partition,
      sortKey: { beginsWith: memberSortPrefix.email + normalizeEmail(query.q) },
      forward,
    };
  }
  return {
    index: memberListIndex.sort[query.sort],
    partition,
    sortKey: { beginsWith: memberSortPrefix[query.sort] },
    forward,
  };
}

function searchPartition(
  orgId: string,
  query: ListMembersQuery,
  filter: Filter | undefined,
): Pick<PageQuery, 'index' | 'partition'> {
  if (filter === 'status')
    return { index: memberSearchIndex.status, partition: memberSearchPartition.status(orgId, query.status!) };
  if (filter === 'role')
    return { index: memberSearchIndex.role, partition: memberSearchPartition.role(orgId, query.role!) };
  if (filter === 'teamId')
    return { index: memberSearchIndex.teamId, partition: memberSearchPartition.team(orgId, query.teamId!) };
  return { index: memberSearchIndex.all, partition: memberSearchPartition.all(orgId) };
}

/**
 * One page of an org's members: one Query reading at most limit+1 items, one BatchGetItem for
 * sign-in methods. A search reads search entries instead (one per matching term, each member
 * kept once) and then the page's memberships with their users in one BatchGetItem.
 */
export async function listMembers(
  db: Database,
  org: ManagingOrg,
  query: ListMembersQuery,
): Promise<Page<MemberDetails>> {
  const plan = planMemberList(org.orgId, query);
  const { search, ...pageQuery } = plan;
  if (search === undefined) {
    const page = await queryPage(db, { ...pageQuery, limit: query.limit, cursor: query.cursor });
    return { items: await withSignInMethod(db, org, page.items.map(membershipFromItem)), nextCursor: page.nextCursor };
  }
  const page = await querySearchEntries(db, { ...pageQuery, limit: query.limit, cursor: query.cursor }, search);
  return {
    items: await membersByUserId(db, org, page.items),
    nextCursor: page.nextCursor,
  };
}

/** Memberships and their users of a page, in the page's order, read together; one removed since the index was read is left out. */
async function membersByUserId(db: Database, org: ManagingOrg, userIds: string[]): Promise<MemberDetails[]> {
  const { orgId } = org;
  if (userIds.length === 0) return [];
  const items = await batchGetAll(
    db,
    userIds.flatMap((id) => [membershipKey(orgId, id), userKey(id)]),
  );
  const memberships = new Map(
    items
      .filter((i) => i.entity === MEMBERSHIP_ENTITY)
      .map(membershipFromItem)
      .map((m) => [m.userId, m]),
  );
  const users = new Map(
    items
      .filter((i) => i.SK === 'USER')
      .map(userFromItem)
      .map((u) => [u.userId, u]),
  );
  return userIds.flatMap((id) => {
    const m = memberships.get(id);
    const user = users.get(id);
    return m
      ? [
          {
            ...membershipView(m),
            authSource: user?.authSource ?? { kind: 'password' as const },
            managed: user ? orgManagesAccountHint(org, user) : false,
          },
        ]
      : [];
  });
}
