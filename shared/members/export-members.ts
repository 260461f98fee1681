import * as z from 'zod/mini';
import type { Database } from '../data/dynamo-client.js';
import { queryMembersByName } from './membership-repository.js';
import { DomainError } from '../errors.js';
import type { Org } from '../orgs/org.js';
import { teamNamesById } from '../teams/team-repository.js';
import type { Membership } from './membership.js';

/**
 * CSV export of an org's members, built in the request (the direct download).
 *
 * A synchronous Lambda answer is capped at 6 MB, so this path serves orgs of up to
 * SYNC_EXPORT_MAX_MEMBERS members (decided from the org item authorization already read, no
 * extra round trip) and at most EXPORT_MAX_BYTES; anything larger gets 413 `export_too_large`
 * naming the asynchronous export (shared/exports/): POST …/member-exports records a job, a
 * stream-driven writer streams the same rows (csvRow) into the object store (S3 multipart),
 * and GET …/member-exports/{id} hands out a short-lived pre-signed link. Both paths write rows
 * with the same pure functions.
 */

export const EXPORT_COLUMNS = ['name', 'email', 'team', 'role', 'status', 'lastLoginAt', 'createdAt'] as const;

/** What this synchronous path may answer: 5 MiB, well inside Lambda's 6 MB response cap. */
export const EXPORT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Members the direct download serves. A typical row is 100–150 bytes (escaped for JSON), so
 * 20,000 members stay near 3 MB, well inside EXPORT_MAX_BYTES; larger orgs are sent to the
 * asynchronous export at once rather than after reading pages that could not be answered.
 * Rows far longer than usual still meet the byte check below.
 */
export const SYNC_EXPORT_MAX_MEMBERS = 20_000;

/** The request that serves orgs too large for a direct download. */
export const asyncExportRoute = (orgId: string): string => `POST /v1/orgs/${orgId}/member-exports`;

/** Members read per Query; memory holds one page plus the CSV so far (≤ EXPORT_MAX_BYTES). */
const EXPORT_PAGE = 500;

export const exportMembersQuery = z.strictObject({});

export class ExportTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'export_too_large';
  readonly title = 'Export too large';
  constructor(maxBytes: number, orgId: string) {
    super(
      `The member list is too large for a direct download (over ${SYNC_EXPORT_MAX_MEMBERS} members or ${Math.floor(maxBytes / (1024 * 1024))} MiB); ` +
        `use the asynchronous export, ${asyncExportRoute(orgId)}, which delivers the file through a download link`,
    );
  }
}

/**
 * A cell a spreadsheet would run as a formula (or a DDE payload): one starting with a tab or CR,
 * or with = + - @ after any leading whitespace (spreadsheets trim it), full-width forms
 * (＝ ＋ － ＠, which East Asian locales of Excel take as the ASCII ones) included.
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** Prefixes a single quote to a cell a spreadsheet would read as a formula (OWASP CSV injection). */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: neutralized, then quoted (quotes doubled) when it holds `,` `"` CR or LF. */
export function csvCell(value: string | null | undefined): string {
  const text = neutralizeCell(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 has it. */
export function csvRow(cells: readonly (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const EXPORT_HEADER_ROW = csvRow(EXPORT_COLUMNS);

export function memberCsvRow(m: Membership, teamNames: ReadonlyMap<string, string>): string {
  // A team deleted while its members were being unassigned reads as no team.
  const team = m.teamId ? (teamNames.get(m.teamId) ?? '') : '';
  return csvRow([m.name, m.email, team, m.role, m.status, m.lastLoginAt, m.createdAt]);
}

/** Bytes a piece of text takes in Lambda's JSON response (quotes, CR, LF are escaped there). */
export const responseBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

/**
 * The org's members as CSV, sorted by name: teams loaded once, members read page by page from
 * the by-name index, refused with ExportTooLargeError as soon as the answer would pass maxBytes.
 */
export async function exportMembers(
  db: Database,
  org: Pick<Org, 'orgId' | 'memberCount'>,
  maxBytes = EXPORT_MAX_BYTES,
): Promise<string> {
  if (org.memberCount > SYNC_EXPORT_MAX_MEMBERS) throw new ExportTooLargeError(maxBytes, org.orgId);
  const teamNames = await teamNamesById(db, org.orgId);
  const rows = [EXPORT_HEADER_ROW];
  let bytes = responseBytes(EXPORT_HEADER_ROW);
  let cursor: string | undefined;
  do {
    const page = await queryMembersByName(db, org.orgId, EXPORT_PAGE, cursor);
    for (const m of page.items) {
      const row = memberCsvRow(m, teamNames);
      bytes += responseBytes(row);
      if (bytes > maxBytes) throw new ExportTooLargeError(maxBytes, org.orgId);
      rows.push(row);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows.join('');
}
