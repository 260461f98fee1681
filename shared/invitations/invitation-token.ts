import type { Database } from '../data/dynamo-client.js';
import { tokenKey } from '../data/keys.js';
import { put, remove, update, type TransactionStep } from '../data/transactions.js';
import { TOKEN_ENTITY } from '../credentials/password-token.js';
import { newSecret, sha256 } from '../ids.js';
import { outboxStep } from '../mail/outbox.js';
import type { Invitation } from './invitation.js';

/**
 * A used or revoked link keeps its token item this long past expiry, so its holder is told
 * "already used" or "revoked" rather than "unknown"; then DynamoDB's TTL removes it.
 */
const USED_TOKEN_RETENTION_SECONDS = 7 * 24 * 3600;

export interface IssuedToken {
  /** The raw token: it travels only in the invitee's mail (the outbox item holds it sealed). */
  token: string;
  tokenHash: string;
}

/** A fresh 256-bit link token; only its SHA-256 is ever stored as a key. */
export function issueInvitationToken(): IssuedToken {
  const token = newSecret();
  return { token, tokenHash: sha256(token) };
}

export interface InvitationMailContext {
  orgName: string;
  appUrl: string;
  now: Date;
}

/**
 * The token item and the invitation mail, as steps of the caller's transaction. The mail is
 * the invitation's current send (`deliverySendId`): the mailer reports its outcome against it.
 */
export async function invitationTokenSteps(
  db: Database,
  invitation: Invitation,
  issued: IssuedToken,
  context: InvitationMailContext,
): Promise<TransactionStep[]> {
  const link = `${context.appUrl.replace(/\/$/, '')}/invitations/${issued.token}`;
  const tokenItem = {
    ...tokenKey(issued.tokenHash),
    entity: TOKEN_ENTITY,
    kind: 'invitation',
    orgId: invitation.orgId,
    invitationId: invitation.invitationId,
    email: invitation.email,
    // What accepting needs of the invitation, so accept writes it without reading it first.
    role: invitation.role,
    teamId: invitation.teamId,
    createdAt: context.now.toISOString(),
    expiresAt: invitation.expiresAt,
    ttl: Math.floor(Date.parse(invitation.expiresAt) / 1000) + USED_TOKEN_RETENTION_SECONDS,
  };
  const mail = {
    template: 'invitation' as const,
    to: invitation.email,
    data: {
      orgName: context.orgName,
      inviterName: invitation.invitedBy.name,
      inviterEmail: invitation.invitedBy.email,
      role: invitation.role,
      message: invitation.message,
      link,
      expiresAt: invitation.expiresAt,
    },
  };
  if (!invitation.deliverySendId) throw new Error('An invitation mail needs the send id the invitation expects');
  const ref = {
    kind: 'invitation' as const,
    orgId: invitation.orgId,
    invitationId: invitation.invitationId,
    sendId: invitation.deliverySendId,
  };
  return [
    put(db, tokenItem, 'attribute_not_exists(PK)'),
    await outboxStep(db, mail, context.now, { messageId: invitation.deliverySendId, ref }),
  ];
}

/** Deletes a superseded token, so its link answers like an unknown one. */
export const deleteTokenStep = (db: Database, tokenHash: string): TransactionStep => remove(db, tokenKey(tokenHash));

/**
 * Marks a revoked invitation's token. An update rather than a conditional one: a token item
 * already gone (past its TTL) must not fail the revoke; the stub it leaves has a TTL too and
 * no `kind`, so it reads as an unknown link.
 */
export const revokeTokenStep = (db: Database, tokenHash: string, expiresAt: string, now: Date): TransactionStep =>
  update(db, {
    key: tokenKey(tokenHash),
    updateExpression: 'SET revokedAt = :now, #ttl = if_not_exists(#ttl, :ttl)',
    names: { '#ttl': 'ttl' },
    values: {
      ':now': now.toISOString(),
      ':ttl': Math.floor(Date.parse(expiresAt) / 1000) + USED_TOKEN_RETENTION_SECONDS,
    },
  });
