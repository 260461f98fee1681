import { describe, expect, it } from 'vitest';
import { scimErrorResult } from '../../../shared/http/scim-error-result.js';
import {
  ConcurrentModificationError,
  ConflictError,
  LastAdminError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  SeatLimitReachedError,
  UnauthorizedError,
  ValidationError,
} from '../../../shared/errors.js';
import {
  SCIM_CONTENT_TYPE,
  SCIM_ERROR_SCHEMA,
  ScimBadRequestError,
  scimErrorBody,
} from '../../../shared/scim/scim-errors.js';

describe('SCIM error mapping', () => {
  it.each([
    ['a bad filter', new ScimBadRequestError('invalidFilter', 'no'), '400', 'invalidFilter'],
    ['malformed JSON', new MalformedBodyError('The body is not valid JSON'), '400', 'invalidSyntax'],
    ['a field problem', new ValidationError([{ field: 'userName', message: 'bad' }]), '400', 'invalidValue'],
    ['an oversized body', new PayloadTooLargeError('too big'), '413', undefined],
    ['a taken email', new ConflictError('x', 'already_member'), '409', 'uniqueness'],
    ['a taken team name', new ConflictError('x', 'team_name_taken'), '409', 'uniqueness'],
    ['the seat limit', new SeatLimitReachedError(3), '409', undefined],
    ['the last admin', new LastAdminError(), '409', undefined],
    ['a lost race', new ConcurrentModificationError(), '409', undefined],
    ['an unknown user', new NotFoundError('No such user'), '404', undefined],
    [
      'a bad token',
      new UnauthorizedError('invalid_scim_token', 'A valid SCIM bearer token is required'),
      '401',
      undefined,
    ],
  ])('maps %s to status %s and scimType %s', (_name, error, status, scimType) => {
    const body = scimErrorBody(error);
    expect(body).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status,
      ...(scimType ? { scimType } : {}),
      detail: error.message,
    });
  });

  it('says "Seat limit reached (N)" for the seat limit', () => {
    expect(scimErrorBody(new SeatLimitReachedError(5)).detail).toBe('Seat limit reached (5)');
  });

  it('answers anything unknown as a 500 that leaks nothing, in application/scim+json', () => {
    const result = scimErrorResult(new Error('secret table name'));
    expect(result.statusCode).toBe(500);
    expect(result.headers).toEqual({ 'content-type': SCIM_CONTENT_TYPE });
    expect(result.body).not.toContain('secret');
  });
});
