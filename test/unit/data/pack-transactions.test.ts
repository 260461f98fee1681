import { describe, expect, it } from 'vitest';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { TRANSACTION_ACTION_LIMIT } from '../../../shared/data/dynamodb-limits.js';
import { check, packTransactions, put, type TransactionStep } from '../../../shared/data/transactions.js';

const db = { tableName: 'T' } as Database;
const putOf = (id: string): TransactionStep => put(db, { PK: id, SK: 'x' }, 'attribute_not_exists(PK)');
const teamCheck = (team: string): TransactionStep =>
  check(db, { key: { PK: `TEAM#${team}`, SK: 'TEAM' }, condition: 'attribute_exists(PK)' });
const row = (n: number, team?: string) => ({
  unit: n,
  steps: [putOf(`M#${n}`), putOf(`A#${n}`), ...(team ? [teamCheck(team)] : [])],
});

describe('packTransactions', () => {
  it('fills each transaction up to the action limit, keeping the units in order', () => {
    const packs = packTransactions(Array.from({ length: 120 }, (_, i) => row(i)));
    expect(packs.map((p) => p.steps.length)).toEqual([TRANSACTION_ACTION_LIMIT, TRANSACTION_ACTION_LIMIT, 40]);
    expect(packs.flatMap((p) => p.units)).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('never splits a unit across transactions', () => {
    const units = Array.from({ length: 40 }, (_, i) => ({
      unit: i,
      steps: [putOf(`a${i}`), putOf(`b${i}`), putOf(`c${i}`)],
    }));
    const packs = packTransactions(units);
    expect(packs.map((p) => p.steps.length)).toEqual([99, 21]);
    expect(packs.map((p) => p.units.length)).toEqual([33, 7]);
  });

  it('names a checked item once per transaction: rows on one team share its ConditionCheck', () => {
    const packs = packTransactions([row(1, 'ops'), row(2, 'ops'), row(3, 'design'), row(4, 'ops')]);
    expect(packs).toHaveLength(1);
    const checks = packs[0]!.steps.filter((s) => s.item.ConditionCheck).map((s) => s.item.ConditionCheck?.Key);
    expect(checks).toEqual([
      { PK: 'TEAM#ops', SK: 'TEAM' },
      { PK: 'TEAM#design', SK: 'TEAM' },
    ]);
    expect(packs[0]!.steps).toHaveLength(4 * 2 + 2);
  });

  it('counts a shared check once when deciding whether a unit still fits, and repeats it in the next transaction', () => {
    // The check + 49 rows of 2 puts = 99 actions; the 50th row (its check already there) would make 101.
    const units = [{ unit: 0, steps: [teamCheck('ops')] }, ...Array.from({ length: 50 }, (_, i) => row(i + 1, 'ops'))];
    const packs = packTransactions(units);
    expect(packs.map((p) => p.steps.length)).toEqual([99, 3]);
    expect(packs[1]!.units).toEqual([50]);
    expect(packs[1]!.steps.at(-1)).toEqual(teamCheck('ops'));
  });

  it('refuses a unit larger than one transaction rather than splitting it', () => {
    expect(() =>
      packTransactions([{ unit: 'big', steps: Array.from({ length: 101 }, (_, i) => putOf(String(i))) }]),
    ).toThrow(RangeError);
  });

  it('packs nothing into no transactions', () => {
    expect(packTransactions([])).toEqual([]);
  });
});
