import { dataKeys } from '../secrets/data-keys.js';
import { isSealed, openSecret, SealingKeyCache, type EncryptionContext } from '../secrets/sealed-secret.js';
import { SECRET_PURPOSES } from '../secrets/secrets-env.js';

/**
 * A mail's link carries its raw single-use token (invitation, password, email confirmation):
 * whoever reads it can use it. The outbox item, the table stream's images of it (24 h) and
 * point-in-time backups (35 days) therefore hold it sealed (shared/secrets): producers seal it
 * with a data key cached per container (one GenerateDataKey per 1,000 mails or 5 minutes, not
 * one per mail), the mailer alone opens it, just before rendering.
 */
const MAIL_LINK_CONTEXT = { purpose: SECRET_PURPOSES.mailLink };

type LinkMail = { to: string; data: { link: string } };

let sealer: SealingKeyCache | undefined;

/**
 * The mail with its link sealed to its send (outbox.ts linkSendId) and recipient: it opens only
 * on a mail of that send, to that address.
 */
export async function sealMailLink<M extends LinkMail>(message: M, sendId: string): Promise<M> {
  sealer ??= new SealingKeyCache(dataKeys(), MAIL_LINK_CONTEXT);
  const link = await sealer.seal(message.data.link, ownerContext(sendId, message.to));
  return { ...message, data: { ...message.data, link } };
}

/**
 * The mail with its link opened, for rendering (never stored). SealBrokenError when the sealed
 * link was not sealed for this send and recipient (copied from another item, or altered).
 */
export async function openMailLink<M extends LinkMail>(message: M, sendId: string): Promise<M> {
  // Queued before links were sealed: sent as it is (such items are gone within their 7-day TTL).
  if (!isSealed(message.data.link)) return message;
  const link = await openSecret(dataKeys(), message.data.link, MAIL_LINK_CONTEXT, ownerContext(sendId, message.to));
  return { ...message, data: { ...message.data, link } };
}

/** What a link is bound to, in the GCM additional data only (the KMS context is the purpose's alone, so data keys can be cached). */
const ownerContext = (sendId: string, to: string): EncryptionContext => ({ sendId, to });
