import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { memberMailKey, membershipKey, scimUserProfileKey, userKey } from '../data/keys.js';
import { memberMailFromItem, type MemberMailState } from '../mail/member-mail.js';
import { listMembershipsOfUser, membershipFromItem } from './membership-repository.js';
import { userFromItem } from '../users/user-repository.js';
import { NotFoundError } from '../errors.js';
import { profileFromItem } from '../scim/scim-user-repository.js';
import { orgManagesAccount, type ManagingOrg } from '../users/account-management.js';
import { membershipView } from './membership.js';
import type { MemberDetails } from './member-details.js';

/** The IdP's title and department of a member (their SCIM profile in this org), null when it sent none. */
export interface IdpProfileFields {
  title: string | null;
  department: string | null;
}

/** The last credential mail (reset, set-password, email confirmation) sent to the member, null when none. */
export interface CredentialMailField {
  credentialMail: MemberMailState | null;
}

/**
 * One member of the org (the org comes from the authorized path, never from the body), with the
 * exact `managed`, the title and department their IdP provisioned and their last credential
 * mail's delivery state: two round trips at once, the membership, user record, SCIM profile and
 * mail state (one consistent BatchGetItem) and the user's memberships (one Query).
 */
export async function getMember(
  db: Database,
  org: ManagingOrg,
  userId: string,
): Promise<MemberDetails & IdpProfileFields & CredentialMailField> {
  const profileKey = scimUserProfileKey(org.orgId, userId);
  const mailKey = memberMailKey(org.orgId, userId);
  const [items, memberships] = await Promise.all([
    batchGetConsistent(db, [membershipKey(org.orgId, userId), userKey(userId), profileKey, mailKey]),
    listMembershipsOfUser(db, userId),
  ]);
  const membershipItem = items.find(
    (i) => i.SK === membershipKey(org.orgId, userId).SK && i.PK === membershipKey(org.orgId, userId).PK,
  );
  const userItem = items.find((i) => i.PK === userKey(userId).PK && i.SK === userKey(userId).SK);
  const profileItem = items.find((i) => i.PK === profileKey.PK && i.SK === profileKey.SK);
  const profile = profileItem ? profileFromItem(profileItem) : undefined;
  const mailItem = items.find((i) => i.PK === mailKey.PK && i.SK === mailKey.SK);
  if (!membershipItem) throw new NotFoundError('No such member');
  const membership = membershipFromItem(membershipItem);
  const user = userItem ? userFromItem(userItem) : undefined;
  // The index may lag a membership just written: this org is one of the account's orgs whatever it says.
  const orgIds = [...new Set([org.orgId, ...memberships.map((m) => m.orgId)])];
  const managed = user
    ? orgManagesAccount(org, {
        email: user.email,
        platformOperator: user.platformOperator,
        createdByOrgId: user.createdByOrgId,
        orgIds,
      })
    : false;
  return {
    ...membershipView(membership),
    authSource: user?.authSource ?? { kind: 'password' },
    managed,
    title: profile?.title ?? null,
    department: profile?.department ?? null,
    credentialMail: memberMailFromItem(mailItem),
  };
}
