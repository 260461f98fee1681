import {
  ConflictError,
  DomainError,
  MalformedBodyError,
  PayloadTooLargeError,
  SeatLimitReachedError,
  ValidationError,
} from '../errors.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 detail error keywords (those Roster answers with). */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue';

/** A refusal only SCIM has words for (a bad filter, path or schema): always a 400 with its scimType. */
export class ScimBadRequestError extends DomainError {
  readonly status = 400;
  readonly title = 'Invalid SCIM request';
  readonly code: string;
  constructor(
    readonly scimType: ScimType,
    detail: string,
  ) {
    super(detail);
    this.code = `scim_${scimType}`;
  }
}

/** Conflict codes of the member and team use cases that mean "that name is taken". */
const UNIQUENESS_CODES = new Set(['already_member', 'email_taken', 'team_name_taken', 'scim_external_id_taken']);

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** The SCIM error body for any error: domain errors by class and code, anything else a 500 that says nothing. */
export function scimErrorBody(error: unknown): ScimErrorBody {
  const body = (status: number, detail: string, scimType?: ScimType): ScimErrorBody => ({
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  });
  if (error instanceof ScimBadRequestError) return body(400, error.message, error.scimType);
  if (error instanceof MalformedBodyError) return body(400, error.message, 'invalidSyntax');
  if (error instanceof ValidationError) return body(400, error.message, 'invalidValue');
  if (error instanceof PayloadTooLargeError) return body(413, error.message);
  if (error instanceof SeatLimitReachedError) return body(409, error.message);
  if (error instanceof ConflictError && UNIQUENESS_CODES.has(error.code)) return body(409, error.message, 'uniqueness');
  if (error instanceof DomainError) return body(error.status, error.message);
  return body(500, 'The request failed; it has been logged');
}

/** The challenge of a refused SCIM token (RFC 6750 §3): the scheme, and `invalid_token` when one was presented. */
export function bearerChallenge(tokenPresented: boolean): string {
  return `Bearer realm="scim"${tokenPresented ? ', error="invalid_token"' : ''}`;
}
