import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail } from '../data/keys.js';
import { getMembership } from '../members/membership-repository.js';
import { getOrg } from '../orgs/org-repository.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { emailClaimStep, findUserIdByEmail, getUser, userToItem } from '../users/user-repository.js';
import { LastAdminError, SeatLimitReachedError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { newMembership, withRole, type Membership } from '../members/membership.js';
import { MEMBER_ROLE, roleDefinition, type CustomRoles } from '../roles.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from '../members/membership-steps.js';
import type { Org } from '../orgs/org.js';
import { oneLine } from '../schemas.js';
import { createIdentity } from '../users/ensure-identity.js';
import type { User } from '../users/user.js';
import { emailDomainOf, mappedRole, type SsoConnection } from './connection.js';
import { findConnectionByProvider, findDomainClaim } from './connection-repository.js';

/**
 * A federated sign-in refused. Its message is the sentence the person reads: the triggers throw
 * it, Cognito shows it (or passes it to the redirect as `error_description`).
 */
export class FederatedSignInRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FederatedSignInRefusal';
  }
}

export interface FederatedSignInDeps {
  db: Database;
  identity: IdentityPort;
}

/** The connection a provider belongs to, and the email's domain being one it serves (else a refusal). */
async function connectionFor(db: Database, providerName: string, email: string): Promise<SsoConnection> {
  const connection = await findConnectionByProvider(db, providerName);
  if (!connection)
    throw new FederatedSignInRefusal(
      'This identity provider is no longer connected to Roster; contact your administrator.',
    );
  // An IdP vouches only for its own domains: it may not sign anyone in as an address elsewhere.
  if (!connection.domains.includes(emailDomainOf(email)))
    throw new FederatedSignInRefusal(
      `Your email address is not in a domain this single sign-on connection serves (${connection.domains.join(', ')}).`,
    );
  return connection;
}

/**
 * PreSignUp_ExternalProvider: the first time Cognito sees a (provider, subject). If Roster knows
 * the email, the federated identity is linked to that user's identity (created first for a
 * pending user), so the user id never changes; else Cognito creates a new identity and
 * completeFederatedSignIn makes its Roster user. Answers whether it linked.
 *
 * Cognito's known quirk: after a link made in this trigger, Cognito's own sign-up of the
 * federated user fails once ("Already found an entry for username …") and the redirect carries
 * that error; the next attempt signs in as the linked user. The console retries once on that
 * error (contract §3); nothing here can avoid it.
 */
export async function linkFederatedSignUp(
  deps: FederatedSignInDeps,
  input: { providerName: string; subject: string; email: string },
): Promise<{ linked: boolean; userId?: string }> {
  await connectionFor(deps.db, input.providerName, input.email);
  const userId = await findUserIdByEmail(deps.db, input.email);
  if (!userId) return { linked: false };
  const user = await getUser(deps.db, userId);
  if (!user) return { linked: false };
  if (user.platformOperator)
    throw new FederatedSignInRefusal(
      'A platform operator signs in with a password, not through an organization’s SSO.',
    );
  if (user.identityState === 'pending') await createIdentity(deps, user);
  await deps.identity.linkFederatedIdentity(userId, { providerName: input.providerName, subject: input.subject });
  return { linked: true, userId };
}

export interface FederatedSignIn {
  /** The providers linked to the identity (its `identities` attribute): the one serving the email's domain is used. */
  providerNames: string[];
  /** The Roster user the identity is (rosterUserIdOf its attributes: the user id attribute, else its sub). */
  userId: string;
  /** Cognito's username of the identity (`<providerName>_<subject>` for a new federated user). */
  username: string;
  email: string;
  name: string | undefined;
  /** The IdP's groups (custom:groups), for the role mapping. */
  groups: string[];
}

const refusalFor = (org: Org, error: unknown): FederatedSignInRefusal | undefined => {
  if (error instanceof SeatLimitReachedError)
    return new FederatedSignInRefusal(
      `${org.name} has no free seat (${org.maxSeats}); ask an administrator to free one, then sign in again.`,
    );
  return undefined;
};

/**
 * Every federated sign-in (pre-token generation, TokenGeneration_HostedAuth): the person's
 * Roster user (made now for a new identity), and their membership of the connection's org:
 * - none: with jitProvisioning on and a seat free, an active membership (`source: sso`, the
 *   mapped role, audit actor `sso`); else a refusal, and nothing is written;
 * - suspended or deprovisioned: refused, whatever the IdP says;
 * - active: with updateOnSignIn, the name and mapped role follow the IdP (a role change that
 *   would leave the org without an active admin keeps the role).
 * The user record, membership, counters and audit event are one transaction.
 */
export async function completeFederatedSignIn(
  deps: FederatedSignInDeps,
  input: FederatedSignIn,
  now: Date,
): Promise<{ userId: string }> {
  const { db } = deps;
  const email = normalizeEmail(input.email);
  const claim = await findDomainClaim(db, emailDomainOf(email));
  if (!claim || !input.providerNames.includes(claim.providerName))
    throw new FederatedSignInRefusal(
      'Your email address is not in a domain this single sign-on connection serves; contact your administrator.',
    );
  const connection = await connectionFor(db, claim.providerName, email);
  const org = await getOrg(db, connection.orgId, true);
  if (!org) throw new FederatedSignInRefusal('This organization no longer exists.');
  const audit: AuditContext = {
    actor: { type: 'sso', id: connection.connectionId },
    ip: null,
    userAgent: null,
    requestId: null,
    now,
  };
  const name = oneLine(input.name ?? '').slice(0, 200) || email;
  const mapped = mappedRole(connection.roleMapping, input.groups);
  // Deleting a role the mapping gives is refused; one gone anyway gives nothing: member, or the role held.
  const known = roleDefinition(org.customRoles, mapped) !== undefined;
  const role = known ? mapped : MEMBER_ROLE;

  const existingUser = await getUser(db, input.userId);
  const userSteps: TransactionStep[] = existingUser ? [] : newUserSteps(db, input, connection, org, email, name, now);
  if (!existingUser) {
    const holder = await findUserIdByEmail(db, email);
    if (holder && holder !== input.userId)
      throw new FederatedSignInRefusal('Your email address belongs to another Roster account; sign in again.');
  }

  const membership = existingUser ? await getMembership(db, org.orgId, input.userId) : undefined;
  if (membership && membership.status !== 'active')
    throw new FederatedSignInRefusal(`Your access to ${org.name} is suspended; contact your administrator.`);

  if (!membership) {
    if (!connection.jitProvisioning)
      throw new FederatedSignInRefusal(
        `${org.name} does not add people at their first single sign-on; ask an administrator to add you.`,
      );
    const created = withRole(
      newMembership({ orgId: org.orgId, userId: input.userId, name, email, role, teamId: null, source: 'sso' }, now),
      role,
      org.customRoles,
    );
    try {
      await transactWrite(
        db,
        [
          ...userSteps,
          ...membershipWriteSteps(db, created, 'new'),
          orgCountersStep(db, org.orgId, counterDelta(undefined, created)),
          auditStep(
            db,
            {
              orgId: org.orgId,
              action: 'member.added',
              target: { type: 'member', id: input.userId },
              after: { email, name, role, teamId: null, status: 'active', source: 'sso' },
            },
            audit,
          ),
        ].filter((s): s is TransactionStep => s !== undefined),
      );
    } catch (error) {
      throw refusalFor(org, error) ?? error;
    }
    return { userId: input.userId };
  }

  if (connection.updateOnSignIn)
    await followIdp(db, membership, { name, role: known ? mapped : membership.role }, org.customRoles, audit);
  return { userId: input.userId };
}

/** Name and role as the IdP says, never past the last-admin rule (then only the name follows). */
async function followIdp(
  db: Database,
  membership: Membership,
  idp: { name: string; role: Membership['role'] },
  customRoles: CustomRoles,
  audit: AuditContext,
): Promise<void> {
  const attempt = async (next: Membership) => {
    if (next.name === membership.name && next.role === membership.role) return;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const field of ['name', 'role'] as const)
      if (next[field] !== membership[field]) {
        before[field] = membership[field];
        after[field] = next[field];
      }
    await transactWrite(
      db,
      [
        ...membershipWriteSteps(db, next, membership.version),
        orgCountersStep(db, membership.orgId, counterDelta(membership, next)),
        auditStep(
          db,
          {
            orgId: membership.orgId,
            action: 'member.updated',
            target: { type: 'member', id: membership.userId },
            before,
            after,
          },
          audit,
        ),
      ].filter((s): s is TransactionStep => s !== undefined),
    );
  };
  const at = audit.now.toISOString();
  try {
    // A role change goes through withRole: a custom role holding org:manage counts as an admin.
    const renamed = { ...membership, name: idp.name, updatedAt: at };
    await attempt(idp.role === membership.role ? renamed : withRole(renamed, idp.role, customRoles));
  } catch (error) {
    if (!(error instanceof LastAdminError)) throw error;
    await attempt({ ...membership, name: idp.name, updatedAt: at });
  }
}

function newUserSteps(
  db: Database,
  input: FederatedSignIn,
  connection: SsoConnection,
  org: Org,
  email: string,
  name: string,
  now: Date,
): TransactionStep[] {
  const at = now.toISOString();
  const user: User = {
    userId: input.userId,
    email,
    name,
    authSource: { kind: 'sso', idp: connection.name },
    mfaEnabled: false,
    sessionsRevokedAt: null,
    lastLoginAt: null,
    createdAt: at,
    updatedAt: at,
    createdByOrgId: org.orgId,
    platformOperator: false,
    identityState: 'created',
    ...(input.username !== input.userId ? { identitySubject: input.username } : {}),
  };
  return [put(db, userToItem(user), 'attribute_not_exists(PK)'), emailClaimStep(db, user.userId, email)];
}

/** Provider names in Cognito's `identities` attribute (JSON: `[{ providerName, userId, … }]`); [] when absent or unreadable. */
export function providerNamesOf(identities: string | undefined): string[] {
  if (!identities) return [];
  try {
    const parsed: unknown = JSON.parse(identities);
    if (!Array.isArray(parsed)) return [];
    return parsed
      .map((entry) => (entry as { providerName?: unknown }).providerName)
      .filter((name): name is string => typeof name === 'string');
  } catch {
    return [];
  }
}

/**
 * The IdP's groups as Cognito stores a multi-valued claim in a string attribute: `[a, b]`, a
 * JSON array, or comma-separated.
 */
export function groupsOf(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.filter((g): g is string => typeof g === 'string');
  } catch {
    // not JSON: Cognito's bracketed list or a plain comma-separated one
  }
  return value
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

/** Cognito's username of a new federated user, `<providerName>_<subject>` (provider names hold no `_`). */
export function federatedUsernameParts(username: string): { providerName: string; subject: string } | undefined {
  const at = username.indexOf('_');
  if (at <= 0 || at === username.length - 1) return undefined;
  return { providerName: username.slice(0, at), subject: username.slice(at + 1) };
}
