import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsDataKeys } from '../../../shared/secrets/kms-data-keys.js';
import { LocalDataKeys } from '../../../shared/secrets/local-data-keys.js';
import {
  isSealed,
  openSecret,
  SealBrokenError,
  sealSecret,
  SealingKeyCache,
  type DataKeyPort,
  type EncryptionContext,
} from '../../../shared/secrets/sealed-secret.js';

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

describe('sealing with a cached data key (SealingKeyCache)', () => {
  const purpose = { purpose: 'mail-link' };
  const owner = { sendId: 'send-1', to: 'ana@example.com' };

  /** Local data keys that count GenerateDataKey calls and the contexts they were asked under. */
  function countingKeys() {
    const inner = new LocalDataKeys(randomBytes(32).toString('base64'));
    const generated: EncryptionContext[] = [];
    const keys: DataKeyPort = {
      generate: (ctx) => {
        generated.push(ctx);
        return inner.generate(ctx);
      },
      decrypt: (encrypted, ctx) => inner.decrypt(encrypted, ctx),
    };
    return { keys, generated };
  }
  const dataKeyOf = (sealed: string) => sealed.split('.')[1];

  it('reuses one data key, under the purpose alone, up to maxUses values, then generates a fresh one', async () => {
    const { keys, generated } = countingKeys();
    const cache = new SealingKeyCache(keys, purpose, { maxAgeMs: 60_000, maxUses: 3 });
    const sealed = [];
    for (let i = 0; i < 4; i++) sealed.push(await cache.seal(`link-${i}`, { ...owner, sendId: `send-${i}` }));
    expect(generated).toEqual([purpose, purpose]);
    expect(new Set(sealed.slice(0, 3).map(dataKeyOf)).size).toBe(1);
    expect(dataKeyOf(sealed[3]!)).not.toBe(dataKeyOf(sealed[0]!));
    for (let i = 0; i < 4; i++) {
      expect(await openSecret(keys, sealed[i]!, purpose, { ...owner, sendId: `send-${i}` })).toBe(`link-${i}`);
    }
  });

  it('generates a fresh key once the cached one is maxAgeMs old', async () => {
    const { keys, generated } = countingKeys();
    let now = 1_000_000;
    const cache = new SealingKeyCache(keys, purpose, { maxAgeMs: 5 * 60_000, maxUses: 1000 }, () => now);
    const first = await cache.seal('a', owner);
    now += 5 * 60_000 - 1;
    const second = await cache.seal('b', owner);
    expect(generated).toHaveLength(1);
    expect(dataKeyOf(second)).toBe(dataKeyOf(first));
    now += 1;
    const third = await cache.seal('c', owner);
    expect(generated).toHaveLength(2);
    expect(dataKeyOf(third)).not.toBe(dataKeyOf(first));
  });

  it('shares one generation between concurrent sealers, and does not cache a failed one', async () => {
    const { keys, generated } = countingKeys();
    const cache = new SealingKeyCache(keys, purpose);
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.seal(`v${i}`, owner)));
    expect(generated).toHaveLength(1);

    let fail = true;
    const flaky: DataKeyPort = {
      generate: (ctx) => (fail ? Promise.reject(new Error('ThrottlingException')) : keys.generate(ctx)),
      decrypt: (encrypted, ctx) => keys.decrypt(encrypted, ctx),
    };
    const flakyCache = new SealingKeyCache(flaky, purpose);
    await expect(flakyCache.seal('x', owner)).rejects.toThrow('ThrottlingException');
    fail = false;
    expect(await openSecret(keys, await flakyCache.seal('x', owner), purpose, owner)).toBe('x');
  });

  it('binds each value to its owner through the additional data: another send, another recipient or no binding does not open it', async () => {
    const { keys } = countingKeys();
    const cache = new SealingKeyCache(keys, purpose);
    const sealed = await cache.seal('https://app.example/invitations/raw-token', owner);
    expect(sealed).not.toContain('raw-token');
    expect(await openSecret(keys, sealed, purpose, owner)).toBe('https://app.example/invitations/raw-token');
    await expect(openSecret(keys, sealed, purpose, { ...owner, sendId: 'send-2' })).rejects.toBeInstanceOf(
      SealBrokenError,
    );
    await expect(openSecret(keys, sealed, purpose, { ...owner, to: 'eve@example.com' })).rejects.toBeInstanceOf(
      SealBrokenError,
    );
    await expect(openSecret(keys, sealed, purpose)).rejects.toBeInstanceOf(SealBrokenError);
    // A value sealed without a binding (a webhook secret) does not open as a bound one either.
    const unbound = await sealSecret(keys, 'whsec_x', purpose);
    await expect(openSecret(keys, unbound, purpose, owner)).rejects.toBeInstanceOf(SealBrokenError);
  });
});
