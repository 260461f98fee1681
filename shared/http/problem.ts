import { DomainError, TooManyRequestsError, ValidationError } from '../errors.js';
import type { ApiResult } from './types.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A domain error as RFC 9457 problem+json; anything else as a 500 that says nothing inside. */
export function problemResult(error: unknown, requestId: string | undefined): ApiResult {
  if (error instanceof DomainError) {
    const result = problem(
      error.status,
      error.title,
      error.message,
      error.code,
      requestId,
      error instanceof ValidationError ? error.errors : undefined,
    );
    if (error instanceof TooManyRequestsError)
      result.headers = { ...result.headers, 'retry-after': String(error.retryAfterSeconds) };
    return result;
  }
  return problem(500, 'Internal error', 'The request failed; it has been logged', 'internal_error', requestId);
}

export function problem(
  status: number,
  title: string,
  detail: string,
  code: string,
  requestId?: string,
  errors?: unknown[],
): ApiResult {
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify({
      type: `https://roster.dev/problems/${code.replace(/_/g, '-')}`,
      title,
      status,
      detail,
      code,
      ...(errors ? { errors } : {}),
      ...(requestId ? { requestId } : {}),
    }),
  };
}
