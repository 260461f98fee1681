import { problem } from '../shared/http/problem.js';
import type { ApiResult } from '../shared/http/types.js';
import type { FieldProblem } from '../shared/errors.js';
import { CognitoError, runCognitoAction, type CognitoDeps } from './cognito-api.js';

export type SignInDeps = CognitoDeps;

function parseCredentials(raw: string): { email: string; password: string } | FieldProblem[] {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return [{ field: 'body', message: 'must be a JSON object {email, password}' }];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [{ field: 'body', message: 'must be a JSON object {email, password}' }];
  const { email, password } = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  if (typeof email !== 'string' || email.trim() === '')
    problems.push({ field: 'email', message: 'must be a non-empty string' });
  if (typeof password !== 'string' || password === '')
    problems.push({ field: 'password', message: 'must be a non-empty string' });
  return problems.length > 0 ? problems : { email: email as string, password: password as string };
}

/**
 * `POST /local/sign-in {email, password}`: a curl-friendly alias of the local Cognito
 * endpoint's InitiateAuth (USER_PASSWORD_AUTH): the same password check, triggers and answer
 * (`AuthenticationResult`, or the `SOFTWARE_TOKEN_MFA` challenge to answer at /local/cognito).
 * Its refusals are problem+json: 401 for credentials, 403 when the pre-authentication trigger refuses.
 */
export async function signIn(deps: SignInDeps, rawBody: string, requestId: string): Promise<ApiResult> {
  const credentials = parseCredentials(rawBody);
  if (Array.isArray(credentials)) {
    return problem(
      400,
      'Invalid request',
      credentials.map((p) => `${p.field}: ${p.message}`).join('; '),
      'validation_failed',
      requestId,
      credentials,
    );
  }
  try {
    const result = await runCognitoAction(deps, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: deps.issuer.clientId,
      AuthParameters: { USERNAME: credentials.email, PASSWORD: credentials.password },
    });
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    if (error.message.startsWith('PreAuthentication failed'))
      return problem(403, 'Forbidden', error.message, 'sign_in_refused', requestId);
    if (error.message === 'User is disabled.')
      return problem(401, 'Unauthorized', error.message, 'user_disabled', requestId);
    return problem(401, 'Unauthorized', error.message, 'invalid_credentials', requestId);
  }
}
