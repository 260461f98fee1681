import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  LastAdminError,
  NotFoundError,
  SeatLimitReachedError,
} from '../../../shared/errors.js';
import { counterChangeRefusal, freeSeats, keepsAnAdmin, seatsToGrant } from '../../../shared/seats/seat-rules.js';

describe('freeSeats', () => {
  it.each([
    ['an empty org', { maxSeats: 5, seatsUsed: 0 }, 5],
    ['a partly used org', { maxSeats: 5, seatsUsed: 3 }, 2],
    ['a full org', { maxSeats: 5, seatsUsed: 5 }, 0],
    ['an org whose cap was lowered below its use', { maxSeats: 2, seatsUsed: 4 }, 0],
  ])('%s', (_, org, free) => {
    expect(freeSeats(org)).toBe(free);
  });
});

describe('seatsToGrant', () => {
  it.each([
    ['all it wants when enough are free', { maxSeats: 10, seatsUsed: 2 }, 5, 5],
    ['only the free ones when fewer are free', { maxSeats: 10, seatsUsed: 8 }, 5, 2],
    ['none in a full org', { maxSeats: 10, seatsUsed: 10 }, 5, 0],
    ['none when the cap was lowered below the use', { maxSeats: 3, seatsUsed: 7 }, 5, 0],
    ['none when it wants none', { maxSeats: 10, seatsUsed: 0 }, 0, 0],
  ])('%s', (_, org, wanted, granted) => {
    expect(seatsToGrant(org, wanted)).toBe(granted);
  });
});

describe('keepsAnAdmin (the last-admin rule)', () => {
  it.each([
    ['two admins, one leaves', 2, -1, true],
    ['one admin leaves', 1, -1, false],
    ['three admins, two leave at once', 3, -2, true],
    ['two admins, both leave at once', 2, -2, false],
    ['one admin, nobody leaves', 1, 0, true],
    ['no admin yet, one joins', 0, 1, true],
  ])('%s', (_, admins, delta, keeps) => {
    expect(keepsAnAdmin(admins, delta)).toBe(keeps);
  });
});

describe('counterChangeRefusal (why the org item refused a counter change)', () => {
  const org = (seatsUsed: number, activeAdminCount: number) => ({ maxSeats: 3, seatsUsed, activeAdminCount });
  it.each([
    ['the org is gone', undefined, { seats: 1, admins: 0 }, NotFoundError],
    ['a seat taken from a full org', org(3, 1), { seats: 1, admins: 0 }, SeatLimitReachedError],
    ['the last admin suspended', org(1, 1), { seats: -1, admins: -1 }, LastAdminError],
    [
      'a seat taken while seats were free (a concurrent change)',
      org(2, 1),
      { seats: 1, admins: 0 },
      ConcurrentModificationError,
    ],
    [
      'an admin removed while another remains (a concurrent change)',
      org(2, 2),
      { seats: -1, admins: -1 },
      ConcurrentModificationError,
    ],
    [
      'a seat released from a full org (no seat rule applies)',
      org(3, 1),
      { seats: -1, admins: 0 },
      ConcurrentModificationError,
    ],
  ])('%s', (_, current, delta, refusal) => {
    expect(counterChangeRefusal(current, delta)).toBeInstanceOf(refusal);
  });

  it('names the cap it found in the seat-limit refusal', () => {
    expect(counterChangeRefusal(org(3, 1), { seats: 1, admins: 0 }).message).toBe('Seat limit reached (3)');
  });
});
