import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { planAuditQuery } from '../../../shared/audit/list-audit-events.js';
import { listAuditEventsQuery } from '../../../shared/audit/schemas.js';
import { auditSortKeyRange } from '../../../shared/data/keys.js';
import { ValidationError } from '../../../shared/errors.js';
import { validate } from '../../../shared/validation.js';

const ORG = '11111111-1111-1111-1111-111111111111';
const USER = '22222222-2222-2222-2222-222222222222';
const plan = (query: Record<string, string>) => planAuditQuery(ORG, z.parse(listAuditEventsQuery, query));

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors[0]?.field;
  }
  return undefined;
}

describe('planAuditQuery serves each filter with its own key, newest first', () => {
  it.each([
    [{}, undefined, `AUDIT#${ORG}`],
    [{ action: 'member.added' }, 'GSI1', `AUDIT#${ORG}#action#member.added`],
    [{ actorId: USER }, 'GSI2', `AUDIT#${ORG}#actor#${USER}`],
    [{ targetId: USER }, 'GSI3', `AUDIT#${ORG}#target#${USER}`],
  ])('%j → %s %s', (query, index, partition) => {
    expect(plan(query)).toEqual({ ...(index ? { index } : {}), partition, forward: false });
  });

  it('turns from/to into an inclusive sort-key range on ts#id', () => {
    expect(
      plan({ action: 'team.created', from: '2026-01-01T00:00:00Z', to: '2026-01-31T23:59:59.999Z' }).sortKey,
    ).toEqual({
      between: ['2026-01-01T00:00:00.000Z', '2026-01-31T23:59:59.999Z#~'],
    });
    expect(plan({ from: '2026-01-01T00:00:00Z' }).sortKey).toEqual({ between: ['2026-01-01T00:00:00.000Z', '~'] });
    expect(plan({ to: '2026-01-01T00:00:00Z' }).sortKey).toEqual({ between: ['0', '2026-01-01T00:00:00.000Z#~'] });
  });

  it('normalizes zoned timestamps to the UTC form events are stored under', () => {
    expect(plan({ from: '2026-01-01T02:00:00+02:00' }).sortKey).toEqual({ between: ['2026-01-01T00:00:00.000Z', '~'] });
  });

  it('keeps an event stamped exactly at `to`, and one at `from`, inside the range', () => {
    const [low, high] = auditSortKeyRange('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
    const id = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    for (const sk of [`2026-01-01T00:00:00.000Z#${id}`, `2026-01-02T00:00:00.000Z#${id}`]) {
      expect(sk >= low && sk <= high).toBe(true);
    }
    expect(`2026-01-02T00:00:00.001Z#0` <= high).toBe(false);
    expect(`2025-12-31T23:59:59.999Z#${id}` >= low).toBe(false);
  });

  it.each([
    [{ action: 'member.added', actorId: USER }, 'query.actorId'],
    [{ actorId: USER, targetId: USER }, 'query.targetId'],
    [{ action: 'member.added', targetId: USER }, 'query.targetId'],
  ])('refuses the combination %j naming %s and the supported ones', (query, field) => {
    try {
      plan(query);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).errors[0]?.field).toBe(field);
      expect((error as ValidationError).errors[0]?.message).toMatch(
        /supported: .*exactly one of action, actorId or targetId/,
      );
    }
  });

  it('refuses a range that ends before it starts', () => {
    expect(fieldOf(() => plan({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }))).toBe('query.to');
  });

  it.each([
    [{ from: 'yesterday' }, 'query.from'],
    [{ to: '2026-01-01' }, 'query.to'],
    [{ to: '2026-01-01T00:00:00' }, 'query.to'],
    [{ action: 'DROP TABLE' }, 'query.action'],
    [{ action: '' }, 'query.action'],
    [{ actorId: 'a'.repeat(129) }, 'query.actorId'],
    [{ targetId: 'x#y' }, 'query.targetId'],
    [{ limit: '0' }, 'query.limit'],
    [{ sort: 'asc' }, 'query.sort'],
  ])('validation refuses %j naming %s', (query, field) => {
    expect(fieldOf(() => validate(listAuditEventsQuery, query, 'query'))).toBe(field);
  });
});
