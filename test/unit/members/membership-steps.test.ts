import { describe, expect, it } from 'vitest';
import type { Database } from '../../../shared/data/dynamo-client.js';
import {
  LastAdminError,
  NotFoundError,
  SeatLimitReachedError,
  ConcurrentModificationError,
} from '../../../shared/errors.js';
import type { Membership } from '../../../shared/members/membership.js';
import { counterDelta, orgCountersStep } from '../../../shared/members/membership-steps.js';

const db = { tableName: 't', client: undefined } as unknown as Database;
const member = (over: Partial<Membership>): Membership => ({
  orgId: 'o',
  userId: 'u',
  name: 'N',
  email: 'n@x.test',
  role: 'member',
  teamId: null,
  status: 'active',
  source: 'manual',
  createdAt: '',
  updatedAt: '',
  lastLoginAt: null,
  lastActiveAt: null,
  version: 1,
  ...over,
});

describe('counterDelta', () => {
  it('counts a new active admin as a seat, an admin and a member', () => {
    expect(counterDelta(undefined, member({ role: 'org_admin' }))).toEqual({
      seats: 1,
      admins: 1,
      members: 1,
      scimDeleted: 0,
      roles: {},
    });
  });
  it('frees the seat and the admin when an admin is suspended, keeping the member', () => {
    expect(counterDelta(member({ role: 'org_admin' }), member({ role: 'org_admin', status: 'suspended' }))).toEqual({
      seats: -1,
      admins: -1,
      members: 0,
      scimDeleted: 0,
      roles: {},
    });
  });
  it('does not count a suspended member demoted as an admin change', () => {
    expect(counterDelta(member({ role: 'org_admin', status: 'suspended' }), member({ status: 'suspended' }))).toEqual({
      seats: 0,
      admins: 0,
      members: 0,
      scimDeleted: 0,
      roles: {},
    });
  });
  it('moves a custom role holding org:manage as an admin, and its holder counts', () => {
    const coOwner = member({ role: 'co_owner', managesOrg: true });
    expect(counterDelta(member({ role: 'author' }), coOwner)).toEqual({
      seats: 0,
      admins: 1,
      members: 0,
      scimDeleted: 0,
      roles: { co_owner: { holders: 1, managesOrg: true }, author: { holders: -1, managesOrg: false } },
    });
    expect(counterDelta(coOwner, { ...coOwner, status: 'suspended' })).toMatchObject({ admins: -1, roles: {} });
  });
  it('conditions the org step on a role given still holding org:manage as assumed', () => {
    const step = orgCountersStep(db, 'o', counterDelta(member({}), member({ role: 'co_owner', managesOrg: true })));
    const update = step?.item.Update;
    expect(update?.ConditionExpression).toContain('contains(customRoles.#r0.#permissions, :orgManage)');
    expect(update?.UpdateExpression).toContain('roleHolders.#r0 = if_not_exists(roleHolders.#r0, :zero) + :r0');
    expect(update?.ExpressionAttributeNames).toEqual({ '#r0': 'co_owner', '#permissions': 'permissions' });
  });
  it('counts a membership whose SCIM resource was deleted, and its return', () => {
    expect(counterDelta(member({}), member({ scimDeleted: true }))).toMatchObject({ scimDeleted: 1 });
    expect(counterDelta(member({ scimDeleted: true }), member({}))).toMatchObject({ scimDeleted: -1 });
  });
});

describe('orgCountersStep', () => {
  it('writes nothing when nothing moves', () => {
    expect(orgCountersStep(db, 'o', { seats: 0, admins: 0, members: 0 })).toBeUndefined();
  });

  it('guards a new seat with seatsUsed < maxSeats and reports the cap', () => {
    const step = orgCountersStep(db, 'o', { seats: 1, admins: 0, members: 1 })!;
    expect(step.item.Update?.ConditionExpression).toContain('seatsUsed < maxSeats');
    const error = step.onConditionFailed!({ maxSeats: 3, seatsUsed: 3, activeAdminCount: 1 });
    expect(error).toBeInstanceOf(SeatLimitReachedError);
    expect(error.message).toBe('Seat limit reached (3)');
  });

  it('guards losing an admin with activeAdminCount >= 2', () => {
    const step = orgCountersStep(db, 'o', { seats: -1, admins: -1, members: 0 })!;
    expect(step.item.Update?.ExpressionAttributeValues?.[':minAdmins']).toBe(2);
    expect(step.onConditionFailed!({ maxSeats: 3, seatsUsed: 1, activeAdminCount: 1 })).toBeInstanceOf(LastAdminError);
    expect(step.onConditionFailed!({ maxSeats: 3, seatsUsed: 1, activeAdminCount: 2 })).toBeInstanceOf(
      ConcurrentModificationError,
    );
    expect(step.onConditionFailed!(undefined)).toBeInstanceOf(NotFoundError);
  });
});
