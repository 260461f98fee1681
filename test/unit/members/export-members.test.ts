import { describe, expect, it } from 'vitest';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { membershipToItem } from '../../../shared/members/membership-repository.js';
import type { Membership } from '../../../shared/members/membership.js';
import {
  csvCell,
  csvRow,
  EXPORT_HEADER_ROW,
  exportMembers,
  ExportTooLargeError,
  memberCsvRow,
  neutralizeCell,
  responseBytes,
  SYNC_EXPORT_MAX_MEMBERS,
} from '../../../shared/members/export-members.js';

const member = (over: Partial<Membership> = {}): Membership => ({
  orgId: 'o',
  userId: 'u1',
  name: 'Ann Lee',
  email: 'ann@acme.test',
  role: 'member',
  teamId: null,
  status: 'active',
  source: 'manual',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
  lastLoginAt: null,
  lastActiveAt: null,
  version: 1,
  ...over,
});

describe('CSV cells are RFC 4180 and safe to open in a spreadsheet', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tlead tab', "'\tlead tab"],
    ['\rlead cr', "'\rlead cr"],
    // Spreadsheets trim leading whitespace before reading a formula; East Asian Excel reads full-width signs.
    ['  =1+1', "'  =1+1"],
    ['\u00a0+1', "'\u00a0+1"],
    ['\u3000@cmd', "'\u3000@cmd"],
    ['＝HYPERLINK("http://x")', '\'＝HYPERLINK("http://x")'],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠cmd', "'＠cmd"],
    [' lead space', ' lead space'],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralizes %j as %j', (value, expected) => {
    expect(neutralizeCell(value)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['\r=1', `"'\r=1"`],
    ['Zoë Ünal', 'Zoë Ünal'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes null and undefined as empty cells and ends records with CRLF', () => {
    expect(csvRow(['a', null, undefined, 'b'])).toBe('a,,,b\r\n');
  });

  it('has the documented header', () => {
    expect(EXPORT_HEADER_ROW).toBe('name,email,team,role,status,lastLoginAt,createdAt\r\n');
  });

  it('shows the team by name, and a team that no longer exists as blank', () => {
    const teams = new Map([['t1', 'Ops, "core"']]);
    expect(memberCsvRow(member({ teamId: 't1', lastLoginAt: '2026-02-01T00:00:00.000Z' }), teams)).toBe(
      'Ann Lee,ann@acme.test,"Ops, ""core""",member,active,2026-02-01T00:00:00.000Z,2026-01-02T03:04:05.000Z\r\n',
    );
    expect(memberCsvRow(member({ teamId: 'gone' }), teams)).toBe(
      'Ann Lee,ann@acme.test,,member,active,,2026-01-02T03:04:05.000Z\r\n',
    );
  });

  it('counts bytes as the JSON response carries them (escapes included)', () => {
    expect(responseBytes('ab')).toBe(2);
    expect(responseBytes('"\r\n')).toBe(6);
    expect(responseBytes('ë')).toBe(2);
  });
});

/** A table fake answering Queries as DynamoDB would: the team partition empty, members by GSI2SK. */
function fakeDb(members: Membership[]): { db: Database; queries: Record<string, unknown>[] } {
  const queries: Record<string, unknown>[] = [];
  const items = members.map(membershipToItem).sort((a, b) => String(a.GSI2SK).localeCompare(String(b.GSI2SK)));
  const send = async (command: { input: Record<string, unknown> }) => {
    queries.push(command.input);
    if (command.input.IndexName === undefined) return { Items: [] };
    const after = (command.input.ExclusiveStartKey as Record<string, string> | undefined)?.GSI2SK;
    const rest = after === undefined ? items : items.filter((i) => String(i.GSI2SK) > after);
    return { Items: rest.slice(0, Number(command.input.Limit)) };
  };
  return { db: { client: { send } as unknown as Database['client'], tableName: 't' }, queries };
}

describe('exportMembers', () => {
  it('refuses an org whose member count cannot fit before reading any member', async () => {
    const { db, queries } = fakeDb([]);
    await expect(exportMembers(db, { orgId: 'o', memberCount: 200_000 })).rejects.toBeInstanceOf(ExportTooLargeError);
    expect(queries).toHaveLength(0);
  });

  it('sends an org past SYNC_EXPORT_MAX_MEMBERS to the asynchronous route, named with its org id, without reading a member', async () => {
    const { db, queries } = fakeDb([]);
    const error = await exportMembers(db, { orgId: 'o', memberCount: SYNC_EXPORT_MAX_MEMBERS + 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExportTooLargeError);
    expect((error as ExportTooLargeError).message).toContain('POST /v1/orgs/o/member-exports');
    expect(queries).toHaveLength(0);
    // At the threshold itself the direct download still runs.
    await expect(exportMembers(db, { orgId: 'o', memberCount: SYNC_EXPORT_MAX_MEMBERS })).resolves.toBe(
      EXPORT_HEADER_ROW,
    );
  });

  it('refuses as soon as the rows pass the size cap, with code export_too_large and the async remedy', async () => {
    const { db } = fakeDb([member({ name: 'x'.repeat(150) }), member({ userId: 'u2', name: 'y'.repeat(150) })]);
    const error = await exportMembers(db, { orgId: 'o', memberCount: 2 }, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportTooLargeError);
    expect((error as ExportTooLargeError).status).toBe(413);
    expect((error as ExportTooLargeError).code).toBe('export_too_large');
    expect((error as ExportTooLargeError).message).toMatch(/asynchronous export/);
  });

  it('writes the header and one row per member, in the by-name index order', async () => {
    const { db } = fakeDb([member({ name: 'Zed' }), member({ userId: 'u2', name: '=cmd', email: 'b@acme.test' })]);
    const csv = await exportMembers(db, { orgId: 'o', memberCount: 2 });
    expect(csv.split('\r\n')).toEqual([
      'name,email,team,role,status,lastLoginAt,createdAt',
      "'=cmd,b@acme.test,,member,active,,2026-01-02T03:04:05.000Z",
      'Zed,ann@acme.test,,member,active,,2026-01-02T03:04:05.000Z',
      '',
    ]);
  });

  it('reads members page by page, in name order, with no gaps or repeats', async () => {
    const members = Array.from({ length: 1203 }, (_, i) =>
      member({ userId: `u${i}`, name: `Person ${String(i).padStart(4, '0')}` }),
    );
    const { db, queries } = fakeDb(members);
    const rows = (await exportMembers(db, { orgId: 'o', memberCount: members.length })).split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(1203);
    expect(rows.map((r) => r.split(',')[0])).toEqual(members.map((m) => m.name));
    // teams, then three member pages of at most 500 (+1 look-ahead) each
    expect(queries.filter((q) => q.IndexName === 'GSI2').map((q) => q.Limit)).toEqual([501, 501, 501]);
  });
});
