import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgKey } from '../../shared/data/keys.js';
import { transactWrite } from '../../shared/data/transactions.js';
import { settleReservationStep } from '../../shared/members/seat-reservation.js';
import { endLease, reserveLeasedSeats } from '../../shared/seats/seat-lease.js';
import { NotFoundError } from '../../shared/errors.js';
import { startLocalApi, type LocalApi } from '../helpers/local-api.js';

let api: LocalApi;
beforeAll(async () => {
  api = await startLocalApi();
});
afterAll(async () => api?.close());

const owner = { kind: 'bulk-invite', requestId: 'test', actorId: 'test' } as const;
const reserveSeats = async (orgId: string, wanted: number, maxSeatsSeen: number) => {
  const { granted, maxSeats } = await reserveLeasedSeats(api.db, orgId, wanted, maxSeatsSeen, owner, new Date());
  return { granted, maxSeats };
};

async function orgCounters(orgId: string) {
  const { Item } = await api.db.client.send(
    new GetCommand({ TableName: api.db.tableName, Key: orgKey(orgId), ConsistentRead: true }),
  );
  return {
    seatsUsed: Number(Item?.seatsUsed),
    maxSeats: Number(Item?.maxSeats),
    memberCount: Number(Item?.memberCount),
    activeAdminCount: Number(Item?.activeAdminCount),
  };
}

describe('batch seat reservation', () => {
  it('grants all seats when free, then only what is left, then none', async () => {
    const { orgId } = await api.seedOperatorAndOrg({ maxSeats: 10 }); // the admin holds 1
    expect(await reserveSeats(orgId, 4, 10)).toEqual({ granted: 4, maxSeats: 10 });
    expect(await reserveSeats(orgId, 9, 10)).toEqual({ granted: 5, maxSeats: 10 });
    expect(await reserveSeats(orgId, 3, 10)).toEqual({ granted: 0, maxSeats: 10 });
    expect((await orgCounters(orgId)).seatsUsed).toBe(10);
  });

  it('re-plans when maxSeats changed since the caller read it', async () => {
    const { orgId } = await api.seedOperatorAndOrg({ maxSeats: 10 });
    expect(await reserveSeats(orgId, 3, 5)).toEqual({ granted: 3, maxSeats: 10 });
  });

  it('never exceeds maxSeats under many concurrent batches, and releases return seats', async () => {
    const { orgId } = await api.seedOperatorAndOrg({ maxSeats: 50 });
    const grants = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reserveLeasedSeats(api.db, orgId, 1 + (i % 5), 50, owner, new Date())),
    );
    const granted = grants.reduce((sum, g) => sum + g.granted, 0);
    expect(granted).toBe(49);
    expect((await orgCounters(orgId)).seatsUsed).toBe(50);
    // Each lease ends once: its unused seats come back, a second end does nothing.
    const lease = grants.find((g) => g.granted >= 3)!.lease!;
    expect(await endLease(api.db, lease, 3)).toBe(true);
    expect(await endLease(api.db, lease, 3)).toBe(false);
    expect((await orgCounters(orgId)).seatsUsed).toBe(47);
  });

  it('settles a batch: unused seats back, members and admins recorded, in one step', async () => {
    const { orgId } = await api.seedOperatorAndOrg({ maxSeats: 10 });
    await reserveSeats(orgId, 5, 10);
    await transactWrite(api.db, [settleReservationStep(api.db, orgId, { seats: -2, members: 3, admins: 1 })]);
    expect(await orgCounters(orgId)).toEqual({ seatsUsed: 4, maxSeats: 10, memberCount: 4, activeAdminCount: 2 });
  });

  it('an unknown org is NotFound', async () => {
    await expect(reserveSeats('org_missing', 1, 10)).rejects.toBeInstanceOf(NotFoundError);
  });
});
