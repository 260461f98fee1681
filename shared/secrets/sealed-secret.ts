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
  const sealed = sealWith(dataKey, plaintext, additionalData(context));
  Buffer.from(dataKey.plaintext.buffer, dataKey.plaintext.byteOffset, dataKey.plaintext.byteLength).fill(0);
  return sealed;
}

/** One value under a data key already in hand, in the `sealed1` format. */
function sealWith(dataKey: { plaintext: Uint8Array; encrypted: Uint8Array }, plaintext: string, aad: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [SEALED_PREFIX, Buffer.from(dataKey.encrypted), iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** How long, and for how many values, one cached data key seals (SealingKeyCache). */
export interface SealingKeyBounds {
  maxAgeMs: number;
  maxUses: number;
}

/** Five minutes or 1,000 values, whichever comes first: a 10,000-row invite import costs about ten GenerateDataKey calls. */
export const DEFAULT_SEALING_KEY_BOUNDS: SealingKeyBounds = { maxAgeMs: 5 * 60_000, maxUses: 1000 };

/**
 * Sealing many values for one purpose with one data key at a time, as the AWS Encryption SDK's
 * caching CMM does: a key is reused for at most `maxUses` values and `maxAgeMs`, then a fresh
 * one is generated. The encryption context is therefore the purpose's alone (it is what KMS and
 * the IAM conditions see); what binds a value to its owner is `bound`, in the cipher's
 * additional data only, so a value copied to another owner does not open (openSecret with its
 * `bound`). Per container: the plain data key lives in memory at most `maxAgeMs`.
 */
export class SealingKeyCache {
  private current: Promise<CachedDataKey> | undefined;

  constructor(
    private readonly keys: DataKeyPort,
    private readonly context: EncryptionContext,
    private readonly bounds: SealingKeyBounds = DEFAULT_SEALING_KEY_BOUNDS,
    private readonly clock: () => number = Date.now,
  ) {}

  async seal(plaintext: string, bound: EncryptionContext): Promise<string> {
    const dataKey = await this.usableKey();
    dataKey.uses++;
    return sealWith(dataKey, plaintext, additionalData(this.context, bound));
  }

  /** The cached key while within its bounds, else a fresh one; concurrent sealers share one GenerateDataKey. */
  private async usableKey(): Promise<CachedDataKey> {
    for (;;) {
      const pending = (this.current ??= this.generate());
      const dataKey = await pending;
      if (dataKey.uses < this.bounds.maxUses && this.clock() - dataKey.at < this.bounds.maxAgeMs) return dataKey;
      if (this.current === pending) this.current = undefined;
    }
  }

  private generate(): Promise<CachedDataKey> {
    const at = this.clock();
    const pending = this.keys.generate(this.context).then((key) => ({ ...key, at, uses: 0 }));
    // A failed generation is not cached: the next seal asks KMS again.
    pending.catch(() => {
      if (this.current === pending) this.current = undefined;
    });
    return pending;
  }
}

interface CachedDataKey {
  plaintext: Uint8Array;
  encrypted: Uint8Array;
  /** When it was generated (the clock's milliseconds). */
  at: number;
  /** Values sealed with it so far. */
  uses: number;
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${SEALED_PREFIX}.`);
}

/** A sealed value that does not open under the context and binding given: tampered with, or copied from another owner. */
export class SealBrokenError extends Error {
  override readonly name = 'SealBrokenError';
  constructor() {
    super('The sealed value does not open here: it was altered or belongs to another owner');
  }
}

/**
 * The secret a sealed value holds. Decrypted data keys are kept for the container's life
 * (bounded), so a busy org's deliveries cost one KMS call per container, not one each.
 * `bound` is what a SealingKeyCache bound the value to; SealBrokenError when it is not that.
 */
export async function openSecret(
  keys: DataKeyPort,
  sealed: string,
  context: EncryptionContext,
  bound?: EncryptionContext,
): Promise<string> {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== SEALED_PREFIX) throw new Error('Not a sealed secret');
  const [encryptedKey, iv, tag, data] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const cacheKey = `${parts[1]}\u0000${contextBytes(context).toString('utf8')}`;
  let opened = openedKeys.get(keys);
  if (!opened) openedKeys.set(keys, (opened = new Map()));
  let dataKey = opened.get(cacheKey);
  if (!dataKey) {
    dataKey = Buffer.from(await keys.decrypt(encryptedKey, context));
    if (opened.size >= MAX_OPENED_KEYS) opened.delete(opened.keys().next().value as string);
    opened.set(cacheKey, dataKey);
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
  decipher.setAAD(additionalData(context, bound));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new SealBrokenError();
  }
}

const MAX_OPENED_KEYS = 256;
/** Per adapter: what one master key opened says nothing of another's. */
const openedKeys = new WeakMap<DataKeyPort, Map<string, Buffer>>();

/** A value's additional data: its context, and what it is bound to when sealed with a cached key. */
function additionalData(context: EncryptionContext, bound?: EncryptionContext): Buffer {
  if (!bound) return contextBytes(context);
  return Buffer.concat([contextBytes(context), Buffer.from('\u0000', 'utf8'), contextBytes(bound)]);
}

/** The context in a canonical order, as a cipher's additional data. */
export function contextBytes(context: EncryptionContext): Buffer {
  return Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))), 'utf8');
}
