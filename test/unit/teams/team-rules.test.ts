import { describe, expect, it } from 'vitest';
import type { AuditContext } from '../../../shared/audit/audit-event.js';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { ValidationError } from '../../../shared/errors.js';
import { validate } from '../../../shared/validation.js';
import { createTeamBody } from '../../../shared/teams/schemas.js';
import { teamView, type Team } from '../../../shared/teams/team.js';
import { teamToItem } from '../../../shared/teams/team-repository.js';
import { updateTeam } from '../../../shared/teams/update-team.js';

const ORG = '11111111-1111-1111-1111-111111111111';
const TEAM = '22222222-2222-2222-2222-222222222222';
const team: Team = {
  orgId: ORG,
  teamId: TEAM,
  name: 'Platform',
  description: null,
  createdAt: 'c',
  updatedAt: 'c',
  version: 3,
};
const audit: AuditContext = {
  actor: { type: 'user', id: 'u', email: 'a@acme.test' },
  ip: '203.0.113.1',
  userAgent: 'ua',
  requestId: 'r',
  now: new Date('2026-01-01T00:00:00Z'),
};

/** Answers the team read and records the transaction written. */
function fakeDb() {
  const written: {
    TransactItems: Record<string, { Key?: Record<string, string>; Item?: Record<string, string> }>[];
  }[] = [];
  const send = async (command: { constructor: { name: string }; input: never }) => {
    if (command.constructor.name === 'GetCommand') return { Item: teamToItem(team) };
    written.push(command.input);
    return {};
  };
  return { db: { client: { send } as unknown as Database['client'], tableName: 't' } as Database, written };
}

const touched = (tx: {
  TransactItems: Record<string, { Key?: Record<string, string>; Item?: Record<string, string> }>[];
}) =>
  tx.TransactItems.map((step) => {
    const [kind, body] = Object.entries(step)[0]!;
    const key = body.Key ?? body.Item!;
    return `${kind} ${key.SK}`;
  });

describe('team rules', () => {
  it('a rename claims the new name and releases the old one in the same transaction', async () => {
    const { db, written } = fakeDb();
    await updateTeam(db, ORG, TEAM, { name: 'Reliability' }, audit);
    expect(written).toHaveLength(1);
    expect(touched(written[0]!).filter((t) => !t.startsWith('Put 2026'))).toEqual([
      `Put TEAM#${TEAM}`,
      'Put TEAMNAME#reliability',
      'Delete TEAMNAME#platform',
    ]);
  });

  it('a change of case keeps the claim (one transaction may not touch an item twice)', async () => {
    const { db, written } = fakeDb();
    const next = await updateTeam(db, ORG, TEAM, { name: 'PLATFORM' }, audit);
    expect(next.name).toBe('PLATFORM');
    expect(touched(written[0]!).filter((t) => t.includes('TEAMNAME'))).toEqual([]);
  });

  it('an unchanged team writes nothing (and so audits nothing)', async () => {
    const { db, written } = fakeDb();
    await updateTeam(db, ORG, TEAM, { name: 'Platform', description: null }, audit);
    expect(written).toHaveLength(0);
  });

  it('shows description only when there is one', () => {
    expect(teamView(team)).toEqual({ teamId: TEAM, name: 'Platform', createdAt: 'c', updatedAt: 'c' });
    expect(teamView({ ...team, description: 'd' }).description).toBe('d');
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(10_000) }, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: 'ok', description: '' }, 'description'],
    [{ name: 'ok', extra: 1 }, 'extra'],
  ])('refuses the body %j naming %s', (body, field) => {
    try {
      validate(createTeamBody, body, '');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).toContain(field);
    }
  });
});
