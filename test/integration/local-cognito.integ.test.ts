import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipKey } from '../../shared/data/keys.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { totpCode } from '../helpers/totp.js';

let local: LocalApi;
let org: SeededOrg;

beforeAll(async () => {
  local = await startLocalApi();
  org = await local.seedOperatorAndOrg();
});

afterAll(async () => {
  await local?.close();
});

/** One call of Cognito's JSON protocol at /local/cognito. */
async function cognito(action: string, body: Record<string, unknown>, contentType = 'application/x-amz-json-1.1') {
  return local.api('POST', '/local/cognito', {
    body: JSON.stringify(body),
    headers: { 'content-type': contentType, 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
  });
}

const passwordAuth = (email: string, password = TEST_PASSWORD) =>
  cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: local.issuer.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });

async function newMember(): Promise<{ userId: string; email: string }> {
  const email = `cog-${uniqueSuffix()}@org.test`;
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: 'Cog Member', email, role: 'member' },
  });
  expect(res.status, res.text).toBe(201);
  await local.setPassword(res.json.userId, TEST_PASSWORD);
  return { userId: res.json.userId, email };
}

/** Enrols TOTP through Associate → Verify at the stand-in, then Roster's PUT /v1/me/mfa; answers the secret. */
async function enrolTotp(accessToken: string): Promise<string> {
  const associated = await cognito('AssociateSoftwareToken', { AccessToken: accessToken });
  expect(associated.status, associated.text).toBe(200);
  const secret = associated.json.SecretCode as string;
  const verified = await cognito('VerifySoftwareToken', {
    AccessToken: accessToken,
    UserCode: totpCode(secret),
    FriendlyDeviceName: 'phone',
  });
  expect(verified.json).toEqual({ Status: 'SUCCESS' });
  const preference = await local.api('PUT', '/v1/me/mfa', { token: accessToken, body: { enabled: true } });
  expect(preference.status, preference.text).toBe(200);
  expect(preference.json).toEqual({ mfaEnabled: true });
  return secret;
}

describe('POST /local/cognito: InitiateAuth USER_PASSWORD_AUTH', () => {
  it('answers Cognito’s AuthenticationResult with a refresh token, for either content type, and the API takes the access token', async () => {
    const member = await newMember();
    for (const type of ['application/x-amz-json-1.1', 'application/json']) {
      const res = await cognito(
        'InitiateAuth',
        {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: local.issuer.clientId,
          AuthParameters: { USERNAME: member.email, PASSWORD: TEST_PASSWORD },
        },
        type,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(res.json).toEqual({
        AuthenticationResult: {
          AccessToken: expect.any(String),
          IdToken: expect.any(String),
          RefreshToken: expect.any(String),
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
        ChallengeParameters: {},
      });
      const me = await local.api('GET', '/v1/me', { token: res.json.AuthenticationResult.AccessToken });
      expect(me.status).toBe(200);
    }
  });

  it('answers NotAuthorizedException alike for a wrong password and an unknown user', async () => {
    const member = await newMember();
    for (const res of [
      await passwordAuth(member.email, 'Wrong-password-1!'),
      await passwordAuth(`nobody-${uniqueSuffix()}@org.test`),
    ]) {
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    }
  });

  it('refuses an unknown client, a missing parameter, an unknown action and a body that is not JSON as Cognito does', async () => {
    const wrongClient = await cognito('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'other',
      AuthParameters: { USERNAME: 'a@b.test', PASSWORD: 'x' },
    });
    expect(wrongClient.json.__type).toBe('ResourceNotFoundException');
    const missing = await cognito('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: local.issuer.clientId,
      AuthParameters: { USERNAME: 'a@b.test' },
    });
    expect(missing.json.__type).toBe('InvalidParameterException');
    expect(missing.json.message).toMatch(/PASSWORD/);
    const unknown = await cognito('AdminDeleteUser', {});
    expect(unknown.json.__type).toBe('UnknownOperationException');
    const notJson = await local.api('POST', '/local/cognito', {
      body: '{oops',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json.__type).toBe('SerializationException');
  });

  it('runs the pre-authentication trigger: a refusal is NotAuthorizedException "PreAuthentication failed with error …"', async () => {
    const member = await newMember();
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: membershipKey(org.orgId, member.userId),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'suspended' },
      }),
    );
    const res = await passwordAuth(member.email);
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('NotAuthorizedException');
    expect(res.json.message).toMatch(/^PreAuthentication failed with error .*suspended.*\.$/);
  });
});

describe('TOTP enrolment and the SOFTWARE_TOKEN_MFA challenge', () => {
  it('enrols, then signs in through the challenge; the post-authentication trigger runs after it', async () => {
    const member = await newMember();
    const first = await passwordAuth(member.email);
    const access = first.json.AuthenticationResult.AccessToken as string;

    const wrongEnrolment = await cognito('AssociateSoftwareToken', { AccessToken: access });
    const secret0 = wrongEnrolment.json.SecretCode as string;
    expect(secret0).toMatch(/^[A-Z2-7]{32}$/);
    const badCode = String((Number(totpCode(secret0)) + 1) % 1_000_000).padStart(6, '0');
    const mismatch = await cognito('VerifySoftwareToken', { AccessToken: access, UserCode: badCode });
    expect(mismatch.json.__type).toBe('EnableSoftwareTokenMFAException');
    const tooEarly = await local.api('PUT', '/v1/me/mfa', { token: access, body: { enabled: true } });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.json.code).toBe('mfa_not_verified');
    // Cognito's own call is blocked for the app, as the user pool's web ACL blocks it in AWS.
    const direct = await cognito('SetUserMFAPreference', {
      AccessToken: access,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    expect(direct.status).toBe(403);
    expect(direct.json).toMatchObject({ __type: 'ForbiddenException' });

    const secret = await enrolTotp(access);
    const user = await cognito('GetUser', { AccessToken: access });
    expect(user.json).toMatchObject({
      Username: member.userId,
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
    });
    expect(user.json.UserAttributes).toContainEqual({ Name: 'email', Value: member.email });

    const challenged = await passwordAuth(member.email);
    expect(challenged.status).toBe(200);
    expect(challenged.json).toEqual({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: expect.any(String),
      ChallengeParameters: { USER_ID_FOR_SRP: member.userId },
    });
    expect(challenged.json.AuthenticationResult).toBeUndefined();

    const respond = (code: string, session = challenged.json.Session as string) =>
      cognito('RespondToAuthChallenge', {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: local.issuer.clientId,
        Session: session,
        ChallengeResponses: { USERNAME: member.email, SOFTWARE_TOKEN_MFA_CODE: code },
      });
    const wrong = await respond(String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0'));
    expect(wrong.json).toEqual({ __type: 'CodeMismatchException', message: 'Invalid code received for user' });
    const forged = await respond(totpCode(secret), 'not-a-session');
    expect(forged.json.__type).toBe('NotAuthorizedException');

    const before = await local.api('GET', `/v1/orgs/${org.orgId}/members/${member.userId}`, {
      token: org.admin.accessToken,
    });
    const code = totpCode(secret);
    const done = await respond(code);
    expect(done.status, done.text).toBe(200);
    expect(done.json.AuthenticationResult).toMatchObject({
      AccessToken: expect.any(String),
      RefreshToken: expect.any(String),
      TokenType: 'Bearer',
    });
    const me = await local.api('GET', '/v1/me', { token: done.json.AuthenticationResult.AccessToken });
    expect(me.status).toBe(200);
    const after = await local.api('GET', `/v1/orgs/${org.orgId}/members/${member.userId}`, {
      token: org.admin.accessToken,
    });
    expect(after.json.lastLoginAt).not.toBe(before.json.lastLoginAt);

    // A code is good once: replaying it in a second challenge fails.
    const again = await passwordAuth(member.email);
    const replay = await respond(code, again.json.Session as string);
    expect(replay.json.__type).toBe('CodeMismatchException');
  });

  it('the local sign-in alias answers the challenge too', async () => {
    const member = await newMember();
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    await enrolTotp(accessToken);
    const res = await local.api('POST', '/local/sign-in', { body: { email: member.email, password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.json.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('turning the factor off signs in without a challenge again', async () => {
    const member = await newMember();
    const { accessToken } = await local.signIn(member.email, TEST_PASSWORD);
    await enrolTotp(accessToken);
    const off = await local.api('PUT', '/v1/me/mfa', { token: accessToken, body: { enabled: false } });
    expect(off.status, off.text).toBe(200);
    const res = await passwordAuth(member.email);
    expect(res.json.AuthenticationResult).toBeDefined();
    expect((await cognito('GetUser', { AccessToken: accessToken })).json.UserMFASettingList).toBeUndefined();
  });
});

describe('REFRESH_TOKEN_AUTH and GlobalSignOut', () => {
  const refresh = (refreshToken: string) =>
    cognito('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: local.issuer.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });

  it('a refresh token gives new access and id tokens (no new refresh token); it is no API credential itself', async () => {
    const member = await newMember();
    const signedIn = await passwordAuth(member.email);
    const refreshToken = signedIn.json.AuthenticationResult.RefreshToken as string;
    const res = await refresh(refreshToken);
    expect(res.status, res.text).toBe(200);
    expect(res.json.AuthenticationResult).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    expect((await local.api('GET', '/v1/me', { token: res.json.AuthenticationResult.AccessToken })).status).toBe(200);
    expect((await local.api('GET', '/v1/me', { token: refreshToken })).status).toBe(401);
    expect((await refresh('garbage')).json.__type).toBe('NotAuthorizedException');
  });

  it('after GlobalSignOut the refresh token and the access token are refused at Cognito; a new sign-in right away works', async () => {
    const member = await newMember();
    const signedIn = await passwordAuth(member.email);
    const { AccessToken: access, RefreshToken: refreshToken } = signedIn.json.AuthenticationResult as {
      AccessToken: string;
      RefreshToken: string;
    };
    const out = await cognito('GlobalSignOut', { AccessToken: access });
    expect(out.status, out.text).toBe(200);
    expect(await refresh(refreshToken).then((r) => r.json)).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect((await cognito('GetUser', { AccessToken: access })).json).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });

    const fresh = await passwordAuth(member.email);
    const user = await cognito('GetUser', { AccessToken: fresh.json.AuthenticationResult.AccessToken });
    expect(user.status, user.text).toBe(200);
    expect((await refresh(fresh.json.AuthenticationResult.RefreshToken)).status).toBe(200);
  });

  it('an admin’s credential actions end the refresh token too', async () => {
    const member = await newMember();
    const signedIn = await passwordAuth(member.email);
    const res = await local.api('POST', `/v1/orgs/${org.orgId}/members/${member.userId}/revoke-sessions`, {
      token: org.admin.accessToken,
    });
    expect(res.status, res.text).toBe(204);
    expect((await refresh(signedIn.json.AuthenticationResult.RefreshToken)).json.__type).toBe('NotAuthorizedException');
  });
});
