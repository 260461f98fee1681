import type { AuditContext } from '../audit/audit-event.js';
import { normalizeEmail } from '../data/keys.js';
import { ConcurrentModificationError } from '../errors.js';
import { newId } from '../ids.js';
import { newMembership, withRole, type Membership, type MembershipSource } from './membership.js';
import type { Org } from '../orgs/org.js';
import { assignableRole } from '../roles/assign-role.js';
import type { AddMemberStore } from './add-member-store.js';
import type { AddMemberInput } from './schemas.js';

/** addMember's port: the table's store (addMemberStore(db)) or an in-memory fake. */
export interface AddMemberDeps {
  members: AddMemberStore;
}

/**
 * Adds a person to an org without mail: attaches the Roster user holding the email, or makes a
 * new one whose identity is created when first needed (lazy identities: no identity-provider
 * call here), then writes membership, seat and admin counters and the audit event in one
 * transaction. Round trips: the email claim's GetItem and the transaction. Concurrent adds of
 * one email make one user and one membership (the loser of the email claim retries once and
 * attaches the winner).
 */
export async function addMember(
  deps: AddMemberDeps,
  org: Pick<Org, 'orgId' | 'customRoles'>,
  input: AddMemberInput,
  actor: Membership | undefined,
  audit: AuditContext,
  source: MembershipSource = 'manual',
): Promise<Membership> {
  const { members } = deps;
  const { orgId } = org;
  assignableRole(org.customRoles, actor, input.role);
  for (let attempt = 1; ; attempt++) {
    const holder = await members.emailHolder(input.email);
    const userId = holder ?? newId();
    const membership = withRole(
      newMembership(
        {
          orgId,
          userId,
          name: input.name,
          // The account's own email: the holder's claim is of this normalized form.
          email: normalizeEmail(input.email),
          role: input.role,
          teamId: input.teamId ?? null,
          source,
        },
        audit.now,
      ),
      input.role,
      org.customRoles,
    );
    try {
      await members.commitAdd({
        membership,
        newPerson: holder === undefined,
        event: {
          orgId,
          action: 'member.added',
          target: { type: 'member', id: userId },
          after: {
            email: membership.email,
            name: membership.name,
            role: membership.role,
            teamId: membership.teamId,
            status: membership.status,
            source,
          },
        },
        audit,
      });
      return membership;
    } catch (error) {
      if (holder === undefined && attempt === 1 && error instanceof ConcurrentModificationError) continue;
      throw error;
    }
  }
}
