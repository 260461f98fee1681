import * as z from 'zod/mini';
import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, memberSortPrefix } from '../data/keys.js';
import { membershipFromItem } from '../data/membership-repository.js';
import { queryPage } from '../data/pagination.js';
import { DomainError } from '../errors.js';
import type { Org } from '../orgs/org.js';
import { teamNamesById } from '../teams/team-repository.js';
import type { Membership } from './membership.js';

/**
 * CSV export of an org's members, built in the request.
 *
 * A synchronous Lambda answer is capped at 6 MB, so this path serves exports up to
 * EXPORT_MAX_BYTES and refuses larger ones with 413 `export_too_large`. The design that
 * scales (not built yet): POST …/members/exports records an export job and answers 202; a
 * worker Lambda (stream- or queue-driven) reads the same by-name index page by page and
 * streams the same rows (csvRow) into an S3 multipart upload, bucket private, SSE-KMS, with a
 * lifecycle rule that deletes exports after a day; GET …/exports/{id} reports progress and, when
 * done, a short-lived pre-signed GET URL. Both paths write rows with the same pure functions.
 */

export const EXPORT_COLUMNS = ['name', 'email', 'team', 'role', 'status', 'lastLoginAt', 'createdAt'] as const;

/** What this synchronous path may answer: 5 MiB, well inside Lambda's 6 MB response cap. */
export const EXPORT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * A lower bound on one row's size in the response: name ≥ 1, email ≥ 3, role and status ≥ 6,
 * createdAt 24, six commas, CRLF escaped as 4. Lets an org that cannot fit be refused at once.
 */
const MIN_ROW_BYTES = 50;

/** Members read per Query; memory holds one page plus the CSV so far (≤ EXPORT_MAX_BYTES). */
const EXPORT_PAGE = 500;

export const exportMembersQuery = z.strictObject({});

export class ExportTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'export_too_large';
  readonly title = 'Export too large';
  constructor(maxBytes: number) {
    super(`The member list exceeds the ${Math.floor(maxBytes / (1024 * 1024))} MiB a direct download can carry; use the asynchronous export, which delivers the file through a download link`);
  }
}

/** A cell a spreadsheet would run as a formula (or a DDE payload) starts with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

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
export async function exportMembers(db: Database, org: Pick<Org, 'orgId' | 'memberCount'>, maxBytes = EXPORT_MAX_BYTES): Promise<string> {
  if (org.memberCount * MIN_ROW_BYTES > maxBytes) throw new ExportTooLargeError(maxBytes);
  const teamNames = await teamNamesById(db, org.orgId);
  const rows = [EXPORT_HEADER_ROW];
  let bytes = responseBytes(EXPORT_HEADER_ROW);
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, {
      index: memberListIndex.sort.name,
      partition: memberListPartition.all(org.orgId),
      sortKey: { beginsWith: memberSortPrefix.name },
      forward: true,
      limit: EXPORT_PAGE,
      cursor,
    });
    for (const item of page.items) {
      const row = memberCsvRow(membershipFromItem(item), teamNames);
      bytes += responseBytes(row);
      if (bytes > maxBytes) throw new ExportTooLargeError(maxBytes);
      rows.push(row);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows.join('');
}
