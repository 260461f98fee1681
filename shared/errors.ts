/**
 * The domain's errors. Use cases and repositories throw these; one middleware maps them by
 * class to problem+json (RFC 9457) with a stable `code`. Anything else is a 500 that leaks nothing.
 */
export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `admin.email` or `query.limit`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  constructor(detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code: string = 'validation_failed';
  readonly title = 'Invalid request';
  constructor(
    readonly errors: FieldProblem[],
    detail?: string,
  ) {
    super(detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

export class MalformedBodyError extends ValidationError {
  override readonly code = 'malformed_body';
  constructor(detail: string) {
    super([{ field: 'body', message: detail }], detail);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly title = 'Payload too large';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  constructor(
    readonly code: string = 'unauthorized',
    detail = 'Missing or invalid credentials',
  ) {
    super(detail);
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
  constructor(
    detail = 'You may not do this',
    readonly code: string = 'forbidden',
  ) {
    super(detail);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
  constructor(
    detail = 'Not found',
    readonly code: string = 'not_found',
  ) {
    super(detail);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
  constructor(
    detail: string,
    readonly code: string = 'conflict',
  ) {
    super(detail);
  }
}

/** A link that worked once and never will again (expired, revoked). */
export class GoneError extends DomainError {
  readonly status = 410;
  readonly title = 'Gone';
  constructor(
    detail: string,
    readonly code: string,
  ) {
    super(detail);
  }
}

/** Too many of one action in a window; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly title = 'Too many requests';
  constructor(
    detail: string,
    readonly code: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}

export class SeatLimitReachedError extends ConflictError {
  constructor(readonly maxSeats: number) {
    super(`Seat limit reached (${maxSeats})`, 'seat_limit_reached');
  }
}

export class LastAdminError extends ConflictError {
  constructor() {
    super('An organization must keep at least one active member holding org:manage', 'last_admin');
  }
}

/** The request lost a race with a concurrent change; retrying may succeed. */
export class ConcurrentModificationError extends ConflictError {
  constructor(detail = 'The resource changed while this request ran; retry it') {
    super(detail, 'concurrent_modification');
  }
}
