import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../local/ensure-table.js';
import { memberSearchSortKey, normalizeEmail } from '../shared/data/keys.js';
import { memberSearchItems, membershipToItem } from '../shared/members/membership-repository.js';
import { isFirstMatch, searchQueryOf, searchTermsOf } from '../shared/members/search-terms.js';
import { KEEPING_QUERIES } from '../shared/data/pagination.js';
import { newId } from '../shared/ids.js';
import type { Membership, MembershipStatus } from '../shared/members/membership.js';
import type { Role } from '../shared/roles.js';
import { expectOk } from './arrange.js';
import type { BenchStack } from './bench-stack.js';
import { ROUND_TRIP_BUDGET } from './round-trips.js';

/**
 * DESIGN.md §5 / issue 3: items read per member-list page at a small org and at a large one
 * (seeded straight into the table), for each sort, search and filter the list serves.
 */
export const LIST_LIMIT = 50;
export const SMALL_ORG_MEMBERS = 10;
const BATCH = 25;
const CONCURRENCY = 8;

export interface ListRequest {
  /** Printed: the query string without limit or cursor. */
  label: string;
  query: string;
  limit: number;
  /** Which members of the org the list returns (the same rule the index encodes). */
  matches: (m: Membership, team: string) => boolean;
  /**
   * A search (`q` with sort=name): the folded q. Its index holds one entry per search term of
   * a member, and a page keeps each member's first matching one: the bound counts the entries
   * read up to the (limit+1)th kept, by the same rule, not the members.
   */
  search?: string;
}

const all = () => true;
const searchFor = (q: string, filter: (m: Membership, team: string) => boolean = all) => ({
  search: searchQueryOf(q),
  matches: (m: Membership, team: string) =>
    filter(m, team) && searchTermsOf(m.name, m.email).some((t) => t.startsWith(searchQueryOf(q))),
});

const REQUESTS: readonly ListRequest[] = [
  { label: 'sort=name', query: 'sort=name', limit: LIST_LIMIT, matches: all },
  { label: 'sort=email&order=desc', query: 'sort=email&order=desc', limit: LIST_LIMIT, matches: all },
  { label: 'sort=createdAt', query: 'sort=createdAt', limit: LIST_LIMIT, matches: all },
  { label: 'sort=lastLoginAt&order=desc', query: 'sort=lastLoginAt&order=desc', limit: LIST_LIMIT, matches: all },
  {
    label: 'q=maria. sort=email (email prefix)',
    query: 'sort=email&q=maria.',
    limit: LIST_LIMIT,
    matches: (m) => normalizeEmail(m.email).startsWith('maria.'),
  },
  { label: 'q=mar (search: name words, email)', query: 'q=mar', limit: LIST_LIMIT, ...searchFor('mar') },
  { label: 'q=smith (search: a later word)', query: 'q=smith', limit: LIST_LIMIT, ...searchFor('smith') },
  {
    label: 'q=maria.smith (search: email start)',
    query: 'q=maria.smith',
    limit: LIST_LIMIT,
    ...searchFor('maria.smith'),
  },
  {
    label: 'status=active&q=kim (search)',
    query: 'status=active&q=kim',
    limit: LIST_LIMIT,
    ...searchFor('kim', (m) => m.status === 'active'),
  },
  {
    label: 'role=org_admin&q=mar (search)',
    query: 'role=org_admin&q=mar',
    limit: LIST_LIMIT,
    ...searchFor('mar', (m) => m.role === 'org_admin'),
  },
  {
    label: 'teamId=<team>&q=sil (search)',
    query: 'teamId={team}&q=sil',
    limit: LIST_LIMIT,
    ...searchFor('sil', (m, team) => m.teamId === team),
  },
  { label: 'status=suspended', query: 'status=suspended', limit: LIST_LIMIT, matches: (m) => m.status === 'suspended' },
  { label: 'teamId=<team>', query: 'teamId={team}', limit: LIST_LIMIT, matches: (m, team) => m.teamId === team },
  // A page smaller than the small org, so both orgs fill it: the figures must then be equal.
  { label: 'sort=name', query: 'sort=name', limit: 5, matches: all },
  { label: 'sort=lastLoginAt', query: 'sort=lastLoginAt', limit: 5, matches: all },
  // Searches the small org answers with more than one page too (its seeded names: bench/list-scale generateMembers, seed 10).
  { label: 'q=mul (search: a later word, ü folded)', query: 'q=mul', limit: 2, ...searchFor('mul') },
  { label: 'q=far (search)', query: 'q=far', limit: 1, ...searchFor('far') },
  {
    label: 'status=active&q=ros (search)',
    query: 'status=active&q=ros',
    limit: 1,
    ...searchFor('ros', (m) => m.status === 'active'),
  },
  {
    label: 'teamId=<team>&q=mul (search)',
    query: 'teamId={team}&q=mul',
    limit: 1,
    ...searchFor('mul', (m, team) => m.teamId === team),
  },
];

/** One page of one request in one org. */
export interface PageFigure {
  /** Members the whole list matches from this page on (before this page's offset). */
  matching: number;
  /** min(limit+1, matching): what a page that reads only its own items plus one must read. */
  bound: number;
  /** Sum of ScannedCount over the operation's Query responses: the member index items read. */
  itemsRead: number;
  /** Keys the operation's GetItem/BatchGetItem requests asked for (the page's users). */
  keysRequested: number;
  roundTrips: { authorization: number; operation: number };
  returned: number;
  status: number;
}

export interface ListScaleRow {
  request: string;
  limit: number;
  page: 1 | 2;
  small?: PageFigure;
  large?: PageFigure;
  /** large.itemsRead / small.itemsRead. */
  ratio?: number;
  /**
   * PASS: at each size the index items read equal their bound (≤ limit+1), the items fetched
   * by key are at most the page's, and round trips are within ROUND_TRIP_BUDGET.
   */
  verdict: 'PASS' | 'FAIL' | 'ERROR';
  detail?: string;
}

export type ListScaleReport =
  | {
      status: 'measured';
      /** Seeded members (the figures' column labels); the lists also hold the admin createOrg made. */
      seeded: { small: number; large: number };
      /** Memberships in each org: seeded plus the admin. */
      members: { small: number; large: number };
      /** The two orgs, which the console measurement opens in the browser afterwards. */
      orgs: { small: string; large: string };
      seeding: { items: number; seconds: number; itemsPerSecond: number; batch: number; concurrency: number };
      rows: ListScaleRow[];
    }
  | { status: 'skipped'; reason: string };

/** Deterministic pseudo-random numbers (mulberry32), so runs seed the same mix. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Maria',
  'Marco',
  'Mateo',
  'Anna',
  'Ben',
  'Chloe',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kofi',
  'Lena',
  'Maya',
  'Noah',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Xavier',
  'Yara',
  'Zoe',
];
const LAST = [
  'Smith',
  'Garcia',
  'Müller',
  'Okafor',
  'Tanaka',
  'Rossi',
  'Novak',
  'Silva',
  'Kim',
  'Nguyen',
  'Johansson',
  'Haddad',
  'Kowalski',
  'Dubois',
  'Ivanova',
];
const EPOCH = Date.parse('2024-01-01T00:00:00.000Z');
const TWO_YEARS = 2 * 365 * 24 * 3600 * 1000;

function pick<T>(list: readonly T[], r: number): T {
  return list[Math.floor(r * list.length)] as T;
}

/** Members with varied names, emails, status, role, team, creation and last sign-in. */
export function generateMembers(orgId: string, count: number, teamId: string, seed: number): Membership[] {
  const next = random(seed);
  const members: Membership[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST, next());
    const last = pick(LAST, next());
    const s = next();
    const status: MembershipStatus = s < 0.8 ? 'active' : s < 0.95 ? 'suspended' : 'deprovisioned';
    const role: Role = next() < 0.1 ? 'org_admin' : 'member';
    const createdAt = new Date(EPOCH + Math.floor(next() * TWO_YEARS)).toISOString();
    const lastLoginAt =
      next() < 0.2
        ? null
        : new Date(
            Date.parse(createdAt) + Math.floor(next() * (EPOCH + TWO_YEARS - Date.parse(createdAt))),
          ).toISOString();
    members.push({
      orgId,
      userId: newId(),
      name: `${first} ${last}`,
      email: `${first}.${last}.${i}@example${i % 7}.test`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
      role,
      teamId: next() < 0.3 ? teamId : null,
      status,
      source: 'manual',
      createdAt,
      updatedAt: createdAt,
      lastLoginAt,
      lastActiveAt: lastLoginAt,
      version: 1,
    });
  }
  return members;
}

/** BatchWriteItem, 25 items a request, `CONCURRENCY` requests in flight; unprocessed items are resent. */
/** Writes items straight into the table: BatchWriteItem, BATCH a request, CONCURRENCY in flight, unprocessed items retried. */
export async function seedItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  progress: (line: string) => void,
  label: string,
): Promise<void> {
  let nextIndex = 0;
  let written = 0;
  let reported = 0;
  const worker = async () => {
    for (;;) {
      const start = nextIndex;
      if (start >= items.length) return;
      nextIndex += BATCH;
      let requests = items.slice(start, start + BATCH).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 10) throw new Error('seeding: BatchWriteItem kept returning unprocessed items');
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
      written += Math.min(BATCH, items.length - start);
      if (written - reported >= 10_000) {
        reported = written;
        progress(`${label}: seeded ${written}/${items.length}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

export interface SeededOrg {
  orgId: string;
  teamId: string;
  /** Seeded members plus the admin createOrg made (the demo admin, who sends the requests). */
  members: Membership[];
}

/** An org made through the API with the demo admin as its admin, a team, and `count` members seeded directly. */
export async function seedOrg(
  stack: BenchStack,
  name: string,
  count: number,
  seed: number,
  client: DynamoDBDocumentClient,
  progress: (line: string) => void,
): Promise<SeededOrg> {
  const { api, db } = stack;
  const created = await expectOk(
    api,
    {
      method: 'POST',
      path: '/v1/orgs',
      as: 'operator',
      body: { name, maxSeats: 1_000_000, admin: { email: 'admin@acme.test', name: 'Acme Admin' } },
    },
    201,
  );
  const org = created.body as { orgId: string; admin: Omit<Membership, 'version'> };
  const team = await expectOk(
    api,
    { method: 'POST', path: `/v1/orgs/${org.orgId}/teams`, as: 'orgAdmin', body: { name: 'Platform' } },
    201,
  );
  const teamId = (team.body as { teamId: string }).teamId;
  const members = generateMembers(org.orgId, count, teamId, seed);
  await seedItems(
    client,
    db.tableName,
    members.flatMap((m) => [membershipToItem(m), ...memberSearchItems(m)]),
    progress,
    'list pages',
  );
  return { orgId: org.orgId, teamId, members: [...members, { ...org.admin, version: 1 }] };
}

async function measurePage(
  stack: BenchStack,
  org: SeededOrg,
  request: ListRequest,
  cursor: string | undefined,
  skipped: number,
): Promise<PageFigure & { nextCursor: string | null }> {
  const matched = org.members.filter((m) => request.matches(m, org.teamId));
  const matching = Math.max(0, matched.length - skipped);
  const query = `${request.query.replace('{team}', org.teamId)}&limit=${request.limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  stack.counter.reset();
  const response = await stack.api.send({
    method: 'GET',
    path: `/v1/orgs/${org.orgId}/members?${query}`,
    as: 'orgAdmin',
  });
  const trips = stack.counter.taken();
  const body = response.body as { items?: unknown[]; nextCursor?: string | null } | undefined;
  const operation = trips.filter((t) => t.origin === 'operation');
  return {
    matching,
    bound:
      request.search === undefined
        ? Math.min(request.limit + 1, matching)
        : searchEntriesBound(matched, request, skipped > 0 ? 2 : 1),
    itemsRead: operation.reduce((sum, t) => sum + (t.itemsRead ?? 0), 0),
    keysRequested: operation.reduce((sum, t) => sum + (t.keysRequested ?? 0), 0),
    roundTrips: {
      authorization: trips.filter((t) => t.origin === 'authorization').length,
      operation: operation.length,
    },
    returned: body?.items?.length ?? 0,
    status: response.status,
    nextCursor: body?.nextCursor ?? null,
  };
}

/**
 * The search entries a page must read, by the rule queryPageKeeping follows: the matching
 * members' entries in index order; Queries of limit+1, then of as many as were set aside, until
 * limit+1 are kept, the entries end, or KEEPING_QUERIES were sent. Page 2 starts where page 1's
 * cursor points (after its last kept member, or after the last entry read when it stopped early).
 */
function searchEntriesBound(matched: readonly Membership[], request: ListRequest, page: 1 | 2): number {
  const q = request.search!;
  const entries = matched
    .flatMap((m) =>
      searchTermsOf(m.name, m.email).flatMap((term, slot, terms) =>
        term.startsWith(q)
          ? [{ key: memberSearchSortKey(term, m.name, m.userId), kept: isFirstMatch(terms, slot, q) }]
          : [],
      ),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (request.query.includes('order=desc')) entries.reverse();
  const readPage = (from: number): { read: number; next: number } => {
    let at = from;
    let kept = 0;
    let lastKeptEnd = from;
    for (let queries = 0; queries < KEEPING_QUERIES && kept <= request.limit && at < entries.length; queries++) {
      const take = Math.min(request.limit + 1 - kept, entries.length - at);
      for (let i = 0; i < take; i++, at++) {
        if (entries[at]!.kept) {
          kept++;
          if (kept <= request.limit) lastKeptEnd = at + 1;
        }
      }
    }
    return { read: at - from, next: kept > request.limit ? lastKeptEnd : at };
  };
  const first = readPage(0);
  return page === 1 ? first.read : readPage(first.next).read;
}

function judge(figures: (PageFigure | undefined)[]): { verdict: ListScaleRow['verdict']; detail?: string } {
  const measured = figures.filter((f): f is PageFigure => f !== undefined);
  const broken = measured.find((f) => f.status !== 200);
  if (broken) return { verdict: 'ERROR', detail: `answered ${broken.status}` };
  const over = measured.find(
    (f) =>
      f.itemsRead !== f.bound ||
      // A search reads its page's memberships and users by key: two keys a member.
      f.keysRequested > 2 * f.returned ||
      f.roundTrips.authorization > ROUND_TRIP_BUDGET.authorization ||
      f.roundTrips.operation > ROUND_TRIP_BUDGET.operation,
  );
  return over ? { verdict: 'FAIL' } : { verdict: 'PASS' };
}

/**
 * Seeds a small and a large org, then sends each list request to both: page 1, and page 2
 * through the cursor page 1 returned (the small org has none when page 1 held everything).
 */
export async function measureListScale(
  stack: BenchStack,
  largeMembers: number,
  progress: (line: string) => void,
): Promise<ListScaleReport> {
  const client = DynamoDBDocumentClient.from(localDynamoClient(stack.table.endpoint), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  try {
    progress(
      `list pages: seeding ${SMALL_ORG_MEMBERS} and ${largeMembers} members (BatchWriteItem, ${BATCH} a request, ${CONCURRENCY} in flight)`,
    );
    const started = performance.now();
    const small = await seedOrg(stack, 'Small Org', SMALL_ORG_MEMBERS, 10, client, progress);
    const large = await seedOrg(stack, 'Large Org', largeMembers, 100_000, client, progress);
    const seconds = (performance.now() - started) / 1000;
    const items = SMALL_ORG_MEMBERS + largeMembers;
    progress(`list pages: seeded ${items} members in ${seconds.toFixed(1)} s`);

    const rows: ListScaleRow[] = [];
    for (const request of REQUESTS) {
      progress(`list pages: ${request.label} limit=${request.limit}`);
      const smallFirst = await measurePage(stack, small, request, undefined, 0);
      const largeFirst = await measurePage(stack, large, request, undefined, 0);
      const strip = ({ nextCursor: _ignored, ...figure }: PageFigure & { nextCursor: string | null }): PageFigure =>
        figure;
      rows.push(row(request, 1, strip(smallFirst), strip(largeFirst)));
      if (request.limit !== LIST_LIMIT) continue;
      const smallSecond = smallFirst.nextCursor
        ? strip(await measurePage(stack, small, request, smallFirst.nextCursor, request.limit))
        : undefined;
      const largeSecond = largeFirst.nextCursor
        ? strip(await measurePage(stack, large, request, largeFirst.nextCursor, request.limit))
        : undefined;
      if (smallSecond || largeSecond) rows.push(row(request, 2, smallSecond, largeSecond));
    }
    return {
      status: 'measured',
      seeded: { small: SMALL_ORG_MEMBERS, large: largeMembers },
      members: { small: small.members.length, large: large.members.length },
      orgs: { small: small.orgId, large: large.orgId },
      seeding: { items, seconds, itemsPerSecond: items / seconds, batch: BATCH, concurrency: CONCURRENCY },
      rows,
    };
  } finally {
    client.destroy();
  }
}

function row(
  request: ListRequest,
  page: 1 | 2,
  small: PageFigure | undefined,
  large: PageFigure | undefined,
): ListScaleRow {
  const ratio = small && large && small.itemsRead > 0 ? large.itemsRead / small.itemsRead : undefined;
  return {
    request: request.label,
    limit: request.limit,
    page,
    ...(small ? { small } : {}),
    ...(large ? { large } : {}),
    ...(ratio === undefined ? {} : { ratio }),
    ...judge([small, large]),
  };
}
