import { describe, expect, it } from 'vitest';
import { MalformedBodyError, PayloadTooLargeError, ValidationError } from '../../../shared/errors.js';
import { parseBody } from '../../../shared/http/parse.js';
import type { ApiEvent } from '../../../shared/http/types.js';
import { createOrgBody } from '../../../shared/orgs/schemas.js';

const eventWithBody = (
  body: string | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => ({ body, headers, isBase64Encoded: false }) as unknown as ApiEvent;

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const valid = { name: 'Acme', maxSeats: 5, admin: { email: 'a@acme.test', name: 'Ann' } };

describe('parseBody', () => {
  it('returns the validated, normalized body', () => {
    const body = parseBody(
      eventWithBody(JSON.stringify({ ...valid, admin: { email: '  A@Acme.TEST ', name: ' Ann ' } })),
      createOrgBody,
    );
    expect(body.admin).toEqual({ email: 'a@acme.test', name: 'Ann' });
  });

  it('refuses malformed JSON and a missing body as malformed_body', () => {
    expect(() => parseBody(eventWithBody('{"name":'), createOrgBody)).toThrow(MalformedBodyError);
    expect(() => parseBody(eventWithBody(undefined), createOrgBody)).toThrow(MalformedBodyError);
  });

  it('refuses a non-JSON content type', () => {
    expect(() => parseBody(eventWithBody('{}', { 'content-type': 'text/plain' }), createOrgBody)).toThrow(
      MalformedBodyError,
    );
  });

  it('refuses bodies over the cap with 413', () => {
    expect(() =>
      parseBody(eventWithBody(JSON.stringify({ ...valid, name: 'x'.repeat(70_000) })), createOrgBody),
    ).toThrow(PayloadTooLargeError);
  });

  it('names unknown fields, wrong types, empty strings and bad emails', () => {
    expect(fieldsOf(() => parseBody(eventWithBody(JSON.stringify({ ...valid, extra: 1 })), createOrgBody))).toEqual([
      'extra',
    ]);
    expect(
      fieldsOf(() => parseBody(eventWithBody(JSON.stringify({ ...valid, maxSeats: '5' })), createOrgBody)),
    ).toEqual(['maxSeats']);
    expect(fieldsOf(() => parseBody(eventWithBody(JSON.stringify({ ...valid, name: '   ' })), createOrgBody))).toEqual([
      'name',
    ]);
    expect(
      fieldsOf(() =>
        parseBody(eventWithBody(JSON.stringify({ ...valid, admin: { email: 'nope', name: 'A' } })), createOrgBody),
      ),
    ).toEqual(['admin.email']);
    expect(
      fieldsOf(() => parseBody(eventWithBody(JSON.stringify({ ...valid, name: 'x'.repeat(10_000) })), createOrgBody)),
    ).toEqual(['name']);
  });
});
