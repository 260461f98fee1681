import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, memberSortPrefix, nameSortValue, normalizeEmail } from '../data/keys.js';
import { membershipFromItem } from '../data/membership-repository.js';
import { queryPage, type Page, type PageQuery } from '../data/pagination.js';
import { ValidationError } from '../errors.js';
import { withSignInMethod, type MemberDetails } from './member-details.js';
import type { ListMembersQuery } from './schemas.js';

export const SUPPORTED_MEMBER_LISTS =
  'sort by name, email, createdAt or lastLoginAt with no filter; q (a name prefix, or an email prefix when it contains "@" or sort=email) with sort=name or sort=email; ' +
  'one of status, role or teamId, sorted by name, optionally with q as a name prefix';

const unsupported = (field: string, message: string) => new ValidationError([{ field, message: `${message}; supported: ${SUPPORTED_MEMBER_LISTS}` }]);

/**
 * Chooses the index that serves a member-list request as a single Query, or refuses the
 * combination: no list reads the whole org and discards most of it.
 */
export function planMemberList(orgId: string, query: ListMembersQuery): Omit<PageQuery, 'limit' | 'cursor'> {
  const forward = query.order === 'asc';
  const filters = (['status', 'role', 'teamId'] as const).filter((f) => query[f] !== undefined);
  if (filters.length > 1) throw unsupported(`query.${filters[1]}`, `cannot be combined with ${filters[0]}`);
  const filter = filters[0];
  if (filter) {
    if (query.sort !== 'name') throw unsupported('query.sort', `a ${filter} filter lists by name only`);
    const partition =
      filter === 'status' ? memberListPartition.status(orgId, query.status!) : filter === 'role' ? memberListPartition.role(orgId, query.role!) : memberListPartition.team(orgId, query.teamId!);
    return { index: memberListIndex.filter[filter], partition, sortKey: { beginsWith: memberSortPrefix.name + (query.q ? nameSortValue(query.q) : '') }, forward };
  }
  const partition = memberListPartition.all(orgId);
  if (query.q !== undefined) {
    if (query.sort === 'email' || (query.sort === 'name' && query.q.includes('@'))) {
      return { index: memberListIndex.sort.email, partition, sortKey: { beginsWith: memberSortPrefix.email + normalizeEmail(query.q) }, forward };
    }
    if (query.sort !== 'name') throw unsupported('query.q', `cannot be used with sort=${query.sort}`);
    return { index: memberListIndex.sort.name, partition, sortKey: { beginsWith: memberSortPrefix.name + nameSortValue(query.q) }, forward };
  }
  return { index: memberListIndex.sort[query.sort], partition, sortKey: { beginsWith: memberSortPrefix[query.sort] }, forward };
}

/** One page of an org's members: one Query reading at most limit+1 items, one BatchGetItem for sign-in methods. */
export async function listMembers(db: Database, orgId: string, query: ListMembersQuery): Promise<Page<MemberDetails>> {
  const page = await queryPage(db, { ...planMemberList(orgId, query), limit: query.limit, cursor: query.cursor });
  return { items: await withSignInMethod(db, page.items.map(membershipFromItem)), nextCursor: page.nextCursor };
}
