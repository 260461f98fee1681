import { CsvError, parse } from 'csv-parse/sync';
import { PayloadTooLargeError, ValidationError } from '../errors.js';

/** 5 MB fits one request inside API Gateway's 10 MB and Lambda's 6 MB payload limits. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

/** What one upload may hold: the API's (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS) unless a caller stages a larger file (the bench's 100,000-row worker run). */
export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
}
export const IMPORT_LIMITS: ImportLimits = { maxBytes: IMPORT_MAX_BYTES, maxRows: IMPORT_MAX_ROWS };

export const IMPORT_COLUMNS = ['email', 'name', 'role', 'team'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['email', 'name'];

/** One data record: its first line in the file and its cells by column ('' when absent). */
export interface CsvRecord {
  line: number;
  cells: Record<ImportColumn, string>;
  /** Cells beyond or short of the header's count. */
  columnCountMismatch: boolean;
}

const bodyProblem = (message: string) => new ValidationError([{ field: 'body', message }]);

/**
 * Reads an uploaded CSV: UTF-8 with or without BOM, CRLF or LF, RFC 4180 quoting, blank lines
 * skipped, a header naming the columns (email and name required; role and team optional, in
 * any order). A file that is not such a CSV is refused as a whole (400 naming `body` or
 * `body.header`); problems of single rows are the validation pass's business.
 */
export function readImportCsv(bytes: Buffer, limits: ImportLimits = IMPORT_LIMITS): CsvRecord[] {
  if (bytes.length > limits.maxBytes) throw new PayloadTooLargeError(`The file exceeds ${limits.maxBytes} bytes`);
  if (bytes.length === 0) throw bodyProblem('is empty; send the CSV file as the request body');
  // Text never holds NUL; spreadsheets (xlsx), images and UTF-16 files do.
  if (bytes.includes(0)) throw bodyProblem('is binary, not CSV text (save the sheet as "CSV UTF-8")');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bodyProblem('is not UTF-8 text (save the sheet as "CSV UTF-8")');
  }
  // A body API Gateway passed on as text has had invalid bytes replaced already; U+FFFD is what is left of them.
  if (text.includes('\uFFFD')) throw bodyProblem('is not UTF-8 text (save the sheet as "CSV UTF-8")');
  // One record delimiter for the parser; a CRLF inside a quoted cell becomes LF, which no cell keeps anyway.
  text = text.replace(/\r\n?/g, '\n');

  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes as {record, info}; the typings describe only plain records.
    parsed = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 64 * 1024,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) throw bodyProblem(`is not valid CSV: ${error.message}`);
    throw error;
  }

  const [header, ...records] = parsed;
  if (!header) throw bodyProblem('is empty; send the CSV file as the request body');
  const columns = readHeader(header.record);
  const rows: CsvRecord[] = [];
  for (const { record, info } of records) {
    // A line of blanks or bare commas is an empty line too.
    if (record.every((cell) => cell.trim() === '')) continue;
    if (rows.length >= limits.maxRows) throw new PayloadTooLargeError(`The file has more than ${limits.maxRows} rows`);
    // info.lines is the record's last line; quoted line breaks inside it moved it down.
    const innerBreaks = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const cells: Record<ImportColumn, string> = { email: '', name: '', role: '', team: '' };
    columns.forEach((column, i) => (cells[column] = (record[i] ?? '').trim()));
    rows.push({ line: info.lines - innerBreaks, cells, columnCountMismatch: record.length !== columns.length });
  }
  if (rows.length === 0) throw bodyProblem('has a header but no rows');
  return rows;
}

function readHeader(record: string[]): ImportColumn[] {
  const names = record.map((cell) => cell.trim().toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  const expected = `expected a header of ${IMPORT_COLUMNS.join(',')} (role and team optional)`;
  const headerProblem = (message: string) =>
    new ValidationError([{ field: 'body.header', message: `${message}; ${expected}` }]);
  if (unknown.length > 0)
    throw headerProblem(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')}`,
    );
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) throw headerProblem(`column ${repeated[0]} appears twice`);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) throw headerProblem(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return names as ImportColumn[];
}
