import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Where a data key comes from: a KMS key in AWS (GenerateDataKey, Decrypt), a local key under
 * `npm start` and tests. The encryption context binds a ciphertext to its purpose and owner
 * (an org): a sealed value copied onto another org's item does not open.
 */
export interface DataKeyPort {
  /** A fresh 256-bit data key, in plain (used once, then dropped) and encrypted under the master key (stored). */
  generate(context: EncryptionContext): Promise<{ plaintext: Uint8Array; encrypted: Uint8Array }>;
  /** The plain data key of an encrypted one; refuses under another context. */
  decrypt(encrypted: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
}

export type EncryptionContext = Readonly<Record<string, string>>;

/** Format marker of a sealed value: `sealed1.<encrypted data key>.<iv>.<tag>.<ciphertext>`, base64url parts. */
const SEALED_PREFIX = 'sealed1';

/**
 * Envelope encryption of a small secret: a fresh data key per value (AES-256-GCM, the context
 * as additional data), stored encrypted beside the ciphertext. The master key never leaves KMS.
 */
export async function sealSecret(keys: DataKeyPort, plaintext: string, context: EncryptionContext): Promise<string> {
  const dataKey = await keys.generate(context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
  cipher.setAAD(contextBytes(context));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  Buffer.from(dataKey.plaintext.buffer, dataKey.plaintext.byteOffset, dataKey.plaintext.byteLength).fill(0);
  return [SEALED_PREFIX, Buffer.from(dataKey.encrypted), iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${SEALED_PREFIX}.`);
}

/**
 * The secret a sealed value holds. Decrypted data keys are kept for the container's life
 * (bounded), so a busy org's deliveries cost one KMS call per container, not one each.
 */
export async function openSecret(keys: DataKeyPort, sealed: string, context: EncryptionContext): Promise<string> {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== SEALED_PREFIX) throw new Error('Not a sealed secret');
  const [encryptedKey, iv, tag, data] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const aad = contextBytes(context);
  const cacheKey = `${parts[1]}\u0000${aad.toString('utf8')}`;
  let opened = openedKeys.get(keys);
  if (!opened) openedKeys.set(keys, (opened = new Map()));
  let dataKey = opened.get(cacheKey);
  if (!dataKey) {
    dataKey = Buffer.from(await keys.decrypt(encryptedKey, context));
    if (opened.size >= MAX_OPENED_KEYS) opened.delete(opened.keys().next().value as string);
    opened.set(cacheKey, dataKey);
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

const MAX_OPENED_KEYS = 256;
/** Per adapter: what one master key opened says nothing of another's. */
const openedKeys = new WeakMap<DataKeyPort, Map<string, Buffer>>();

/** The context in a canonical order, as a cipher's additional data. */
export function contextBytes(context: EncryptionContext): Buffer {
  return Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))), 'utf8');
}
