/**
 * Every partition, sort and index key of the single table is built here and nowhere else.
 *
 * Access patterns (entity · key · index · operation). "ts" is an ISO-8601 UTC timestamp,
 * which sorts lexicographically; ids are appended so equal sort values stay unique.
 *
 * | entity            | PK / SK                              | index keys                                                   | used by |
 * |-------------------|--------------------------------------|--------------------------------------------------------------|---------|
 * | org               | ORG#o / ORG                          | GSI1 ORGS / name#o                                           | get/patch org; seat + admin counters live here |
 * | user              | USER#u / USER                        | –                                                            | authorize (BatchGet), /me, credential actions |
 * | email claim       | EMAIL#e / EMAIL                      | –                                                            | platform-wide email uniqueness, lookup by email |
 * | local identity    | USER#u / LOCAL_IDENTITY              | –                                                            | local mode only: password hash, MFA state |
 * | local id by email | LOCALEMAIL#e / LOCAL_IDENTITY        | –                                                            | local mode only: sign-in by email |
 * | sso connection    | ORG#o / SSOCONN#c                    | –                                                            | an org's SSO connections (list = Query begins_with SSOCONN#: few an org); never a client secret |
 * | sso domain claim  | SSODOMAIN#d / SSODOMAIN              | –                                                            | one connection per email domain platform-wide; discovery and SSO enforcement read it by the email's domain |
 * | sso provider      | SSOPROVIDER#name / SSOPROVIDER       | –                                                            | the Cognito provider name's connection (federated-sign-in triggers) |
 * | sso registry      | SSOPROVIDERS / SSOPROVIDERS          | –                                                            | every provider name + version: the SPA client's supported providers are recomputed from it (sso/provider-registry.ts) |
 * | saml request      | SAMLREQ#id / SAMLREQ                 | – (ttl)                                                      | an AuthnRequest Roster sent (its id, when): a response's InResponseTo must name one; removed when answered (sso/saml-assertion.ts) |
 * | saml assertion    | SAMLASSERT#provider#id / SAMLASSERT  | – (ttl: the assertion's NotOnOrAfter + skew)                 | an accepted assertion's id, put with attribute_not_exists: a replay is refused by the condition |
 * | local idp         | LOCALIDP#name / LOCAL_IDP            | –                                                            | local mode only: a federated provider as Cognito holds it (with its secret) |
 * | local idp id      | LOCALIDPID#identifier / LOCAL_IDP    | –                                                            | local mode only: idp_identifier → provider name |
 * | local idp listing | LOCALIDPS / LOCAL_IDP#name           | –                                                            | local mode only: the pool's providers with their creation time (ListIdentityProviders: one Query) |
 * | local client      | LOCALCLIENT / LOCAL_CLIENT           | –                                                            | local mode only: the SPA client's supported providers |
 * | local fed link    | LOCALFEDLINK#provider#subject / LOCAL_IDENTITY | –                                                  | local mode only: a federated (provider, subject) → its identity's user id |
 * | membership        | ORG#o / MEMBER#u                     | GSI1 USER#u / ORG#o                                          | authorize (BatchGet); /me lists a user's orgs (GSI1SK begins_with ORG#: the partition also holds SCIM profiles) |
 * | member mail       | ORG#o / MEMBERMAIL#u                 | –                                                            | the last credential mail's delivery state (queued/sent/failed); read with the member (GET member's BatchGet), written with the mail and by the mailer |
 * |                   |                                      | GSI2 ORG#o#M / n#name#u                                      | members sorted by name, q = name prefix |
 * |                   |                                      | GSI3 ORG#o#M / e#email#u                                     | members sorted by email, q = email prefix |
 * |                   |                                      | GSI4 ORG#o#M / c#createdAt#u                                 | members sorted by createdAt |
 * |                   |                                      | GSI5 ORG#o#M / l#lastLoginAt#u                               | members sorted by last login (never: sorts first) |
 * |                   |                                      | GSI9 ORG#o#M / a#lastActiveAt#u                              | members sorted by last active; inactiveSince = SK BETWEEN a#0 AND a#since (never active included); written hourly at most by the authorizer's follow-up update |
 * |                   |                                      | GSI6 ORG#o#M#status#s / n#name#u                             | status filter (sorted by name) |
 * |                   |                                      | GSI7 ORG#o#M#role#r / n#name#u                               | role filter (sorted by name, q on name) |
 * |                   |                                      | GSI8 ORG#o#M#team#t / n#name#u (sparse: only with a team)    | team filter (sorted by name) |
 * | member search     | ORG#o / MSEARCH#u#slot               | GSI2 ORG#o#Q / term␁name#u                                   | q alone: prefix of a name word or of the email (members/search-terms.ts: ≤ 4 terms a member, folded) |
 * |                   |                                      | GSI6 ORG#o#Q#status#s / term␁name#u                          | q + status |
 * |                   |                                      | GSI7 ORG#o#Q#role#r / term␁name#u                            | q + role |
 * |                   |                                      | GSI8 ORG#o#Q#team#t / term␁name#u (sparse: only with a team) | q + team. Written with the membership by membershipWriteSteps / membershipSearchRemoveSteps (every slot: ≤ 5 actions a member, so bulk-role takes 19 ids) |
 * | team              | ORG#o / TEAM#t                       | GSI8 ORG#o#M#team#t / !team (sorts before its members' n#…)  | teams list = Query PK begins_with TEAM#; team delete reads the team and its first members in one Query |
 * | team name claim   | ORG#o / TEAMNAME#lowername           | –                                                            | per-org case-insensitive team name uniqueness |
 * | invitation        | ORG#o / INVITE#i                     | GSI1 ORG#o#INV#status / ts#i                                 | invitations by status, newest first |
 * |                   |                                      | GSI2 ORG#o#INV / ts#i                                        | all invitations, newest first |
 * |                   |                                      | GSI3 INVEXP#shard / expiresAt#o#i (sparse: pending only)     | expiry sweep reads only overdue pending ones |
 * |                   |                                      | –                                                            | the mailer updates delivery* by key, conditioned on deliverySendId (the outbox item's ref) |
 * | pending invite    | ORG#o / PENDING_INVITE#e             | –                                                            | one pending invitation per email and org |
 * | token             | TOKEN#sha256 / TOKEN                 | – (ttl)                                                      | invitation accept, password reset: one strongly consistent GetItem (a bearer accept: BatchGet with USER#u); an invitation's token carries its org, id, email, role, team and expiry, so accept writes without reading the invitation |
 * | join request      | ORG#o / JOINREQ#u                    | GSI1 ORG#o#JR#status / ts#u                                  | one pending request per user and org; list by status |
 * | audit event       | AUDIT#o / ts#id                      | GSI1 AUDIT#o#action#a / ts#id                                | audit trail newest first; action filter; from/to = SK BETWEEN on any of them; never deleted, so an import row's event (id derived from import + line, ts the batch's) is that row's done-marker |
 * |                   |                                      | GSI2 AUDIT#o#actor#a / ts#id                                 | actor filter |
 * |                   |                                      | GSI3 AUDIT#o#target#t / ts#id                                | target filter (a removed member's history, by userId) |
 * | api key           | APIKEY#k / APIKEY                    | GSI1 ORG#o#APIKEY / ts#k                                     | public API auth: the key names o and k, so key + org are one BatchGet; admin list |
 * | scim token        | SCIMTOKEN#k / SCIMTOKEN              | GSI1 ORG#o#SCIMTOKEN / ts#k                                  | SCIM auth: the token names o and k, so token + org are one BatchGet; admin list |
 * | scim external id  | ORG#o / SCIMEXT#externalId           | –                                                            | SCIM externalId uniqueness and `externalId eq` (holds the userId) |
 * | scim user profile | ORG#o / SCIMUSER#u                   | GSI1 USER#u / SCIM#ORG#o                                     | SCIM-only attributes of a member (externalId, given/family name, enterprise); read with the membership in one BatchGet; deactivate/remove read it, the membership and the user's other memberships in ONE Query of USER#u (GSI1), writes conditioned on the versions read |
 * | webhook event     | WEBHOOK#o#eventId / WEBHOOK          | – (ttl)                                                      | replayed webhook ids ignored (written in the change's transaction) |
 * | webhook config    | ORG#o / WEBHOOKCONFIG                | –                                                            | IdP webhook: signing secret, Okta header hash; one BatchGet with the event's replay marker and externalId/email claims |
 * | import job        | ORG#o / IMPORT#j                     | – (ttl; MODIFY into status queued starts the worker)         | import preview, status, progress, checkpoint (GetItem) |
 * |                   |                                      | GSI3 LEASE#shard / leaseUntil#import#o#j (sparse: while queued, running, or failing) | the seat sweeper finds imports whose worker died (resume, cancel or fail them) |
 * | seat lease        | ORG#o / SEATLEASE#r                  | GSI3 LEASE#shard / deadline#invite#o#r (sparse: while held)  | a bulk invite's reserved seats, its owner and deadline; the sweeper releases what a dead owner held; the recount adds what live leases hold |
 * | seat lease use    | ORG#o / SEATLEASE#r#USE#e            | – (ttl)                                                      | one seat of lease r became the invitation of e (written in that invitation's transaction): held = granted − uses |
 * | rate counter      | RATE#scope#subject#windowStart / RATE | – (ttl)                                                     | "at most N per window per key" (rate-limit.ts): one conditional UpdateItem a hit (an operation's fair limit: scope org-/source-bucket, subject the org id or client IP), or a step of the limited change's own transaction (an admin's reset-password: counted only if it commits); subjects hashed (no address or IP stored) |
 * | member export     | ORG#o / EXPORT#x                     | – (ttl; the stream's INSERT drives the export writer)        | large CSV export job: status, row count, file in the object store |
 * | import chunk      | IMPORT#j / CHUNK#n                   | – (ttl)                                                      | validated rows and row errors, 300 lines per item; the worker's batch n, the report |
 * | import batch      | IMPORT#j / BATCH#n                   | – (ttl)                                                      | batch n's seat grant (written with the reservation) and, once settled, its outcomes |
 * | outbox message    | OUTBOX#id / OUTBOX                   | – (ttl; the stream's INSERT drives the mailer)               | transactional outbox for mail; `ref` names the invitation and send whose delivery state the mailer records |
 * |                   |                                      | GSI1 ORG#o#OUTBOX#state / ts#id (sparse: queued or failed; a sent item is deleted) | an org's failed mail, and its queued mail older than a bound (stale), for the redrive; mail of no org under PLATFORM#OUTBOX#state |
 *
 * Deliberately not indexed: combinations of filters (status+role, role+team …), a filter
 * with a sort other than name, and q with a sort other than name (q with sort=email alone is
 * an email prefix on GSI3). The members list refuses those with a 400 naming the supported
 * combinations rather than reading the org and discarding most of it. A search is ordered by
 * the matching term, then the name (for a first-name or first.last@ match that is name order):
 * ordering a word-prefix search by the whole name would need an entry per prefix of every word
 * (dozens a member, past a transaction's 100 actions in bulk). A member matching q by two terms
 * has two entries and the page keeps the first (isFirstMatch); terms that start another term
 * are not stored and q must hold 3+ characters, so such pairs are rare, and a page sends at
 * most 3 Queries (queryPageKeeping), never a scan of the matches. Likewise the audit trail
 * serves one of action, actor or target at a time (each with a from/to range), and teams are
 * listed in team-id order (no by-name index; an org's teams are few).
 */
import { indexKeyAttributes, type IndexName } from './table-definition.js';

// A type alias (not an interface) so keys spread into and pass as plain item records.
export type ItemKey = { PK: string; SK: string };

/** Emails are compared trimmed and lower-cased platform-wide. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Sort-key form of a display name: case-insensitive, bounded, stable. */
export function nameSortValue(name: string): string {
  return name.trim().toLowerCase().slice(0, 200);
}

export const orgKey = (orgId: string): ItemKey => ({ PK: `ORG#${orgId}`, SK: 'ORG' });
export const userKey = (userId: string): ItemKey => ({ PK: `USER#${userId}`, SK: 'USER' });
export const emailClaimKey = (email: string): ItemKey => ({ PK: `EMAIL#${normalizeEmail(email)}`, SK: 'EMAIL' });
export const localIdentityKey = (userId: string): ItemKey => ({ PK: `USER#${userId}`, SK: 'LOCAL_IDENTITY' });
export const localIdentityEmailKey = (email: string): ItemKey => ({
  PK: `LOCALEMAIL#${normalizeEmail(email)}`,
  SK: 'LOCAL_IDENTITY',
});
export const ssoConnectionKey = (orgId: string, connectionId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `SSOCONN#${connectionId}`,
});
export const ssoDomainClaimKey = (domain: string): ItemKey => ({
  PK: `SSODOMAIN#${domain.toLowerCase()}`,
  SK: 'SSODOMAIN',
});
export const ssoProviderClaimKey = (providerName: string): ItemKey => ({
  PK: `SSOPROVIDER#${providerName}`,
  SK: 'SSOPROVIDER',
});
/** The one item listing every connection's provider name: the SPA client's supported providers are recomputed from it. */
export const ssoProviderRegistryKey = (): ItemKey => ({ PK: 'SSOPROVIDERS', SK: 'SSOPROVIDERS' });
export const samlRequestKey = (requestId: string): ItemKey => ({ PK: `SAMLREQ#${requestId}`, SK: 'SAMLREQ' });
export const samlAssertionKey = (providerName: string, assertionId: string): ItemKey => ({
  PK: `SAMLASSERT#${providerName}#${assertionId}`,
  SK: 'SAMLASSERT',
});
export const localIdentityProviderKey = (providerName: string): ItemKey => ({
  PK: `LOCALIDP#${providerName}`,
  SK: 'LOCAL_IDP',
});
export const localIdpIdentifierKey = (identifier: string): ItemKey => ({
  PK: `LOCALIDPID#${identifier.toLowerCase()}`,
  SK: 'LOCAL_IDP',
});
export const LOCAL_IDP_LISTING_PARTITION = 'LOCALIDPS';
export const localIdpListingKey = (providerName: string): ItemKey => ({
  PK: LOCAL_IDP_LISTING_PARTITION,
  SK: `LOCAL_IDP#${providerName}`,
});
export const localClientProvidersKey = (): ItemKey => ({ PK: 'LOCALCLIENT', SK: 'LOCAL_CLIENT' });
export const localFederatedLinkKey = (providerName: string, subject: string): ItemKey => ({
  PK: `LOCALFEDLINK#${providerName}#${subject}`,
  SK: 'LOCAL_IDENTITY',
});
export const membershipKey = (orgId: string, userId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `MEMBER#${userId}`,
});
/** The delivery state of the last credential mail (reset, set-password, email confirmation) sent to a member. */
export const memberMailKey = (orgId: string, userId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `MEMBERMAIL#${userId}`,
});
export const teamKey = (orgId: string, teamId: string): ItemKey => ({ PK: `ORG#${orgId}`, SK: `TEAM#${teamId}` });
export const teamNameClaimKey = (orgId: string, name: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `TEAMNAME#${nameSortValue(name)}`,
});
export const invitationKey = (orgId: string, invitationId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `INVITE#${invitationId}`,
});
export const pendingInvitationClaimKey = (orgId: string, email: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `PENDING_INVITE#${normalizeEmail(email)}`,
});
export const tokenKey = (tokenHash: string): ItemKey => ({ PK: `TOKEN#${tokenHash}`, SK: 'TOKEN' });
export const joinRequestKey = (orgId: string, userId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `JOINREQ#${userId}`,
});
export const auditEventKey = (orgId: string, timestamp: string, eventId: string): ItemKey => ({
  PK: `AUDIT#${orgId}`,
  SK: `${timestamp}#${eventId}`,
});
export const apiKeyKey = (keyId: string): ItemKey => ({ PK: `APIKEY#${keyId}`, SK: 'APIKEY' });
export const scimTokenKey = (tokenId: string): ItemKey => ({ PK: `SCIMTOKEN#${tokenId}`, SK: 'SCIMTOKEN' });
export const scimExternalIdKey = (orgId: string, externalId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `SCIMEXT#${externalId}`,
});
export const scimUserProfileKey = (orgId: string, userId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `SCIMUSER#${userId}`,
});
export const webhookEventKey = (orgId: string, eventId: string): ItemKey => ({
  PK: `WEBHOOK#${orgId}#${eventId}`,
  SK: 'WEBHOOK',
});
export const webhookConfigKey = (orgId: string): ItemKey => ({ PK: `ORG#${orgId}`, SK: 'WEBHOOKCONFIG' });
export const importJobKey = (orgId: string, importId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `IMPORT#${importId}`,
});
export const importChunkKey = (importId: string, chunk: number): ItemKey => ({
  PK: `IMPORT#${importId}`,
  SK: `CHUNK#${String(chunk).padStart(4, '0')}`,
});
export const importBatchKey = (importId: string, chunk: number): ItemKey => ({
  PK: `IMPORT#${importId}`,
  SK: `BATCH#${String(chunk).padStart(4, '0')}`,
});
export const importPartition = (importId: string): string => `IMPORT#${importId}`;
export const outboxKey = (messageId: string): ItemKey => ({ PK: `OUTBOX#${messageId}`, SK: 'OUTBOX' });
export const seatLeaseKey = (orgId: string, leaseId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `SEATLEASE#${leaseId}`,
});
export const seatLeaseUseKey = (orgId: string, leaseId: string, email: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `SEATLEASE#${leaseId}#USE#${normalizeEmail(email)}`,
});
export const rateCounterKey = (scope: string, subject: string, windowStart: number): ItemKey => ({
  PK: `RATE#${scope}#${subject}#${windowStart}`,
  SK: 'RATE',
});
export const memberExportKey = (orgId: string, exportId: string): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `EXPORT#${exportId}`,
});

/** Sort-key prefixes for Queries inside an org's partition. */
export const ORG_PARTITION_PREFIX = {
  member: 'MEMBER#',
  memberSearch: 'MSEARCH#',
  team: 'TEAM#',
  invitation: 'INVITE#',
  joinRequest: 'JOINREQ#',
  importJob: 'IMPORT#',
  pendingInvite: 'PENDING_INVITE#',
  seatLease: 'SEATLEASE#',
  ssoConnection: 'SSOCONN#',
} as const;

export const orgPartition = (orgId: string): string => `ORG#${orgId}`;
export const auditPartition = (orgId: string): string => `AUDIT#${orgId}`;

/** Index attributes as a plain record, for spreading into an item. */
function indexEntry(index: IndexName, pk: string, sk: string): Record<string, string> {
  const names = indexKeyAttributes(index);
  return { [names.partitionKey]: pk, [names.sortKey]: sk };
}

export const orgIndexKeys = (orgId: string, name: string): Record<string, string> =>
  indexEntry('GSI1', 'ORGS', `${nameSortValue(name)}#${orgId}`);

/** Member-list index partitions, one per supported filter. */
export const memberListPartition = {
  all: (orgId: string) => `ORG#${orgId}#M`,
  status: (orgId: string, status: string) => `ORG#${orgId}#M#status#${status}`,
  role: (orgId: string, role: string) => `ORG#${orgId}#M#role#${role}`,
  team: (orgId: string, teamId: string) => `ORG#${orgId}#M#team#${teamId}`,
};

/** Member-list sort-key prefixes, one per supported sort (they also separate q searches). */
export const memberSortPrefix = {
  name: 'n#',
  email: 'e#',
  createdAt: 'c#',
  lastLoginAt: 'l#',
  lastActiveAt: 'a#',
} as const;
export type MemberSort = keyof typeof memberSortPrefix;

/** Which index serves a member-list sort with no filter, and a filter sorted by name. */
export const memberListIndex = {
  byMembershipsOfUser: 'GSI1',
  sort: { name: 'GSI2', email: 'GSI3', createdAt: 'GSI4', lastLoginAt: 'GSI5', lastActiveAt: 'GSI9' },
  filter: { status: 'GSI6', role: 'GSI7', teamId: 'GSI8' },
} as const satisfies {
  byMembershipsOfUser: IndexName;
  sort: Record<MemberSort, IndexName>;
  filter: Record<'status' | 'role' | 'teamId', IndexName>;
};

export interface MembershipIndexInput {
  orgId: string;
  userId: string;
  name: string;
  email: string;
  status: string;
  role: string;
  teamId: string | null;
  createdAt: string;
  lastLoginAt: string | null;
  lastActiveAt: string | null;
}

/** Never signed in sorts before any timestamp ascending ("0" < "2…"), last descending. */
const NEVER = '0';

/** The membership's entry in the last-active index (GSI9); never active sorts first, as for last login. */
export const lastActiveSortKey = (userId: string, lastActiveAt: string | null): string =>
  `${memberSortPrefix.lastActiveAt}${lastActiveAt ?? NEVER}#${userId}`;

/** Sort-key range of members not active since `since` (never active included): GSI9SK BETWEEN these. */
export const inactiveSinceRange = (since: string): [string, string] => [
  `${memberSortPrefix.lastActiveAt}${NEVER}`,
  `${memberSortPrefix.lastActiveAt}${since}`,
];

export function membershipIndexKeys(m: MembershipIndexInput): Record<string, string> {
  const byName = `${memberSortPrefix.name}${nameSortValue(m.name)}#${m.userId}`;
  return {
    ...indexEntry('GSI1', `USER#${m.userId}`, `ORG#${m.orgId}`),
    ...indexEntry('GSI2', memberListPartition.all(m.orgId), byName),
    ...indexEntry(
      'GSI3',
      memberListPartition.all(m.orgId),
      `${memberSortPrefix.email}${normalizeEmail(m.email)}#${m.userId}`,
    ),
    ...indexEntry('GSI4', memberListPartition.all(m.orgId), `${memberSortPrefix.createdAt}${m.createdAt}#${m.userId}`),
    ...indexEntry(
      'GSI5',
      memberListPartition.all(m.orgId),
      `${memberSortPrefix.lastLoginAt}${m.lastLoginAt ?? NEVER}#${m.userId}`,
    ),
    ...indexEntry('GSI9', memberListPartition.all(m.orgId), lastActiveSortKey(m.userId, m.lastActiveAt)),
    ...indexEntry('GSI6', memberListPartition.status(m.orgId, m.status), byName),
    ...indexEntry('GSI7', memberListPartition.role(m.orgId, m.role), byName),
    ...(m.teamId ? indexEntry('GSI8', memberListPartition.team(m.orgId, m.teamId), byName) : {}),
  };
}

/**
 * Member search: one item per search term of a membership (see members/search-terms.ts), in
 * the org's partition under MSEARCH#u#slot, written in the same transaction as the membership.
 * Its index entries reuse the member-list indexes with their own partitions (`…#Q…`), one per
 * filter, so `q` alone or with one filter is a single prefix Query of one partition.
 */
export const memberSearchKey = (orgId: string, userId: string, slot: number): ItemKey => ({
  PK: `ORG#${orgId}`,
  SK: `${ORG_PARTITION_PREFIX.memberSearch}${userId}#${slot}`,
});

export const memberSearchPartition = {
  all: (orgId: string) => `ORG#${orgId}#Q`,
  status: (orgId: string, status: string) => `ORG#${orgId}#Q#status#${status}`,
  role: (orgId: string, role: string) => `ORG#${orgId}#Q#role#${role}`,
  team: (orgId: string, teamId: string) => `ORG#${orgId}#Q#team#${teamId}`,
};

export const memberSearchIndex = {
  all: 'GSI2',
  status: 'GSI6',
  role: 'GSI7',
  teamId: 'GSI8',
} as const satisfies Record<string, IndexName>;

/**
 * Ends a term inside a search sort key: below every character a folded term keeps, so a query
 * matches term prefixes only and equal terms sort by name.
 */
export const SEARCH_TERM_END = '\u0001';

/** Sort key of a search entry: the term, then the name (ties), then the user id (unique). */
export const memberSearchSortKey = (term: string, name: string, userId: string): string =>
  `${term}${SEARCH_TERM_END}${nameSortValue(name)}#${userId}`;

export function memberSearchIndexKeys(
  m: Pick<MembershipIndexInput, 'orgId' | 'userId' | 'name' | 'status' | 'role' | 'teamId'>,
  term: string,
): Record<string, string> {
  const sk = memberSearchSortKey(term, m.name, m.userId);
  return {
    ...indexEntry(memberSearchIndex.all, memberSearchPartition.all(m.orgId), sk),
    ...indexEntry(memberSearchIndex.status, memberSearchPartition.status(m.orgId, m.status), sk),
    ...indexEntry(memberSearchIndex.role, memberSearchPartition.role(m.orgId, m.role), sk),
    ...(m.teamId ? indexEntry(memberSearchIndex.teamId, memberSearchPartition.team(m.orgId, m.teamId), sk) : {}),
  };
}

/**
 * The team item's entry in its own member index: sorted before every member (`!` < `n#`), so one
 * Query reads the team and its first members, and an empty team is known without a second read.
 * Readers of members by team must keep to the `n#` prefix.
 */
export const TEAM_INDEX_SORT_KEY = '!team';
export const teamIndexKeys = (orgId: string, teamId: string): Record<string, string> =>
  indexEntry('GSI8', memberListPartition.team(orgId, teamId), TEAM_INDEX_SORT_KEY);

export const userMembershipsPartition = (userId: string): string => `USER#${userId}`;
/** Sort-key prefix of the memberships in a user's GSI1 partition (SCIM profiles there sort under SCIM#). */
export const USER_MEMBERSHIP_SORT_PREFIX = 'ORG#';
/**
 * The SCIM profile's entry in its user's GSI1 partition, beside the user's memberships but not
 * under their ORG# prefix, so one Query reads a member's profile and all their memberships.
 */
export const scimUserProfileIndexKeys = (orgId: string, userId: string): Record<string, string> =>
  indexEntry('GSI1', userMembershipsPartition(userId), `SCIM#ORG#${orgId}`);

export function invitationIndexKeys(i: {
  orgId: string;
  invitationId: string;
  status: string;
  createdAt: string;
  expiresAt: string;
}): Record<string, string> {
  const newest = `${i.createdAt}#${i.invitationId}`;
  return {
    ...indexEntry('GSI1', `ORG#${i.orgId}#INV#${i.status}`, newest),
    ...indexEntry('GSI2', `ORG#${i.orgId}#INV`, newest),
    ...(i.status === 'pending'
      ? indexEntry('GSI3', invitationExpiryPartition(0), `${i.expiresAt}#${i.orgId}#${i.invitationId}`)
      : {}),
  };
}

/**
 * Overdue pending invitations. One shard for now: the sweep reads only overdue items, so the
 * partition's write rate is the invitation rate. Raise the shard count if that ever gets hot.
 */
export const invitationExpiryPartition = (shard: number): string => `INVEXP#${shard}`;

export const joinRequestListPartition = (orgId: string, status: string): string => `ORG#${orgId}#JR#${status}`;

export function joinRequestIndexKeys(r: { orgId: string; userId: string; status: string; createdAt: string }) {
  return indexEntry('GSI1', joinRequestListPartition(r.orgId, r.status), `${r.createdAt}#${r.userId}`);
}

export const auditIndexPartition = {
  action: (orgId: string, action: string) => `AUDIT#${orgId}#action#${action}`,
  actor: (orgId: string, actorId: string) => `AUDIT#${orgId}#actor#${actorId}`,
  target: (orgId: string, targetId: string) => `AUDIT#${orgId}#target#${targetId}`,
};
export const auditIndex = { action: 'GSI1', actor: 'GSI2', target: 'GSI3' } as const satisfies Record<
  string,
  IndexName
>;

/**
 * Inclusive bounds on an audit sort key (`ts#id`, in the table and in each audit index) for
 * a time range: `from` alone sorts before every event at or after it; `to#~` after every
 * event at `to` (ids are UUIDs, all below "~"). Open ends take bounds outside any timestamp.
 */
export function auditSortKeyRange(from: string | undefined, to: string | undefined): [string, string] {
  return [from ?? '0', to ? `${to}#~` : '~'];
}

export function auditIndexKeys(e: {
  orgId: string;
  eventId: string;
  timestamp: string;
  action: string;
  actorId: string;
  targetId: string | null;
}): Record<string, string> {
  const sk = `${e.timestamp}#${e.eventId}`;
  return {
    ...indexEntry('GSI1', auditIndexPartition.action(e.orgId, e.action), sk),
    ...indexEntry('GSI2', auditIndexPartition.actor(e.orgId, e.actorId), sk),
    ...(e.targetId ? indexEntry('GSI3', auditIndexPartition.target(e.orgId, e.targetId), sk) : {}),
  };
}

/** GSI1 partition listing an org's API keys or SCIM tokens, oldest first. */
export const orgCredentialPartition = (kind: 'APIKEY' | 'SCIMTOKEN', orgId: string): string => `ORG#${orgId}#${kind}`;
export const orgCredentialIndexKeys = (kind: 'APIKEY' | 'SCIMTOKEN', orgId: string, createdAt: string, id: string) =>
  indexEntry('GSI1', orgCredentialPartition(kind, orgId), `${createdAt}#${id}`);

/**
 * Seat reservations whose owner may have died, by deadline: bulk invites' leases and running
 * imports, in the overloaded GSI3 (beside the invitation expiry partition). One shard, like
 * INVEXP: an entry is written per reservation or import batch, and the sweep reads only the
 * overdue range. Sort key `deadline#kind#orgId#id`: `now#~` sorts after every entry due at now.
 */
export const LEASE_KINDS = ['import', 'invite'] as const;
export type LeaseKind = (typeof LEASE_KINDS)[number];
export const leaseSweepPartition = (shard: number): string => `LEASE#${shard}`;
export const leaseIndexKeys = (deadline: string, kind: LeaseKind, orgId: string, id: string): Record<string, string> =>
  indexEntry('GSI3', leaseSweepPartition(0), `${deadline}#${kind}#${orgId}#${id}`);
/** GSI3's attribute names, removed from an item when its lease ends. */
export const leaseIndexAttributes = indexKeyAttributes('GSI3');

/** Outbox states an item is indexed under: `queued` from its insert until sent (then deleted), `failed` when SES refused it for good. */
export type OutboxState = 'queued' | 'failed';
export const outboxStatePartition = (orgId: string | null, state: OutboxState): string =>
  orgId ? `ORG#${orgId}#OUTBOX#${state}` : `PLATFORM#OUTBOX#${state}`;
export const outboxIndexKeys = (
  orgId: string | null,
  state: OutboxState,
  at: string,
  messageId: string,
): Record<string, string> => indexEntry('GSI1', outboxStatePartition(orgId, state), `${at}#${messageId}`);

/**
 * Partition-key families: what IAM's `dynamodb:LeadingKeys` can tell apart (it sees a request's
 * partition keys, never a sort key), each as its `StringLike` pattern. An org's own partition and
 * its index partitions (`ORG#o#M`, `ORG#o#INV` …) are one family, `ORG#*`: a webhook config or an
 * SSO connection lives beside the org item and cannot be told apart from it by IAM. `LOCAL*`
 * items exist in local mode only (the Cognito stand-in). shared/data/table-access.ts says which
 * families each function may touch.
 */
export const PARTITION_FAMILIES = {
  ORG: 'ORG#*',
  ORGS: 'ORGS',
  USER: 'USER#*',
  EMAIL: 'EMAIL#*',
  TOKEN: 'TOKEN#*',
  AUDIT: 'AUDIT#*',
  APIKEY: 'APIKEY#*',
  SCIMTOKEN: 'SCIMTOKEN#*',
  WEBHOOK: 'WEBHOOK#*',
  IMPORT: 'IMPORT#*',
  OUTBOX: 'OUTBOX#*',
  PLATFORM: 'PLATFORM#*',
  RATE: 'RATE#*',
  INVEXP: 'INVEXP#*',
  LEASE: 'LEASE#*',
  SSODOMAIN: 'SSODOMAIN#*',
  SSOPROVIDER: 'SSOPROVIDER#*',
  SSOPROVIDERS: 'SSOPROVIDERS',
  SAMLREQ: 'SAMLREQ#*',
  SAMLASSERT: 'SAMLASSERT#*',
} as const;
export type PartitionFamily = keyof typeof PARTITION_FAMILIES;

/**
 * An item of the Cognito stand-in (local mode only: `LOCAL…` partitions, `LOCAL_…` sort keys in a
 * user's partition): in AWS those calls go to Cognito, not the table.
 */
export const isLocalIdentityKey = (pk: string, sk?: string): boolean =>
  pk.startsWith('LOCAL') || (sk?.startsWith('LOCAL_') ?? false);
