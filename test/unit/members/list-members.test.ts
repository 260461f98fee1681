import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ValidationError } from '../../../shared/errors.js';
import { planMemberList } from '../../../shared/members/list-members.js';
import { listMembersQuery } from '../../../shared/members/schemas.js';

const ORG = '11111111-1111-1111-1111-111111111111';
const TEAM = '22222222-2222-2222-2222-222222222222';
const plan = (query: Record<string, string>) => planMemberList(ORG, z.parse(listMembersQuery, query));

describe('planMemberList serves every accepted combination with one index', () => {
  it.each([
    [{}, 'GSI2', `ORG#${ORG}#M`, 'n#', true],
    [{ sort: 'email', order: 'desc' }, 'GSI3', `ORG#${ORG}#M`, 'e#', false],
    [{ sort: 'createdAt' }, 'GSI4', `ORG#${ORG}#M`, 'c#', true],
    [{ sort: 'lastLoginAt' }, 'GSI5', `ORG#${ORG}#M`, 'l#', true],
    [{ q: 'al', sort: 'email' }, 'GSI3', `ORG#${ORG}#M`, 'e#al', true],
    [{ status: 'suspended' }, 'GSI6', `ORG#${ORG}#M#status#suspended`, 'n#', true],
    [{ teamId: TEAM }, 'GSI8', `ORG#${ORG}#M#team#${TEAM}`, 'n#', true],
  ])('%j → %s', (query, index, partition, prefix, forward) => {
    expect(plan(query as Record<string, string>)).toEqual({
      index,
      partition,
      sortKey: { beginsWith: prefix },
      forward,
    });
  });

  it.each([
    [{ q: ' Álvaro ' }, 'GSI2', `ORG#${ORG}#Q`, 'alvaro'],
    [{ q: 'amy.smith' }, 'GSI2', `ORG#${ORG}#Q`, 'amy smith'],
    [{ q: 'Grace  Hop' }, 'GSI2', `ORG#${ORG}#Q`, 'grace hop'],
    [{ q: 'bob', status: 'active' }, 'GSI6', `ORG#${ORG}#Q#status#active`, 'bob'],
    [{ q: 'bob', role: 'org_admin' }, 'GSI7', `ORG#${ORG}#Q#role#org_admin`, 'bob'],
    [{ q: 'bob@x.', teamId: TEAM }, 'GSI8', `ORG#${ORG}#Q#team#${TEAM}`, 'bob@x'],
  ])('search %j → %s %s', (query, index, partition, search) => {
    expect(plan(query as Record<string, string>)).toEqual({
      index,
      partition,
      sortKey: { beginsWith: search },
      forward: true,
      search,
    });
  });

  it.each([
    [{ status: 'active', role: 'member' }, 'query.role'],
    [{ status: 'active', sort: 'email' }, 'query.sort'],
    [{ q: 'a', sort: 'createdAt' }, 'query.q'],
    [{ q: 'abc', status: 'active', sort: 'email' }, 'query.sort'],
    [{ q: 'abc', status: 'active', role: 'member' }, 'query.role'],
  ])('refuses %j naming %s and the supported combinations', (query, field) => {
    try {
      plan(query as Record<string, string>);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.field).toBe(field);
      expect((error as ValidationError).errors[0]?.message).toMatch(/supported:/);
    }
  });

  it.each([['ab'], ['a-'], ['\u0301é.']])(
    'refuses the search %j, under three characters once folded, saying why',
    (q) => {
      try {
        plan({ q });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).errors[0]).toEqual({
          field: 'query.q',
          message: expect.stringMatching(/at least 3 .*page/),
        });
      }
    },
  );
});
