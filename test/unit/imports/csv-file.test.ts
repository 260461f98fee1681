import { describe, expect, it } from 'vitest';
import { uploadedCsv } from '../../../shared/http/csv-body.js';
import { readImportCsv, IMPORT_MAX_ROWS } from '../../../shared/imports/csv-file.js';
import { PayloadTooLargeError, ValidationError } from '../../../shared/errors.js';
import type { ApiEvent } from '../../../shared/http/types.js';

const read = (text: string) => readImportCsv(Buffer.from(text, 'utf8'));

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors[0]?.field;
    throw error;
  }
  return undefined;
}

describe('readImportCsv', () => {
  it('reads BOM, CRLF, quoted commas, doubled quotes and quoted line breaks, skipping blank lines', () => {
    const rows = read(
      '\uFEFFEmail,Name,Team\r\na@x.test,"Lovelace, Ada",Eng\r\n\r\n , ,\r\nb@x.test,"Ken ""K""\r\nThompson",\r\nc@x.test,C,Ops',
    );
    expect(rows.map((r) => [r.line, r.cells])).toEqual([
      [2, { email: 'a@x.test', name: 'Lovelace, Ada', role: '', team: 'Eng' }],
      [5, { email: 'b@x.test', name: 'Ken "K"\nThompson', role: '', team: '' }],
      [7, { email: 'c@x.test', name: 'C', role: '', team: 'Ops' }],
    ]);
  });

  it('takes the columns in any order and flags rows with a different cell count', () => {
    const rows = read('role,name,email\nmember,A,a@x.test\norg_admin,B\n');
    expect(rows[0]).toEqual({
      line: 2,
      cells: { email: 'a@x.test', name: 'A', role: 'member', team: '' },
      columnCountMismatch: false,
    });
    expect(rows[1]?.columnCountMismatch).toBe(true);
  });

  it('refuses what is not a CSV of people, naming body or body.header', () => {
    expect(fieldOf(() => read(''))).toBe('body');
    expect(fieldOf(() => readImportCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00])))).toBe('body');
    expect(fieldOf(() => readImportCsv(Buffer.from([0x65, 0x2c, 0xff, 0xfe])))).toBe('body');
    expect(fieldOf(() => read('email,name\n"unclosed,x\n'))).toBe('body');
    expect(fieldOf(() => read('email,name\n'))).toBe('body');
    expect(fieldOf(() => read('email,nom\na@x.test,A'))).toBe('body.header');
    expect(fieldOf(() => read('name\nA'))).toBe('body.header');
    expect(fieldOf(() => read('email,name,name\na,b,c'))).toBe('body.header');
  });

  it('caps rows (blank lines do not count) and bytes', () => {
    const rows = Array.from({ length: IMPORT_MAX_ROWS }, (_, i) => `u${i}@x.test,U`).join('\n\n');
    expect(read(`email,name\n${rows}\n`)).toHaveLength(IMPORT_MAX_ROWS);
    expect(() => read(`email,name\n${rows}\nlast@x.test,L\n`)).toThrow(PayloadTooLargeError);
    expect(() => readImportCsv(Buffer.alloc(5 * 1024 * 1024 + 1, 0x61))).toThrow(PayloadTooLargeError);
  });
});

describe('uploadedCsv', () => {
  const event = (contentType: string | undefined, body: string, isBase64Encoded = false) =>
    ({ headers: contentType ? { 'content-type': contentType } : {}, body, isBase64Encoded }) as unknown as ApiEvent;

  it('accepts the media types a .csv upload comes with, base64 or not', () => {
    expect(uploadedCsv(event('text/csv; charset=utf-8', 'email,name')).toString()).toBe('email,name');
    expect(
      uploadedCsv(event('application/vnd.ms-excel', Buffer.from('email,name').toString('base64'), true)).toString(),
    ).toBe('email,name');
  });

  it('refuses another media type, naming the header', () => {
    expect(fieldOf(() => uploadedCsv(event('application/json', '{}')))).toBe('headers.content-type');
    expect(fieldOf(() => uploadedCsv(event(undefined, 'email,name')))).toBe('headers.content-type');
  });
});
