import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { contextBytes, type DataKeyPort, type EncryptionContext } from './sealed-secret.js';

/**
 * KMS's role under `npm start` and tests: data keys wrapped (AES-256-GCM, the context as
 * additional data) under a master key from the local stack's configuration (LOCAL_SECRETS_KEY,
 * 32 bytes in base64, which `npm start` keeps in .local/secrets-key). Unset (tests), a random key
 * for the process: there is no well-known key that opens what a local stack sealed. Never used in AWS.
 */
export class LocalDataKeys implements DataKeyPort {
  private readonly masterKey: Buffer;

  constructor(masterKeyBase64: string | undefined) {
    this.masterKey = masterKeyBase64 ? Buffer.from(masterKeyBase64, 'base64') : randomBytes(32);
    if (this.masterKey.length !== 32) throw new Error('LOCAL_SECRETS_KEY must be 32 bytes in base64');
  }

  generate(context: EncryptionContext) {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(contextBytes(context));
    const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Promise.resolve({ plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) });
  }

  decrypt(encrypted: Uint8Array, context: EncryptionContext) {
    const blob = Buffer.from(encrypted);
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, blob.subarray(0, 12));
    decipher.setAAD(contextBytes(context));
    decipher.setAuthTag(blob.subarray(12, 28));
    return Promise.resolve(Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]));
  }
}
