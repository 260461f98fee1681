import { describe, expect, it } from 'vitest';
import { DURATION_MODEL, PRICES, monthlyEstimate, operationCost } from '../../../bench/cost.js';
import { consumedUnits, type RoundTrip } from '../../../bench/round-trip-counter.js';
import type { ScenarioResult } from '../../../bench/round-trips.js';

const scenario = (route: string, trips: RoundTrip[]): ScenarioResult => ({
  route,
  as: 'orgAdmin',
  status: 200,
  expectedStatus: 200,
  counts: { authorization: 0, operation: trips.length, identity: 0, activity: 0, limit: 0 },
  trips,
  verdict: 'PASS',
});

describe('consumed capacity as DynamoDB bills it', () => {
  it('takes what DynamoDB Local reports for reads and single writes, one response or several', () => {
    expect(consumedUnits('GetItemCommand', {}, { ConsumedCapacity: { CapacityUnits: 0.5 } })).toBe(0.5);
    expect(
      consumedUnits('BatchGetItemCommand', {}, { ConsumedCapacity: [{ CapacityUnits: 1 }, { CapacityUnits: 1.5 }] }),
    ).toBe(2.5);
    expect(consumedUnits('PutItemCommand', {}, {})).toBeUndefined();
  });

  it("halves a transaction's reported writes and adds 2 units per ConditionCheck, which DynamoDB Local leaves out", () => {
    // Observed: one 1 KB transactional put reports 4 (the rule: 2); put + check reports 4 (the rule: 4).
    expect(
      consumedUnits(
        'TransactWriteItemsCommand',
        { TransactItems: [{ Put: {} }] },
        { ConsumedCapacity: [{ CapacityUnits: 4 }] },
      ),
    ).toBe(2);
    expect(
      consumedUnits(
        'TransactWriteItemsCommand',
        { TransactItems: [{ Put: {} }, { ConditionCheck: {} }] },
        { ConsumedCapacity: [{ CapacityUnits: 4 }] },
      ),
    ).toBe(4);
  });
});

describe('what a request costs', () => {
  it('prices the units, the modelled Lambda time at its memory, and one API request', () => {
    const cost = operationCost(
      scenario('POST /v1/orgs/{orgId}/members', [
        { command: 'BatchGetItemCommand', origin: 'authorization', readUnits: 1 },
        { command: 'TransactWriteItemsCommand', origin: 'operation', writeUnits: 10 },
        { command: 'AdminCreateUserCommand', origin: 'identity' },
      ]),
    );
    const durationMs = DURATION_MODEL.fixedMs + 2 * DURATION_MODEL.dynamoRoundTripMs + DURATION_MODEL.identityCallMs;
    expect(cost.durationMs).toBe(durationMs);
    expect(cost.gbSeconds).toBeCloseTo((durationMs / 1000) * (DURATION_MODEL.memoryMb / 1024), 10);
    expect(cost.perMillion.dynamo).toBeCloseTo(
      1 * PRICES.dynamoPerMillionReadUnits + 10 * PRICES.dynamoPerMillionWriteUnits,
      10,
    );
    expect(cost.perMillion.total).toBeCloseTo(
      cost.perMillion.apiGateway + cost.perMillion.lambda + cost.perMillion.dynamo,
      10,
    );
  });

  it('estimates a month: requests by the stated workload, Cognito past its free tier, unmeasured routes named', () => {
    const me = operationCost(
      scenario('GET /v1/me', [{ command: 'GetItemCommand', origin: 'operation', readUnits: 1 }]),
    );
    const month = monthlyEstimate(100_000, [me]);
    expect(month.requestsCost).toBeCloseTo(((60 * 100_000) / 1e6) * me.perMillion.total, 6);
    expect(month.cognito.essentials).toBeCloseTo((100_000 - 10_000) * PRICES.cognito.essentials.perMau, 6);
    expect(month.cognito.plus).toBeCloseTo(100_000 * PRICES.cognito.plus.perMau, 6);
    expect(month.unpriced).toContain('GET /v1/orgs/{orgId}/members');
    expect(monthlyEstimate(1_000, [me]).cognito.essentials).toBe(0);
  });
});
