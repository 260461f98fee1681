import { getItem } from '../data/get-item.js';
import { tokenKey, userKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { put, remove, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, type DomainError } from '../errors.js';
import { newSecret, sha256 } from '../ids.js';
import { memberMailSteps } from '../mail/member-mail.js';
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
 * token's SHA-256 is stored as the lookup key; the raw token travels only in the mail to the
 * user's own address (the outbox item holds its link sealed).
 */
export async function passwordTokenSteps(db: Database, request: PasswordTokenRequest): Promise<TransactionStep[]> {
  const token = newSecret();
  const expiresAt = new Date(request.now.getTime() + PASSWORD_TOKEN_TTL_HOURS * 3600_000);
  const link = `${request.appUrl.replace(/\/$/, '')}/password-reset/${token}`;
  const tokenStep = tokenItemStep(db, token, {
    kind: 'password_reset',
    orgId: request.orgId,
    userId: request.userId,
    email: request.email,
    // Whose identity a first link creates (lazy identities): no read of the user for it.
    name: request.name,
    createdAt: request.now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
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
  // In an org, the member's detail shows this mail's delivery state (member-mail.ts).
  const mailSteps = request.orgId
    ? await memberMailSteps(db, mail, request.now, { orgId: request.orgId, userId: request.userId })
    : [await outboxStep(db, mail, request.now)];
  return [tokenStep, ...mailSteps];
}

/**
 * A single-use token's item (keyed by the token's SHA-256, never the token), as a step of the
 * transaction that mails its link. DynamoDB removes it a day after it stops working; expiry
 * itself is checked on use.
 */
export function tokenItemStep(
  db: Database,
  token: string,
  fields: {
    kind: 'password_reset' | 'email_confirmation';
    orgId: string | null;
    userId: string;
    email: string;
    name?: string;
    createdAt: string;
    expiresAt: string;
  },
): TransactionStep {
  return put(
    db,
    {
      ...tokenKey(sha256(token)),
      entity: TOKEN_ENTITY,
      ...fields,
      ttl: Math.floor(Date.parse(fields.expiresAt) / 1000) + 24 * 3600,
    },
    'attribute_not_exists(PK)',
  );
}

/** Deletes a token item as it is used, once: a second use (or a gone token) fails with `refused`. */
export function consumeTokenStep(db: Database, item: StoredToken, refused: () => DomainError): TransactionStep {
  return remove(db, { PK: item.PK as string, SK: item.SK as string }, 'attribute_exists(PK)', refused);
}

/** A stored token item, as read (any kind: the caller checks `kind`). */
export type StoredToken = Record<string, unknown>;

/** The token item stored for a raw token (strongly consistent), if any. */
export async function readToken(db: Database, token: string): Promise<StoredToken | undefined> {
  return getItem(db, tokenKey(sha256(token)));
}

/**
 * The account does not have the address the completing transaction expected (it changed since
 * the link was mailed, or while the request ran), or there is no account (`current` undefined).
 */
export class LinkAccountChangedError extends ConcurrentModificationError {
  constructor(readonly current: Record<string, unknown> | undefined) {
    super("The account's address changed while this request ran; retry it");
  }
}

/**
 * Using a password token, as steps of the completing transaction: the token is deleted (once);
 * the user's links must not have been voided after it was issued (a later completed reset);
 * and the user's every earlier session ends and every other link issued before now dies, in the
 * same write. `email` is the address the account must still have: the link's (so that using it
 * proves the account's address), or the current one when that changed since. A user record that
 * has another address (or none) fails with LinkAccountChangedError, carrying the record.
 */
export function usePasswordTokenSteps(
  db: Database,
  item: StoredToken,
  use: { email: string; at: string },
  refused: () => DomainError,
): TransactionStep[] {
  const issued = item.createdAt as string;
  const linksVoided = (user: Record<string, unknown>) =>
    typeof user.passwordLinksValidFrom === 'string' && user.passwordLinksValidFrom > issued;
  return [
    consumeTokenStep(db, item, refused),
    update(
      db,
      {
        key: userKey(item.userId as string),
        updateExpression: 'SET sessionsRevokedAt = :at, passwordLinksValidFrom = :at',
        // A link issued before the last completed reset died with it (the user item says when).
        condition:
          'attribute_exists(PK) AND (attribute_not_exists(passwordLinksValidFrom) OR passwordLinksValidFrom <= :issued) AND email = :email',
        values: { ':at': use.at, ':issued': issued, ':email': use.email },
      },
      (current) => (current && linksVoided(current) ? refused() : new LinkAccountChangedError(current)),
    ),
  ];
}

/**
 * Undoes a link's use whose password the provider did not set, so the link can be retried: the
 * token goes back as it was, and the links' valid-from moves back to this link's issue time
 * (links issued before it stay void). Sessions stay ended: an ended session is never revived.
 * When another link was used since, that one's completion stands and this link stays spent.
 */
export async function restorePasswordToken(db: Database, item: StoredToken, at: string): Promise<void> {
  await transactWrite(db, [
    put(db, item),
    update(db, {
      key: userKey(item.userId as string),
      updateExpression: 'SET passwordLinksValidFrom = :issued',
      condition: 'passwordLinksValidFrom = :at',
      values: { ':issued': item.createdAt as string, ':at': at },
    }),
  ]);
}
