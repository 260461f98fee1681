import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsDataKeys } from '../../../shared/secrets/kms-data-keys.js';
import { LocalDataKeys } from '../../../shared/secrets/local-data-keys.js';
import { isSealed, openSecret, sealSecret } from '../../../shared/secrets/sealed-secret.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const context = { purpose: 'webhook-signing-secret', orgId: 'org-1' };

describe('KMS data keys (envelope encryption of secrets at rest)', () => {
  const kms = mockClient(KMSClient);
  beforeEach(() => kms.reset());

  it('seals with GenerateDataKey (AES_256, the context) and opens with Decrypt of the stored key, pinned to the key', async () => {
    const plaintextKey = randomBytes(32);
    const encryptedKey = randomBytes(184);
    kms
      .on(GenerateDataKeyCommand)
      .resolves({ Plaintext: new Uint8Array(plaintextKey), CiphertextBlob: encryptedKey, KeyId: KEY_ARN });
    // Decrypt answers the data key only for the blob and context it was generated with.
    kms
      .on(DecryptCommand, { CiphertextBlob: encryptedKey, EncryptionContext: context, KeyId: KEY_ARN })
      .resolves({ Plaintext: new Uint8Array(plaintextKey), KeyId: KEY_ARN });
    const keys = new KmsDataKeys(new KMSClient({}), KEY_ARN);

    const sealed = await sealSecret(keys, 'whsec_the-secret', context);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('the-secret');
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY_ARN,
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });

    expect(await openSecret(keys, sealed, context)).toBe('whsec_the-secret');
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY_ARN,
      CiphertextBlob: encryptedKey,
      EncryptionContext: context,
    });
    // The opened data key is kept for the container: the next delivery makes no KMS call.
    expect(await openSecret(keys, sealed, context)).toBe('whsec_the-secret');
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
  });

  it('does not open under another org’s context', async () => {
    const plaintextKey = randomBytes(32);
    const encryptedKey = randomBytes(184);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(plaintextKey), CiphertextBlob: encryptedKey });
    kms
      .on(DecryptCommand)
      .rejects(Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' }));
    const keys = new KmsDataKeys(new KMSClient({}), KEY_ARN);
    const sealed = await sealSecret(keys, 'whsec_x', context);
    await expect(openSecret(keys, sealed, { ...context, orgId: 'org-2' })).rejects.toThrow('InvalidCiphertext');
  });
});

describe('local data keys', () => {
  it('round-trips, and refuses another context or another master key', async () => {
    const keys = new LocalDataKeys(randomBytes(32).toString('base64'));
    const sealed = await sealSecret(keys, 'whsec_local', context);
    expect(await openSecret(keys, sealed, context)).toBe('whsec_local');
    await expect(openSecret(keys, sealed, { ...context, orgId: 'org-2' })).rejects.toThrow();
    await expect(openSecret(new LocalDataKeys(randomBytes(32).toString('base64')), sealed, context)).rejects.toThrow();
  });
});
