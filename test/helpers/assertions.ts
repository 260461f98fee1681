import { expect } from 'vitest';
import type { Database } from '../../shared/data/dynamo-client.js';
import { auditPartition, orgPartition, ORG_PARTITION_PREFIX } from '../../shared/data/keys.js';
import { memberSearchItems, membershipFromItem } from '../../shared/members/membership-repository.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { queryWholePartition } from '../../shared/data/pagination.js';
import { holdsOrgManage, type Membership } from '../../shared/members/membership.js';
import { roleManagesOrg } from '../../shared/roles.js';
import type { ApiAnswer } from './local-api.js';

/** Every refusal is RFC 9457 problem+json with the house fields. */
export function expectProblem(res: ApiAnswer, status: number, code?: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: code ?? expect.any(String),
  });
}

/** A 400 whose `errors` name `field`. */
export function expectFieldProblem(res: ApiAnswer, field: string): void {
  expectProblem(res, 400);
  const fields = (res.json.errors as { field: string }[] | undefined)?.map((e) => e.field) ?? [];
  expect(fields, res.text).toContain(field);
}

/** Items of an org's partition whose sort key starts with `skPrefix`, read consistently. */
export function orgItemsInTable(db: Database, orgId: string, skPrefix: string): Promise<Record<string, unknown>[]> {
  return queryWholePartition(db, orgPartition(orgId), skPrefix);
}

/** Every membership item of an org, read from the table itself. */
export async function membershipsInTable(db: Database, orgId: string): Promise<Membership[]> {
  return (await queryWholePartition(db, orgPartition(orgId), ORG_PARTITION_PREFIX.member)).map(membershipFromItem);
}

/**
 * The org's search items are exactly its memberships' (members/search-terms.ts): none missing,
 * none stale, none left by a person who is not a member (an import row refused after its
 * search items were put).
 */
export async function expectSearchItemsMatchMembers(db: Database, orgId: string): Promise<number> {
  const [members, stored] = await Promise.all([
    membershipsInTable(db, orgId),
    queryWholePartition(db, orgPartition(orgId), ORG_PARTITION_PREFIX.memberSearch),
  ]);
  const bySk = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.SK).localeCompare(String(b.SK));
  expect(stored.sort(bySk)).toEqual(members.flatMap(memberSearchItems).sort(bySk));
  return stored.length;
}

/** Every audit event item of an org, oldest first. */
export async function auditEventsInTable(db: Database, orgId: string): Promise<Record<string, unknown>[]> {
  return queryWholePartition(db, auditPartition(orgId));
}

/** Pending invitation items of an org (each holds a seat). */
export async function pendingInvitationsInTable(db: Database, orgId: string): Promise<Record<string, unknown>[]> {
  return (await queryWholePartition(db, orgPartition(orgId), ORG_PARTITION_PREFIX.invitation)).filter(
    (i) => i.status === 'pending',
  );
}

/**
 * Recounts the org from its items and checks the counters on the org item agree: seats used =
 * active members + pending invitations, admins = active holders of org:manage, each custom
 * role's holders = the memberships holding it, never over maxSeats.
 */
export async function expectCountersMatchItems(
  db: Database,
  orgId: string,
): Promise<{ seatsUsed: number; activeAdmins: number }> {
  const [org, members, pending] = await Promise.all([
    getOrg(db, orgId, true),
    membershipsInTable(db, orgId),
    pendingInvitationsInTable(db, orgId),
  ]);
  const active = members.filter((m) => m.status === 'active');
  // Admins are holders of org:manage, whether by org_admin or by a custom role holding it.
  for (const m of members) expect(holdsOrgManage(m), m.role).toBe(roleManagesOrg(org?.customRoles, m.role));
  const activeAdmins = active.filter((m) => roleManagesOrg(org?.customRoles, m.role)).length;
  const holders = Object.fromEntries(Object.keys(org?.customRoles ?? {}).map((key) => [key, 0]));
  for (const m of members) if (m.role in holders) holders[m.role] = (holders[m.role] ?? 0) + 1;
  for (const key of Object.keys(holders)) expect(org?.roleHolders[key] ?? 0, key).toBe(holders[key]);
  expect(org?.seatsUsed).toBe(active.length + pending.length);
  expect(org?.activeAdminCount).toBe(activeAdmins);
  expect(org?.memberCount).toBe(members.length);
  expect(org?.scimDeletedCount ?? 0).toBe(members.filter((m) => m.scimDeleted === true).length);
  expect(org!.seatsUsed).toBeLessThanOrEqual(org!.maxSeats);
  return { seatsUsed: active.length + pending.length, activeAdmins };
}

/** The recount above, plus: each pending invitation, and no other, has its email's claim. */
export async function expectInvitationSeatsMatchItems(
  db: Database,
  orgId: string,
): Promise<{ seatsUsed: number; pending: number }> {
  const { seatsUsed } = await expectCountersMatchItems(db, orgId);
  const pending = await pendingInvitationsInTable(db, orgId);
  const claims = await orgItemsInTable(db, orgId, 'PENDING_INVITE#');
  expect(claims.map((i) => i.email as string).sort()).toEqual(pending.map((i) => i.email as string).sort());
  return { seatsUsed, pending: pending.length };
}
