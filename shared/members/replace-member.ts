import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { getMembership } from './membership-repository.js';
import { getOrg } from '../orgs/org-repository.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { NotFoundError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { accountManagement, accountNotManaged, emailInDomains, managingOrg } from '../users/account-management.js';
import {
  assertEmailFree,
  emailChangeSteps,
  emailConfirmationSteps,
  restoreIdentityEmail,
} from '../users/email-change.js';
import { withRole, type Membership } from './membership.js';
import type { Org } from '../orgs/org.js';
import { assertMayChangeRole } from '../roles/assign-role.js';
import { actorStillAdminStep, counterDelta, membershipWriteSteps, orgCountersStep } from './membership-steps.js';
import { teamExistsStep } from './add-member.js';
import type { ReplaceMemberInput } from './schemas.js';

export interface ReplaceMemberDeps {
  db: Database;
  identity: IdentityPort;
  /** Base of the email-confirmation link; without it an email outside the verified domains is refused as unmanaged. */
  appUrl?: string;
}

type EmailPlan = { kind: 'none' } | { kind: 'now' } | { kind: 'confirm'; orgName: string };

/**
 * How an email change may go (DESIGN.md section 1): only for an account the org manages; at
 * once inside the org's verified domains, else by a link mailed to the new address.
 */
async function planEmailChange(
  deps: ReplaceMemberDeps,
  orgId: string,
  current: Membership,
  email: string,
): Promise<EmailPlan> {
  if (email === current.email) return { kind: 'none' };
  const org = await getOrg(deps.db, orgId, true);
  if (!org) throw new NotFoundError('No such organization');
  const { managed } = await accountManagement(deps.db, managingOrg(org), current.userId);
  if (!managed) throw accountNotManaged();
  if (emailInDomains(email, org.settings.verifiedDomains)) return { kind: 'now' };
  if (!deps.appUrl) throw accountNotManaged();
  await assertEmailFree(deps.db, current.userId, email);
  return { kind: 'confirm', orgName: org.name };
}

/**
 * Full replace of a member's name, email, role and team. Role changes keep the admin count
 * (never below one active admin). An email change is the account's, so only a managing org
 * makes it: inside its verified domains the platform-wide email claim, the user's other
 * memberships and the identity move together, or not at all; outside, the member shows
 * `pendingEmail` and the new address is mailed a confirmation link.
 */
export async function replaceMember(
  deps: ReplaceMemberDeps,
  orgId: string,
  userId: string,
  input: ReplaceMemberInput,
  actor: Membership | undefined,
  audit: AuditContext,
  /** The org's roles as the authorizer read them; read here when a role change needs them and they are not given. */
  org?: Pick<Org, 'customRoles'>,
): Promise<Membership> {
  const { db } = deps;
  const current = await getMembership(db, orgId, userId);
  if (!current) throw new NotFoundError('No such member');
  const customRoles = input.role === current.role ? undefined : (org ?? (await getOrg(db, orgId, true)))?.customRoles;
  if (input.role !== current.role) assertMayChangeRole(customRoles, actor, current, input.role);
  const plan = await planEmailChange(deps, orgId, current, input.email);
  const next: Membership = {
    ...(input.role === current.role ? current : withRole(current, input.role, customRoles)),
    name: input.name,
    email: plan.kind === 'now' ? input.email : current.email,
    pendingEmail: plan.kind === 'confirm' ? input.email : plan.kind === 'now' ? null : (current.pendingEmail ?? null),
    teamId: input.teamId,
    updatedAt: audit.now.toISOString(),
  };
  const fields = (m: Membership) => ({
    name: m.name,
    email: m.email,
    pendingEmail: m.pendingEmail ?? null,
    role: m.role,
    teamId: m.teamId,
  });
  const changes = diffFields(fields(current), fields(next));
  if (Object.keys(changes.after).length === 0) return current;

  const emailSteps =
    plan.kind === 'now'
      ? await emailChangeSteps(db, current, input.email, { orgId })
      : plan.kind === 'confirm' && deps.appUrl
        ? await emailConfirmationSteps(db, {
            orgId,
            userId,
            name: next.name,
            email: input.email,
            orgName: plan.orgName,
            appUrl: deps.appUrl,
            now: audit.now,
          })
        : [];
  const steps = [
    ...membershipWriteSteps(db, next, current.version),
    orgCountersStep(db, orgId, counterDelta(current, next)),
    next.teamId && next.teamId !== current.teamId ? teamExistsStep(db, orgId, next.teamId) : undefined,
    actorStillAdminStep(db, actor, userId),
    ...emailSteps,
    auditStep(db, { orgId, action: 'member.updated', target: { type: 'member', id: userId }, ...changes }, audit),
  ].filter((s): s is TransactionStep => s !== undefined);

  // Inside a verified domain the address counts as proven (Cognito email_verified true).
  if (plan.kind === 'now') await deps.identity.updateEmail(userId, next.email);
  try {
    await transactWrite(db, steps);
  } catch (error) {
    if (plan.kind === 'now') await restoreIdentityEmail(deps.identity, userId, current.email);
    throw error;
  }
  return { ...next, version: current.version + 1 };
}
