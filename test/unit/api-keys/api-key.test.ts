import { describe, expect, it } from 'vitest';
import { apiKeyView, formatApiKey, parseApiKey } from '../../../shared/api-keys/api-key.js';
import { newId, newSecret } from '../../../shared/ids.js';

const ORG = '3f1c2a9e-5b7d-4e2a-9c41-8d2f6b1e7a30';
const KEY = 'c9e1f3a7-2b4d-4e6f-8a1c-3d5e7f9b2a48';
const SECRET = 'ab_cd-ef' + 'x'.repeat(35);

describe('API key format', () => {
  it('round-trips the ids through the presented key, whatever the secret holds', () => {
    for (let i = 0; i < 200; i++) {
      const org = newId();
      const key = newId();
      expect(parseApiKey(formatApiKey(org, key, newSecret()))).toEqual({ orgId: org, keyId: key });
    }
    // base64url secrets may contain "_" and "-": the parse must not split on them.
    expect(parseApiKey(formatApiKey(ORG, KEY, SECRET))).toEqual({ orgId: ORG, keyId: KEY });
  });

  it('carries a 256-bit secret (43 base64url characters) behind the rk_ prefix', () => {
    const presented = formatApiKey(ORG, KEY, newSecret());
    expect(presented).toMatch(new RegExp(`^rk_${ORG}_${KEY}_[A-Za-z0-9_-]{43}$`));
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['wrong prefix', `sk_${ORG}_${KEY}_${SECRET}`],
    ['no secret', `rk_${ORG}_${KEY}_`],
    ['short secret', `rk_${ORG}_${KEY}_${SECRET.slice(1)}`],
    ['long secret', `rk_${ORG}_${KEY}_${SECRET}A`],
    ['secret with padding', `rk_${ORG}_${KEY}_${SECRET.slice(1)}=`],
    ['org id not a uuid', `rk_acme_${KEY}_${SECRET}`],
    ['key id upper case', `rk_${ORG}_${KEY.toUpperCase()}_${SECRET}`],
    ['extra segment', `rk_${ORG}_${KEY}_${SECRET}_x`],
    ['bearer prefix', `Bearer rk_${ORG}_${KEY}_${SECRET}`],
    ['huge', `rk_${ORG}_${KEY}_${'A'.repeat(10_000)}`],
    ['non-ascii', `rk_${ORG}_${KEY}_${'é'.repeat(43)}`],
  ])('refuses a %s key', (_case, presented) => {
    expect(parseApiKey(presented)).toBeUndefined();
  });

  it('lists keys without the secret or its hash', () => {
    const view = apiKeyView({
      keyId: KEY,
      orgId: ORG,
      name: 'sync',
      secretHash: 'abc',
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'u',
    });
    expect(view).toEqual({ keyId: KEY, name: 'sync', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u' });
  });
});
