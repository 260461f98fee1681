import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { membershipToItem } from '../../../shared/members/membership-repository.js';
import { getMe } from '../../../shared/me/get-me.js';
import { newMembership } from '../../../shared/members/membership.js';

describe('getMe', () => {
  it('retries the org names DynamoDB hands back unprocessed, so every membership has its org name', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const items = ['o1', 'o2'].map((orgId) =>
      membershipToItem(
        newMembership(
          { orgId, userId: 'u1', name: 'Ann', email: 'ann@x.test', role: 'member', teamId: null, source: 'manual' },
          now,
        ),
      ),
    );
    const batchGets: unknown[] = [];
    const client = {
      send: (command: unknown) => {
        if (command instanceof QueryCommand) return Promise.resolve({ Items: items });
        if (command instanceof BatchGetCommand) {
          batchGets.push(command.input.RequestItems);
          // Throttled: the first call answers o1 and hands o2 back unprocessed.
          if (batchGets.length === 1)
            return Promise.resolve({
              Responses: { t: [{ orgId: 'o1', name: 'One' }] },
              UnprocessedKeys: { t: { Keys: [{ PK: 'ORG#o2', SK: 'ORG' }] } },
            });
          return Promise.resolve({ Responses: { t: [{ orgId: 'o2', name: 'Two' }] } });
        }
        return Promise.reject(new Error('unexpected command'));
      },
    };
    const db = { client, tableName: 't' } as unknown as Database;
    const me = await getMe(db, {
      userId: 'u1',
      isPlatformAdmin: false,
      user: { userId: 'u1', email: 'ann@x.test', name: 'Ann' } as never,
    });
    expect(me.memberships.map((m) => [m.orgId, m.orgName])).toEqual([
      ['o1', 'One'],
      ['o2', 'Two'],
    ]);
    expect(batchGets).toHaveLength(2);
  });
});
