import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api-types';
import { accessToken, endSession } from './auth/session';

export type { components, paths } from './api-types';
/** The API's problem+json answer. */
export type Problem = components['schemas']['Problem'];

const authorize: Middleware = {
  async onRequest({ request }) {
    const token = await accessToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // A revoked or expired session: back to the sign-in page rather than a page of errors.
    if (response.status === 401 && response.headers.get('content-type')?.includes('json')) endSession();
    return response;
  },
};

/** The one API client: same origin, typed from the generated OpenAPI types. */
// fetch looked up per call (not captured once), so component tests can answer it.
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  fetch: (request) => globalThis.fetch(request),
});
api.use(authorize);

/** An API answer that is not 2xx, carrying its problem+json. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

function asProblem(error: unknown, status: number): Problem {
  if (typeof error === 'object' && error !== null && 'detail' in error) return error as Problem;
  const message =
    typeof error === 'object' && error !== null && 'message' in error
      ? String((error as { message: unknown }).message)
      : `The server answered ${status}`;
  return { type: 'about:blank', title: message, status, detail: message, code: 'unknown' };
}

/** The body of a successful openapi-fetch answer; a problem is thrown as ProblemError. */
export async function unwrap<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw new ProblemError(asProblem(error, response.status));
  return data as T;
}

/** The problem's message for a form field (`email`, `admin.email`, `body.email`), if the problem names it. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  const found = error.problem.errors?.find((e) => e.field === field || e.field.endsWith(`.${field}`));
  return found?.message;
}
