import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { DataKeyPort, EncryptionContext } from './sealed-secret.js';

/** Data keys from a KMS key (its ARN in SECRETS_KEY_ARN): GenerateDataKey to seal, Decrypt to open. */
export class KmsDataKeys implements DataKeyPort {
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async generate(context: EncryptionContext) {
    const { Plaintext, CiphertextBlob } = await this.client.send(
      new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }),
    );
    if (!Plaintext || !CiphertextBlob) throw new Error('KMS GenerateDataKey answered without a key');
    return { plaintext: Plaintext, encrypted: CiphertextBlob };
  }

  async decrypt(encrypted: Uint8Array, context: EncryptionContext) {
    // KeyId pins the key: a blob under any other key is refused rather than decrypted.
    const { Plaintext } = await this.client.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: encrypted, EncryptionContext: { ...context } }),
    );
    if (!Plaintext) throw new Error('KMS Decrypt answered without a key');
    return Plaintext;
  }
}
