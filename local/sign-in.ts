import type { LocalIdentity } from '../shared/identity/local-identity.js';
import { problem } from '../shared/http/problem.js';
import type { ApiResult } from '../shared/http/types.js';
import type { FieldProblem } from '../shared/errors.js';
import { lambdaContext } from './lambda-context.js';
import type { LambdaHandler } from './handler-loader.js';
import type { TokenIssuer } from './token-issuer.js';

export interface SignInDeps {
  identity: LocalIdentity;
  issuer: TokenIssuer;
  loadHandler: (name: string) => Promise<LambdaHandler>;
  /** Cognito trigger handlers run around a sign-in, as the user pool runs them in AWS. */
  triggers?: { preAuthentication?: string | null; postAuthentication?: string | null };
}

export const DEFAULT_TRIGGERS = { preAuthentication: 'triggers/pre-authentication', postAuthentication: 'triggers/post-authentication' };

function parseCredentials(raw: string): { email: string; password: string } | FieldProblem[] {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return [{ field: 'body', message: 'must be a JSON object {email, password}' }];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ field: 'body', message: 'must be a JSON object {email, password}' }];
  const { email, password } = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  if (typeof email !== 'string' || email.trim() === '') problems.push({ field: 'email', message: 'must be a non-empty string' });
  if (typeof password !== 'string' || password === '') problems.push({ field: 'password', message: 'must be a non-empty string' });
  return problems.length > 0 ? problems : { email: email as string, password: password as string };
}

function triggerEvent(triggerSource: string, clientId: string, user: { userId: string; email: string }, request: Record<string, unknown>) {
  return {
    version: '1',
    triggerSource,
    region: 'local',
    userPoolId: 'local',
    userName: user.userId,
    callerContext: { awsSdkVersion: 'local', clientId },
    request: { userAttributes: { sub: user.userId, email: user.email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' }, ...request },
    response: {},
  };
}

/**
 * `POST /local/sign-in {email, password}`: Cognito's InitiateAuth (USER_PASSWORD_AUTH) for
 * local mode. Checks the password against the local identity, runs the pre-authentication
 * trigger (which may refuse) and the post-authentication trigger (last login), and answers
 * with Cognito's `AuthenticationResult` shape. No refresh token: sign in again instead.
 */
export async function signIn(deps: SignInDeps, rawBody: string, requestId: string): Promise<ApiResult> {
  const credentials = parseCredentials(rawBody);
  if (Array.isArray(credentials)) {
    return problem(400, 'Invalid request', credentials.map((p) => `${p.field}: ${p.message}`).join('; '), 'validation_failed', requestId, credentials);
  }
  const result = await deps.identity.verifyPassword(credentials.email, credentials.password);
  if (!result.ok) {
    const detail = result.reason === 'user_disabled' ? 'User is disabled.' : 'Incorrect username or password.';
    return problem(401, 'Unauthorized', detail, result.reason, requestId);
  }
  const triggers = { ...DEFAULT_TRIGGERS, ...deps.triggers };
  const user = { userId: result.userId, email: result.email };
  if (triggers.preAuthentication) {
    const pre = await deps.loadHandler(triggers.preAuthentication);
    try {
      await pre(triggerEvent('PreAuthentication_Authentication', deps.issuer.clientId, user, { validationData: {} }), lambdaContext(triggers.preAuthentication));
    } catch (error) {
      return problem(403, 'Forbidden', `PreAuthentication failed with error ${(error as Error).message}`, 'sign_in_refused', requestId);
    }
  }
  const tokens = deps.issuer.issue({ userId: result.userId, email: result.email, groups: result.groups });
  if (triggers.postAuthentication) {
    const post = await deps.loadHandler(triggers.postAuthentication);
    await post(triggerEvent('PostAuthentication_Authentication', deps.issuer.clientId, user, { newDeviceUsed: false }), lambdaContext(triggers.postAuthentication));
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ AuthenticationResult: { AccessToken: tokens.accessToken, IdToken: tokens.idToken, ExpiresIn: tokens.expiresIn, TokenType: 'Bearer' }, ChallengeParameters: {} }),
  };
}
