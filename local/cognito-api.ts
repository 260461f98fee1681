import { normalizeEmail } from '../shared/data/keys.js';
import type { LocalAccount, LocalIdentity } from '../shared/identity/local-identity.js';
import { SIGN_IN_TRIGGERS, type SignInTriggerName } from '../shared/identity/sign-in-triggers.js';
import type { ApiResult } from '../shared/http/types.js';
import { lambdaContext } from './lambda-context.js';
import type { LambdaHandler } from './handler-loader.js';
import {
  COGNITO_SCOPE,
  SESSION_START_CLAIM,
  type ClaimOverrides,
  type IssuedTokens,
  type TokenIssuer,
} from './token-issuer.js';

export { LOCAL_COGNITO_PATH } from './oauth-paths.js';
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const AMZ_JSON = 'application/x-amz-json-1.1';
/** Cognito's MFA challenge session lives 3 minutes by default. */
const MFA_SESSION_SECONDS = 180;
const MFA_SESSION_USE = 'roster_mfa_session';
const SOFTWARE_TOKEN_MFA = 'SOFTWARE_TOKEN_MFA';

export interface CognitoDeps {
  identity: LocalIdentity;
  issuer: TokenIssuer;
  loadHandler: (name: string) => Promise<LambdaHandler>;
  /** Cognito trigger handlers run around a sign-in, as the user pool runs them in AWS; null skips one. */
  triggers?: Partial<Record<keyof typeof DEFAULT_TRIGGERS, string | null>>;
}

/**
 * The user pool's Lambda triggers the local sign-in runs, as infra/ attaches them in AWS (their
 * declaration: shared/identity/sign-in-triggers.ts); null: none attached. The local sign-in does
 * not run user migration (its tests call that handler with its sample event).
 */
export const DEFAULT_TRIGGERS: Record<Exclude<SignInTriggerName, 'userMigration'>, string | null> = {
  preAuthentication: SIGN_IN_TRIGGERS.preAuthentication.handler,
  postAuthentication: SIGN_IN_TRIGGERS.postAuthentication.handler,
  preTokenGeneration: SIGN_IN_TRIGGERS.preTokenGeneration.handler,
  preSignUp: SIGN_IN_TRIGGERS.preSignUp.handler,
};

/** The handler attached as `trigger`, or null when the pool has none. */
export const triggerName = (deps: CognitoDeps, trigger: keyof typeof DEFAULT_TRIGGERS): string | null =>
  ({ ...DEFAULT_TRIGGERS, ...deps.triggers })[trigger] ?? null;

/** Whom a pre-token-generation event is about: its user name (a federated user's is `<provider>_<subject>`) and attributes. */
export interface TokenUser {
  userId: string;
  userName: string;
  email: string;
  groups: readonly string[];
  attributes: Record<string, string>;
}

/**
 * Runs the V2 pre-token-generation trigger as Cognito does before it issues tokens, answering the
 * claims it adds; a throwing trigger refuses the sign-in (`PreTokenGeneration failed with error …`).
 */
export async function runPreTokenGeneration(
  deps: CognitoDeps,
  triggerSource: 'TokenGeneration_Authentication' | 'TokenGeneration_HostedAuth' | 'TokenGeneration_RefreshTokens',
  user: TokenUser,
  scopes: readonly string[],
): Promise<ClaimOverrides> {
  const name = triggerName(deps, 'preTokenGeneration');
  if (!name) return {};
  const handler = await deps.loadHandler(name);
  const event = {
    version: '2',
    triggerSource,
    region: 'local',
    userPoolId: 'local',
    userName: user.userName,
    callerContext: { awsSdkVersion: 'local', clientId: deps.issuer.clientId },
    request: {
      userAttributes: {
        sub: user.userId,
        email: user.email,
        email_verified: 'true',
        'cognito:user_status': user.attributes.identities ? 'EXTERNAL_PROVIDER' : 'CONFIRMED',
        ...user.attributes,
      },
      groupConfiguration: { groupsToOverride: [...user.groups], iamRolesToOverride: [], preferredRole: null },
      scopes: [...scopes],
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
  let result: unknown;
  try {
    result = await handler(event, lambdaContext(name));
  } catch (error) {
    throw new CognitoError(
      'UserLambdaValidationException',
      `PreTokenGeneration failed with error ${(error as Error).message}.`,
    );
  }
  type Details = { claimsToAddOrOverride?: Record<string, unknown> } | undefined;
  const details = (result as { response?: { claimsAndScopeOverrideDetails?: Record<string, Details> | null } })
    ?.response?.claimsAndScopeOverrideDetails;
  return {
    ...(details?.accessTokenGeneration?.claimsToAddOrOverride
      ? { accessToken: details.accessTokenGeneration.claimsToAddOrOverride }
      : {}),
    ...(details?.idTokenGeneration?.claimsToAddOrOverride
      ? { idToken: details.idTokenGeneration.claimsToAddOrOverride }
      : {}),
  };
}

/** An error as Cognito answers it: HTTP 400 `{__type, message}`. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const INCORRECT = () => new CognitoError('NotAuthorizedException', 'Incorrect username or password.');

type Body = Record<string, unknown>;
type Action = (deps: CognitoDeps, body: Body) => Promise<Body>;

const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function requireString(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw new CognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

function requireObject(body: Body, name: string): Body {
  const value = body[name];
  if (!isObject(value))
    throw new CognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

function requireClient(deps: CognitoDeps, body: Body): void {
  const clientId = requireString(body, 'ClientId');
  if (clientId !== deps.issuer.clientId)
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
}

function triggerEvent(triggerSource: string, clientId: string, user: { userId: string; email: string }, request: Body) {
  return {
    version: '1',
    triggerSource,
    region: 'local',
    userPoolId: 'local',
    userName: user.userId,
    callerContext: { awsSdkVersion: 'local', clientId },
    request: {
      userAttributes: {
        sub: user.userId,
        email: user.email,
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
      },
      ...request,
    },
    response: {},
  };
}

async function runPreAuthentication(deps: CognitoDeps, user: { userId: string; email: string }): Promise<void> {
  const name = triggerName(deps, 'preAuthentication');
  if (!name) return;
  const pre = await deps.loadHandler(name);
  try {
    await pre(
      triggerEvent('PreAuthentication_Authentication', deps.issuer.clientId, user, { validationData: {} }),
      lambdaContext(name),
    );
  } catch (error) {
    throw new CognitoError(
      'NotAuthorizedException',
      `PreAuthentication failed with error ${(error as Error).message}.`,
    );
  }
}

async function runPostAuthentication(deps: CognitoDeps, user: { userId: string; email: string }): Promise<void> {
  const name = triggerName(deps, 'postAuthentication');
  if (!name) return;
  const post = await deps.loadHandler(name);
  await post(
    triggerEvent('PostAuthentication_Authentication', deps.issuer.clientId, user, { newDeviceUsed: false }),
    lambdaContext(name),
  );
}

function authenticationResult(tokens: IssuedTokens, refreshToken?: string): Body {
  return {
    AuthenticationResult: {
      AccessToken: tokens.accessToken,
      IdToken: tokens.idToken,
      ...(refreshToken ? { RefreshToken: refreshToken } : {}),
      ExpiresIn: tokens.expiresIn,
      TokenType: 'Bearer',
    },
    ChallengeParameters: {},
  };
}

/** A new session's tokens, after the post-authentication trigger (as Cognito runs it last). */
async function completeSignIn(
  deps: CognitoDeps,
  account: { userId: string; email: string; groups: readonly string[] },
): Promise<Body> {
  const overrides = await runPreTokenGeneration(
    deps,
    'TokenGeneration_Authentication',
    { ...account, userName: account.userId, attributes: {} },
    [COGNITO_SCOPE],
  );
  const tokens = deps.issuer.issue(
    { userId: account.userId, email: account.email, groups: account.groups },
    new Date(),
    undefined,
    overrides,
  );
  await runPostAuthentication(deps, account);
  return authenticationResult(tokens, deps.issuer.issueRefreshToken(account.userId, tokens.session));
}

/** True when a session that began at `startedAtMs` was ended by a later global sign-out. */
const sessionEnded = (account: LocalAccount, startedAtMs: unknown): boolean =>
  account.signedOutAt !== null && (typeof startedAtMs !== 'number' || startedAtMs < Date.parse(account.signedOutAt));

/** The account behind an access token, as Cognito's user APIs check it (signature, client, expiry, sign-out). */
async function accountOfAccessToken(deps: CognitoDeps, body: Body): Promise<LocalAccount> {
  const token = requireString(body, 'AccessToken');
  const claims = deps.issuer.verifyOwn(token);
  if (
    !claims ||
    claims.token_use !== 'access' ||
    claims.client_id !== deps.issuer.clientId ||
    typeof claims.sub !== 'string'
  ) {
    throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
  }
  const account = await deps.identity.describe(claims.sub);
  if (!account) throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
  if (!account.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
  if (sessionEnded(account, claims[SESSION_START_CLAIM]))
    throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
  return account;
}

async function passwordAuth(deps: CognitoDeps, parameters: Body): Promise<Body> {
  const username = requireString(parameters, 'USERNAME');
  const password = requireString(parameters, 'PASSWORD');
  const result = await deps.identity.verifyPassword(username, password);
  // Unknown user and wrong password answer alike (the pool prevents user-existence errors).
  if (!result.ok)
    throw result.reason === 'user_disabled'
      ? new CognitoError('NotAuthorizedException', 'User is disabled.')
      : INCORRECT();
  await runPreAuthentication(deps, result);
  if (result.mfaEnabled) {
    const session = deps.issuer.issueState({ sub: result.userId, token_use: MFA_SESSION_USE }, MFA_SESSION_SECONDS);
    return {
      ChallengeName: SOFTWARE_TOKEN_MFA,
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: result.userId },
    };
  }
  return completeSignIn(deps, result);
}

async function refreshAuth(deps: CognitoDeps, parameters: Body): Promise<Body> {
  const claims = deps.issuer.verifyOwn(requireString(parameters, 'REFRESH_TOKEN'));
  if (
    !claims ||
    claims.token_use !== 'refresh' ||
    typeof claims.sub !== 'string' ||
    typeof claims.origin_jti !== 'string'
  ) {
    throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
  }
  const account = await deps.identity.describe(claims.sub);
  if (!account) throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
  if (!account.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
  const startedAtMs = claims[SESSION_START_CLAIM];
  if (typeof startedAtMs !== 'number' || sessionEnded(account, startedAtMs))
    throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
  // As Cognito: the trigger runs again, then new access and id tokens of the same session, no new refresh token.
  const overrides = await runPreTokenGeneration(
    deps,
    'TokenGeneration_RefreshTokens',
    // Locally a refresh knows the user's id and email, not its IdP attributes of the sign-in.
    { ...account, userName: account.userId, attributes: {} },
    [COGNITO_SCOPE],
  );
  return authenticationResult(
    deps.issuer.issue(account, new Date(), { originJti: claims.origin_jti, startedAtMs }, overrides),
  );
}

const ACTIONS: Record<string, Action> = {
  async InitiateAuth(deps, body) {
    requireClient(deps, body);
    const flow = requireString(body, 'AuthFlow');
    const parameters = requireObject(body, 'AuthParameters');
    if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(deps, parameters);
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshAuth(deps, parameters);
    throw new CognitoError(
      'InvalidParameterException',
      `Unsupported auth flow ${flow} (the local endpoint serves USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH)`,
    );
  },

  async RespondToAuthChallenge(deps, body) {
    requireClient(deps, body);
    const challenge = requireString(body, 'ChallengeName');
    if (challenge !== SOFTWARE_TOKEN_MFA)
      throw new CognitoError('InvalidParameterException', `Unsupported challenge ${challenge}`);
    const responses = requireObject(body, 'ChallengeResponses');
    const username = requireString(responses, 'USERNAME');
    const code = requireString(responses, 'SOFTWARE_TOKEN_MFA_CODE');
    const claims = deps.issuer.verifyOwn(requireString(body, 'Session'));
    if (!claims || claims.token_use !== MFA_SESSION_USE || typeof claims.sub !== 'string') {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    const account = await deps.identity.describe(claims.sub);
    // USERNAME is the user name (the sub) or an alias (the email), as Cognito accepts either.
    if (!account || (username !== account.userId && normalizeEmail(username) !== account.email)) {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
    }
    if (!account.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    if (!(await deps.identity.checkMfaCode(account.userId, code)))
      throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
    return completeSignIn(deps, account);
  },

  async AssociateSoftwareToken(deps, body) {
    const account = await accountOfAccessToken(deps, body);
    return { SecretCode: await deps.identity.associateSoftwareToken(account.userId) };
  },

  async VerifySoftwareToken(deps, body) {
    const account = await accountOfAccessToken(deps, body);
    const code = requireString(body, 'UserCode');
    if (!/^\d{6}$/.test(code))
      throw new CognitoError(
        'InvalidParameterException',
        "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+ and length 6",
      );
    if (!(await deps.identity.verifySoftwareToken(account.userId, code))) {
      // What Cognito answers for a wrong code at enrolment.
      throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch');
    }
    return { Status: 'SUCCESS' };
  },

  async SetUserMFAPreference() {
    // In AWS the user pool's web ACL blocks this call (infra RosterIdentity): Cognito would tell
    // Roster nothing of the change, so MFA is turned on or off through PUT /v1/me/mfa only.
    throw new CognitoError(
      'ForbiddenException',
      "Request blocked by the user pool's web ACL: turn MFA on or off through Roster (PUT /v1/me/mfa)",
    );
  },

  async GetUser(deps, body) {
    const account = await accountOfAccessToken(deps, body);
    return {
      Username: account.userId,
      UserAttributes: [
        { Name: 'sub', Value: account.userId },
        { Name: 'email', Value: account.email },
        { Name: 'email_verified', Value: String(account.emailVerified) },
      ],
      ...(account.mfaEnabled
        ? { PreferredMfaSetting: SOFTWARE_TOKEN_MFA, UserMFASettingList: [SOFTWARE_TOKEN_MFA] }
        : {}),
    };
  },

  async GlobalSignOut(deps, body) {
    const account = await accountOfAccessToken(deps, body);
    await deps.identity.globalSignOut(account.userId);
    return {};
  },
};

/** Runs one action by name (the local sign-in alias calls InitiateAuth through here). */
export function runCognitoAction(deps: CognitoDeps, action: string, body: Body): Promise<Body> {
  const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!run) return Promise.reject(new CognitoError('UnknownOperationException', `Unknown operation ${action}`));
  return run(deps, body);
}

const answer = (statusCode: number, body: Body): ApiResult => ({
  statusCode,
  headers: { 'content-type': AMZ_JSON },
  body: JSON.stringify(body),
});

/**
 * `POST /local/cognito`: Cognito user pools' JSON protocol (header `X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Action>`) for local mode, so the console signs in, refreshes
 * and enrols TOTP through one code path, here and against Cognito. Errors are Cognito's:
 * HTTP 400 `{__type, message}`.
 */
export async function handleCognitoRequest(
  deps: CognitoDeps,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
): Promise<ApiResult> {
  const target = headers['x-amz-target'];
  const action =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (!action) return answer(400, { __type: 'UnknownOperationException', message: 'Missing or unknown X-Amz-Target' });
  let body: unknown;
  try {
    body = JSON.parse(rawBody || '{}');
  } catch {
    return answer(400, { __type: 'SerializationException', message: 'The request body is not JSON' });
  }
  if (!isObject(body))
    return answer(400, { __type: 'SerializationException', message: 'The request body must be a JSON object' });
  try {
    return answer(200, await runCognitoAction(deps, action, body));
  } catch (error) {
    // Cognito answers 400 for its errors, 403 for a request its web ACL blocked.
    if (error instanceof CognitoError)
      return answer(error.type === 'ForbiddenException' ? 403 : 400, { __type: error.type, message: error.message });
    throw error;
  }
}
