import { tokenKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { put, type TransactionStep } from '../data/transactions.js';
import { newSecret, sha256 } from '../ids.js';
import { outboxStep } from '../mail/outbox.js';

/** Set-password and reset links live 72 hours (DESIGN.md). */
export const PASSWORD_TOKEN_TTL_HOURS = 72;
export const TOKEN_ENTITY = 'token';

export interface PasswordTokenRequest {
  /** The org whose audit trail records the reset and its completion; null for an account in no org. */
  orgId: string | null;
  userId: string;
  email: string;
  name: string;
  /** Present for a first admin's set-password mail. */
  orgName?: string;
  appUrl: string;
  now: Date;
}

/**
 * A single-use password token and its mail, as steps of the caller's transaction. Only the
 * token's SHA-256 is stored as the lookup key; the raw token travels only in the outbox item
 * (removed once sent, TTL otherwise) and the mail to the user's own address.
 */
export function passwordTokenSteps(db: Database, request: PasswordTokenRequest): TransactionStep[] {
  const token = newSecret();
  const expiresAt = new Date(request.now.getTime() + PASSWORD_TOKEN_TTL_HOURS * 3600_000);
  const link = `${request.appUrl.replace(/\/$/, '')}/password-reset/${token}`;
  const tokenItem = {
    ...tokenKey(sha256(token)),
    entity: TOKEN_ENTITY,
    kind: 'password_reset',
    orgId: request.orgId,
    userId: request.userId,
    email: request.email,
    createdAt: request.now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    // DynamoDB removes it a day after it stops working; expiry itself is checked on use.
    ttl: Math.floor(expiresAt.getTime() / 1000) + 24 * 3600,
  };
  const mail = request.orgName
    ? {
        template: 'password_setup' as const,
        to: request.email,
        data: { name: request.name, orgName: request.orgName, link, expiresAt: expiresAt.toISOString() },
      }
    : {
        template: 'password_reset' as const,
        to: request.email,
        data: { name: request.name, link, expiresAt: expiresAt.toISOString() },
      };
  return [put(db, tokenItem, 'attribute_not_exists(PK)'), outboxStep(db, mail, request.now)];
}
