import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { emailClaimKey, userKey } from '../data/keys.js';
import { getMembership, listMembershipsOfUser } from '../data/membership-repository.js';
import { remove, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { emailClaimStep, findUserIdByEmail } from '../data/user-repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { logger } from '../http/handler.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Membership } from './membership.js';
import { actorStillAdminStep, counterDelta, membershipWriteSteps, orgCountersStep } from './membership-steps.js';
import { teamExistsStep } from './add-member.js';
import type { ReplaceMemberInput } from './schemas.js';

export interface ReplaceMemberDeps {
  db: Database;
  identity: IdentityPort;
}

const emailTaken = (email: string) => new ConflictError(`The email ${email} belongs to another user`, 'email_taken');

/**
 * Full replace of a member's name, email, role and team. Role changes keep the admin count
 * (never below one active admin); an email change moves the platform-wide email claim, the
 * user's other memberships and the identity together, or not at all.
 */
export async function replaceMember(deps: ReplaceMemberDeps, orgId: string, userId: string, input: ReplaceMemberInput, actor: Membership | undefined, audit: AuditContext): Promise<Membership> {
  const { db } = deps;
  const current = await getMembership(db, orgId, userId);
  if (!current) throw new NotFoundError('No such member');
  const next: Membership = { ...current, name: input.name, email: input.email, role: input.role, teamId: input.teamId, updatedAt: audit.now.toISOString() };
  const changes = diffFields(
    { name: current.name, email: current.email, role: current.role, teamId: current.teamId },
    { name: next.name, email: next.email, role: next.role, teamId: next.teamId },
  );
  if (Object.keys(changes.after).length === 0) return current;

  const emailChanged = next.email !== current.email;
  const emailSteps = emailChanged ? await emailChangeSteps(db, current, next.email) : [];
  const steps = [
    ...membershipWriteSteps(db, next, current.version),
    orgCountersStep(db, orgId, counterDelta(current, next)),
    next.teamId && next.teamId !== current.teamId ? teamExistsStep(db, orgId, next.teamId) : undefined,
    actorStillAdminStep(db, actor, userId),
    ...emailSteps,
    auditStep(db, { orgId, action: 'member.updated', target: { type: 'member', id: userId }, ...changes }, audit),
  ].filter((s): s is TransactionStep => s !== undefined);

  if (emailChanged) await deps.identity.updateEmail(userId, next.email);
  try {
    await transactWrite(db, steps);
  } catch (error) {
    if (emailChanged) await restoreIdentityEmail(deps.identity, userId, current.email);
    throw error;
  }
  return { ...next, version: current.version + 1 };
}

/** Moves the email claim and rewrites the address on the user and their other memberships. */
async function emailChangeSteps(db: Database, current: Membership, email: string): Promise<TransactionStep[]> {
  const holder = await findUserIdByEmail(db, email);
  if (holder && holder !== current.userId) throw emailTaken(email);
  const others = (await listMembershipsOfUser(db, current.userId)).filter((m) => m.orgId !== current.orgId);
  return [
    emailClaimStep(db, current.userId, email, () => emailTaken(email)),
    remove(db, emailClaimKey(current.email), { expression: 'userId = :me', values: { ':me': current.userId } }),
    update(db, { key: userKey(current.userId), updateExpression: 'SET email = :email', condition: 'attribute_exists(PK)', values: { ':email': email } }),
    ...others.flatMap((m) => membershipWriteSteps(db, { ...m, email }, m.version)),
  ];
}

async function restoreIdentityEmail(identity: IdentityPort, userId: string, email: string): Promise<void> {
  try {
    await identity.updateEmail(userId, email);
  } catch (error) {
    logger.error('could not restore the identity email after a failed change', { userId, error: error as Error });
  }
}
