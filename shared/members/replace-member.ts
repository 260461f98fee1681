import { diffFields, type AuditContext } from '../audit/audit-event.js';
import { NotFoundError } from '../errors.js';
import { accountManagement, accountNotManaged, emailInDomains, managingOrg } from '../users/account-management.js';
import { emailTaken } from '../users/email-change.js';
import { withRole, type Membership } from './membership.js';
import type { Org } from '../orgs/org.js';
import { assertMayChangeRole } from '../roles/assign-role.js';
import type { EmailMove, ReplaceMemberStore } from './replace-member-store.js';
import type { ReplaceMemberInput } from './schemas.js';

/** replaceMember's ports: the table's and the provider's store (replaceMemberStore(db, identity)) or an in-memory fake. */
export interface ReplaceMemberDeps {
  members: ReplaceMemberStore;
  /** Base of the email-confirmation link; without it an email outside the verified domains is refused as unmanaged. */
  appUrl?: string;
}

/**
 * How an email change may go (DESIGN.md section 1): only for an account the org manages; at
 * once inside the org's verified domains, else by a link mailed to the new address.
 */
async function planEmailChange(
  deps: ReplaceMemberDeps,
  orgId: string,
  current: Membership,
  email: string,
): Promise<EmailMove> {
  const { members } = deps;
  if (email === current.email) return { kind: 'none' };
  const org = await members.getOrg(orgId);
  if (!org) throw new NotFoundError('No such organization');
  const { managed } = await accountManagement(members, managingOrg(org), current.userId);
  if (!managed) throw accountNotManaged();
  if (emailInDomains(email, org.settings.verifiedDomains)) return { kind: 'now', email };
  if (!deps.appUrl) throw accountNotManaged();
  // 409 email_taken now rather than at confirmation, when another user already holds the address.
  const holder = await members.emailHolder(email);
  if (holder && holder !== current.userId) throw emailTaken(email);
  return { kind: 'confirm', email, orgName: org.name, appUrl: deps.appUrl };
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
  const { members } = deps;
  const current = await members.getMembership(orgId, userId);
  if (!current) throw new NotFoundError('No such member');
  const customRoles = input.role === current.role ? undefined : (org ?? (await members.getOrg(orgId)))?.customRoles;
  if (input.role !== current.role) assertMayChangeRole(customRoles, actor, current, input.role);
  const email = await planEmailChange(deps, orgId, current, input.email);
  const next: Membership = {
    ...(input.role === current.role ? current : withRole(current, input.role, customRoles)),
    name: input.name,
    email: email.kind === 'now' ? input.email : current.email,
    pendingEmail: email.kind === 'confirm' ? input.email : email.kind === 'now' ? null : (current.pendingEmail ?? null),
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

  await members.commitReplace({
    current,
    next,
    actor,
    email,
    event: { orgId, action: 'member.updated', target: { type: 'member', id: userId }, ...changes },
    audit,
  });
  return { ...next, version: current.version + 1 };
}
