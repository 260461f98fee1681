import { describe, expect, it } from 'vitest';
import { formatApiKey } from '../../../shared/api-keys/api-key.js';
import { apiKeyToItem } from '../../../shared/api-keys/api-key-repository.js';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { orgToItem } from '../../../shared/orgs/org-repository.js';
import { UnauthorizedError } from '../../../shared/errors.js';
import { authorize } from '../../../shared/http/authorize.js';
import type { ApiEvent } from '../../../shared/http/types.js';
import { sha256 } from '../../../shared/ids.js';
import { DEFAULT_ORG_SETTINGS, type Org } from '../../../shared/orgs/org.js';

const ORG = '3f1c2a9e-5b7d-4e2a-9c41-8d2f6b1e7a30';
const OTHER_ORG = '4a2d3b8f-6c8e-4f3b-8d52-9e3a7c2f8b41';
const KEY = 'c9e1f3a7-2b4d-4e6f-8a1c-3d5e7f9b2a48';
const GOOD = formatApiKey(ORG, KEY, 'S'.repeat(43));
const org = (orgId: string): Org => ({
  orgId,
  name: 'Acme',
  maxSeats: 25,
  seatsUsed: 3,
  activeAdminCount: 1,
  customRoles: {},
  rolesVersion: 0,
  roleHolders: {},
  memberCount: 4,
  settings: DEFAULT_ORG_SETTINGS,
  createdAt: 'c',
  updatedAt: 'u',
});

/** A table holding `items`; records each BatchGetItem so round trips can be counted. */
function fakeDb(items: Record<string, unknown>[]) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    calls.push({ name: command.constructor.name, input: command.input });
    const request = (
      command.input.RequestItems as Record<string, { Keys: { PK: string; SK: string }[]; ConsistentRead?: boolean }>
    ).t!;
    return { Responses: { t: items.filter((i) => request.Keys.some((k) => k.PK === i.PK && k.SK === i.SK)) } };
  };
  const db: Database = { client: { send } as unknown as Database['client'], tableName: 't' };
  return { db, calls };
}

const event = (apiKey: string | undefined): ApiEvent =>
  ({
    headers: apiKey === undefined ? {} : { 'x-api-key': apiKey },
    requestContext: { requestId: 'r' },
  }) as unknown as ApiEvent;

const stored = (over: Partial<Parameters<typeof apiKeyToItem>[0]> = {}) =>
  apiKeyToItem({
    keyId: KEY,
    orgId: ORG,
    name: 'sync',
    secretHash: sha256(GOOD),
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'u',
    ...over,
  });

describe("authorize({ kind: 'apiKey' })", () => {
  it('admits a valid key with the key item and its org read in one consistent BatchGetItem', async () => {
    const { db, calls } = fakeDb([stored(), orgToItem(org(ORG))]);
    const caller = await authorize(db, event(GOOD), { kind: 'apiKey' });
    expect(caller.keyId).toBe(KEY);
    expect(caller.org.orgId).toBe(ORG);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('BatchGetCommand');
    expect((calls[0]!.input.RequestItems as Record<string, { ConsistentRead: boolean }>).t!.ConsistentRead).toBe(true);
  });

  it.each([
    ['missing', undefined, [stored(), orgToItem(org(ORG))]],
    ['garbled', 'not-a-key', [stored(), orgToItem(org(ORG))]],
    ['wrong secret', formatApiKey(ORG, KEY, 'T'.repeat(43)), [stored(), orgToItem(org(ORG))]],
    ['unknown (or revoked: deleted)', GOOD, [orgToItem(org(ORG))]],
    [
      'naming another org than its own',
      formatApiKey(OTHER_ORG, KEY, 'S'.repeat(43)),
      [stored({ secretHash: sha256(formatApiKey(OTHER_ORG, KEY, 'S'.repeat(43))) }), orgToItem(org(OTHER_ORG))],
    ],
    ['of a vanished org', GOOD, [stored()]],
  ])('refuses a %s key with the one same 401 invalid_api_key', async (_case, presented, items) => {
    const { db } = fakeDb(items);
    const error = await authorize(db, event(presented), { kind: 'apiKey' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).code).toBe('invalid_api_key');
    expect((error as UnauthorizedError).message).toBe('A valid API key is required in the x-api-key header');
  });

  it('reads nothing for a key that does not parse', async () => {
    const { db, calls } = fakeDb([]);
    await expect(authorize(db, event('rk_garbage'), { kind: 'apiKey' })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(calls).toHaveLength(0);
  });
});
