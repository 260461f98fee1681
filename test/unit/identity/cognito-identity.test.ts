import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  InvalidParameterException,
  InvalidPasswordException,
  UserNotFoundException,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../../shared/identity/cognito-identity.js';
import { ValidationError } from '../../../shared/errors.js';
import {
  IdentityNotFoundError,
  passwordProblem,
  ROSTER_USER_ID_ATTRIBUTE,
  ROSTER_USER_ID_CLAIM,
  rosterUserIdOf,
} from '../../../shared/identity/identity-port.js';

const cognito = mockClient(CognitoIdentityProviderClient);
/** Usernames Roster recorded for identities it created for existing users (User.identitySubject). */
const subjects = new Map<string, string>();
const identity = new CognitoIdentity(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'pool-1', {
  subjectOf: (userId) => Promise.resolve(subjects.get(userId)),
});
const notFound = () => new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });

beforeEach(() => {
  cognito.reset();
  subjects.clear();
});

describe('CognitoIdentity sends exactly the admin commands Roster relies on', () => {
  it('creates the identity of a Roster user with Cognito mail suppressed, a normalized email (unverified unless the caller says it is proven) and the user id attribute', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ User: { Username: 'generated-1', Attributes: [{ Name: 'sub', Value: 'generated-1' }] } });
    await identity.ensureUser({ userId: 'u-0', email: 'typed@acme.test', name: 'Typed' });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.UserAttributes).toContainEqual({
      Name: 'email_verified',
      Value: 'false',
    });
    cognito.resetHistory();
    await expect(
      identity.ensureUser({ userId: 'u-1', email: ' Ann@Acme.TEST', name: 'Ann', emailVerified: true }),
    ).resolves.toEqual({ userId: 'u-1', created: true, subject: 'generated-1' });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'ann@acme.test',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'ann@acme.test' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Ann' },
        { Name: ROSTER_USER_ID_ATTRIBUTE, Value: 'u-1' },
      ],
    });
  });

  it('answers with the existing identity when the email is taken: its Roster user id, or its sub for an older identity', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito
      .on(AdminGetUserCommand)
      .resolvesOnce({ Username: 'sub-9', UserAttributes: [{ Name: 'sub', Value: 'sub-9' }] })
      .resolvesOnce({
        Username: 'gen-3',
        UserAttributes: [
          { Name: 'sub', Value: 'gen-3' },
          { Name: ROSTER_USER_ID_ATTRIBUTE, Value: 'u-3' },
        ],
      });
    await expect(identity.ensureUser({ userId: 'u-2', email: 'a@b.test', name: 'A' })).resolves.toEqual({
      userId: 'sub-9',
      created: false,
      subject: 'sub-9',
    });
    await expect(identity.ensureUser({ userId: 'u-3', email: 'c@b.test', name: 'C' })).resolves.toEqual({
      userId: 'u-3',
      created: false,
      subject: 'gen-3',
    });
    expect(cognito.commandCalls(AdminGetUserCommand).map((c) => c.args[0].input.Username)).toEqual([
      'a@b.test',
      'c@b.test',
    ]);
  });

  it('signs out globally, sets permanent passwords and disables both MFA factors, by the user id for an older identity', async () => {
    cognito.onAnyCommand().resolves({});
    await identity.globalSignOut('u1');
    await identity.setPassword('u1', 'Pw-123456789!');
    await identity.disableMfa('u1');
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'u1',
    });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'u1',
      Password: 'Pw-123456789!',
      Permanent: true,
    });
    expect(cognito.commandCalls(AdminSetUserMFAPreferenceCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'u1',
      SMSMfaSettings: { Enabled: false, PreferredMfa: false },
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
    });
  });

  it("sets the person's own authenticator factor with AdminSetUserMFAPreference; an unverified factor is 'not_verified', not an error", async () => {
    cognito.on(AdminSetUserMFAPreferenceCommand).resolvesOnce({});
    expect(await identity.setSoftwareTokenMfa('u1', true)).toBe('ok');
    expect(cognito.commandCalls(AdminSetUserMFAPreferenceCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'u1',
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    cognito
      .on(AdminSetUserMFAPreferenceCommand)
      .rejects(new InvalidParameterException({ message: 'User has not verified software token mfa', $metadata: {} }));
    expect(await identity.setSoftwareTokenMfa('u1', true)).toBe('not_verified');
    cognito.on(AdminSetUserMFAPreferenceCommand).rejects(notFound());
    expect(await identity.setSoftwareTokenMfa('pending-1', true)).toBe('not_verified');
    expect(await identity.setSoftwareTokenMfa('pending-1', false)).toBe('ok');
  });

  it('addresses an identity created for an existing Roster user by the username Roster recorded', async () => {
    subjects.set('u-5', 'generated-5');
    cognito.onAnyCommand().resolves({});
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'generated-5',
      Enabled: true,
      UserAttributes: [
        { Name: 'sub', Value: 'generated-5' },
        { Name: 'email', Value: 'e@x.test' },
        { Name: ROSTER_USER_ID_ATTRIBUTE, Value: 'u-5' },
      ],
    });
    await identity.disableUser('u-5');
    await identity.updateEmail('u-5', 'F@x.test');
    await expect(identity.getUser('u-5')).resolves.toEqual({
      userId: 'u-5',
      email: 'e@x.test',
      enabled: true,
      mfaEnabled: false,
    });
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'generated-5',
    });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'generated-5',
      UserAttributes: [
        { Name: 'email', Value: 'f@x.test' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
  });

  it('a Roster user without an identity yet: the admin actions are no-ops, getUser answers nothing, setPassword says so', async () => {
    cognito.onAnyCommand().rejects(notFound());
    await identity.disableUser('pending-1');
    await identity.enableUser('pending-1');
    await identity.globalSignOut('pending-1');
    await identity.disableMfa('pending-1');
    await identity.updateEmail('pending-1', 'p@x.test');
    await expect(identity.getUser('pending-1')).resolves.toBeUndefined();
    await expect(identity.setPassword('pending-1', 'Pw-123456789!')).rejects.toBeInstanceOf(IdentityNotFoundError);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('other failures are not taken for a missing identity', async () => {
    cognito.onAnyCommand().rejects(new Error('throttled'));
    await expect(identity.globalSignOut('u1')).rejects.toThrow('throttled');
  });
});

describe('CognitoIdentity.markEmailVerified', () => {
  it('sets email_verified only, leaving the address as it is', async () => {
    cognito.onAnyCommand().resolves({});
    await identity.markEmailVerified('u1');
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'u1',
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
    });
  });
});

describe('CognitoIdentity.setPassword', () => {
  it('answers a password the pool refuses as a 400 naming the password field', async () => {
    cognito
      .on(AdminSetUserPasswordCommand)
      .rejects(new InvalidPasswordException({ message: 'Password has previously been used', $metadata: {} }));
    const refusal = await identity.setPassword('u1', 'Pw-123456789!').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).errors).toEqual([
      { field: 'password', message: 'Password has previously been used' },
    ]);
  });
});

describe('rosterUserIdOf: the Roster user behind a token or a trigger', () => {
  it('is the roster_user_id claim (attribute) of an identity created for a Roster user, else the sub', () => {
    expect(rosterUserIdOf({ sub: 'generated', [ROSTER_USER_ID_CLAIM]: 'u-1' }, ROSTER_USER_ID_CLAIM)).toBe('u-1');
    expect(rosterUserIdOf({ sub: 'generated', [ROSTER_USER_ID_ATTRIBUTE]: 'u-2' }, ROSTER_USER_ID_ATTRIBUTE)).toBe(
      'u-2',
    );
    expect(rosterUserIdOf({ sub: 'u-3' }, ROSTER_USER_ID_CLAIM)).toBe('u-3');
    expect(rosterUserIdOf({ sub: 'u-4', [ROSTER_USER_ID_CLAIM]: '' }, ROSTER_USER_ID_CLAIM)).toBe('u-4');
    expect(rosterUserIdOf({}, ROSTER_USER_ID_CLAIM)).toBeUndefined();
  });
});

describe('passwordProblem', () => {
  it.each([
    ['short-1A!', /at least 12/],
    ['alllowercase-123', /upper-case/],
    ['NoDigitsHere-!!', /digit/],
    ['NoSymbols12345', /symbol/],
  ])('%s breaks the policy', (password, reason) => {
    expect(passwordProblem(password)).toMatch(reason);
  });
  it('accepts the demo password', () => expect(passwordProblem('Roster-demo-1!')).toBeNull());
});
