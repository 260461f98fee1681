import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail } from '../data/keys.js';
import { listMembershipsOfUser } from '../members/membership-repository.js';
import { takeRateLimit, type RateLimit } from '../data/rate-limit.js';
import { transactWrite } from '../data/transactions.js';
import { findUserIdByEmail, getUser } from '../users/user-repository.js';
import { passwordTokenSteps } from './password-token.js';
import { ssoPasswordBlock } from '../sso/enforcement.js';

/** A person who lost their password asks a few times; a script trying addresses asks many. */
export const FORGOT_PASSWORD_LIMITS: Readonly<{ perAddress: RateLimit; perClientIp: RateLimit }> = {
  perAddress: { scope: 'pwreset-email', limit: 3, windowSeconds: 3600 },
  perClientIp: { scope: 'pwreset-ip', limit: 20, windowSeconds: 3600 },
};

export interface ForgotPasswordDeps {
  db: Database;
  appUrl: string;
  limits?: typeof FORGOT_PASSWORD_LIMITS;
}

/**
 * "Forgot password?": mails the account at `email` Roster's reset link (the same single-use
 * 72 h token an admin's reset-password mails). The caller always hears the same thing, so
 * nothing tells whether the address has an account, signs in through SSO, or was rate-limited;
 * every request counts against the address and the client IP, known address or not.
 * The reset is recorded in the audit trail of the org that created the account (else its first org).
 */
export async function requestOwnPasswordReset(
  deps: ForgotPasswordDeps,
  email: string,
  audit: AuditContext,
): Promise<void> {
  const limits = deps.limits ?? FORGOT_PASSWORD_LIMITS;
  const address = normalizeEmail(email);
  const [ipAllowed, addressAllowed] = await Promise.all([
    audit.ip === null ? Promise.resolve(true) : takeRateLimit(deps.db, limits.perClientIp, audit.ip, audit.now),
    takeRateLimit(deps.db, limits.perAddress, address, audit.now),
  ]);
  if (!ipAllowed || !addressAllowed) return;

  const userId = await findUserIdByEmail(deps.db, address);
  const user = userId === undefined ? undefined : await getUser(deps.db, userId);
  // An SSO account's password lives at its identity provider: nothing to reset here.
  if (!user || user.authSource.kind === 'sso') return;
  // Nor for one whose org requires SSO for its domain: the same silence, so the answer tells nothing.
  if (await ssoPasswordBlock(deps.db, user)) return;
  const orgId = user.createdByOrgId ?? (await listMembershipsOfUser(deps.db, user.userId, 1))[0]?.orgId ?? null;
  const self: AuditContext = { ...audit, actor: { type: 'user', id: user.userId, email: user.email } };
  await transactWrite(deps.db, [
    ...(await passwordTokenSteps(deps.db, {
      orgId,
      userId: user.userId,
      email: user.email,
      name: user.name,
      appUrl: deps.appUrl,
      now: audit.now,
    })),
    ...(orgId === null
      ? []
      : [
          auditStep(
            deps.db,
            {
              orgId,
              action: 'member.password_reset_requested',
              target: { type: 'member', id: user.userId },
              after: { by: 'self' },
            },
            self,
          ),
        ]),
  ]);
}
