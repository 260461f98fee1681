import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  InvalidPasswordException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../../shared/identity/cognito-identity.js';
import { passwordProblem } from '../../../shared/identity/identity-port.js';
import { ValidationError } from '../../../shared/errors.js';

const cognito = mockClient(CognitoIdentityProviderClient);
const identity = new CognitoIdentity(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'pool-1', { userCreationsPerSecond: 25 });

beforeEach(() => cognito.reset());

describe('CognitoIdentity sends exactly the admin commands Roster relies on', () => {
  it('creates users with Cognito mail suppressed and a normalized email, unverified unless the caller says it is proven', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-1' }] } });
    await identity.ensureUser({ email: 'typed@acme.test', name: 'Typed' });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
    cognito.resetHistory();
    await expect(identity.ensureUser({ email: ' Ann@Acme.TEST', name: 'Ann', emailVerified: true })).resolves.toEqual({ userId: 'sub-1', created: true });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'ann@acme.test',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'ann@acme.test' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Ann' },
      ],
    });
  });

  it('answers with the existing identity when the email is taken', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    cognito.on(AdminGetUserCommand).resolves({ Username: 'x', UserAttributes: [{ Name: 'sub', Value: 'sub-9' }] });
    await expect(identity.ensureUser({ email: 'a@b.test', name: 'A' })).resolves.toEqual({ userId: 'sub-9', created: false });
  });

  it('signs out globally, sets permanent passwords and disables both MFA factors', async () => {
    cognito.onAnyCommand().resolves({});
    await identity.globalSignOut('u1');
    await identity.setPassword('u1', 'Pw-123456789!');
    await identity.disableMfa('u1');
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({ UserPoolId: 'pool-1', Username: 'u1' });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toEqual({ UserPoolId: 'pool-1', Username: 'u1', Password: 'Pw-123456789!', Permanent: true });
    expect(cognito.commandCalls(AdminSetUserMFAPreferenceCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      Username: 'u1',
      SMSMfaSettings: { Enabled: false, PreferredMfa: false },
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
    });
  });
});

describe('CognitoIdentity.markEmailVerified', () => {
  it('sets email_verified only, leaving the address as it is', async () => {
    cognito.onAnyCommand().resolves({});
    await identity.markEmailVerified('u1');
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input).toEqual({ UserPoolId: 'pool-1', Username: 'u1', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
  });
});

describe('CognitoIdentity.setPassword', () => {
  it('answers a password the pool refuses as a 400 naming the password field', async () => {
    cognito.on(AdminSetUserPasswordCommand).rejects(new InvalidPasswordException({ message: 'Password has previously been used', $metadata: {} }));
    const refusal = await identity.setPassword('u1', 'Pw-123456789!').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).errors).toEqual([{ field: 'password', message: 'Password has previously been used' }]);
  });
});

describe('CognitoIdentity.ensureUsers (bulk import)', () => {
  it('creates each distinct email once and answers by normalized email, existing identities included', async () => {
    cognito.on(AdminCreateUserCommand).callsFake((input: { Username: string }) => {
      if (input.Username === 'old@x.test') throw new UsernameExistsException({ message: 'exists', $metadata: {} });
      return { User: { Attributes: [{ Name: 'sub', Value: `sub-${input.Username}` }] } };
    });
    cognito.on(AdminGetUserCommand).resolves({ Username: 'old', UserAttributes: [{ Name: 'sub', Value: 'sub-old' }] });
    const fast = new CognitoIdentity(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'pool-1', { userCreationsPerSecond: 1000 });
    const answers = await fast.ensureUsers([
      { email: 'A@x.test', name: 'A' },
      { email: 'a@x.test ', name: 'A again' },
      { email: 'b@x.test', name: 'B' },
      { email: 'old@x.test', name: 'Old' },
    ]);
    expect(Object.fromEntries(answers)).toEqual({
      'a@x.test': { userId: 'sub-a@x.test', created: true },
      'b@x.test': { userId: 'sub-b@x.test', created: true },
      'old@x.test': { userId: 'sub-old', created: false },
    });
    expect(cognito.commandCalls(AdminCreateUserCommand).map((c) => c.args[0].input.Username).sort()).toEqual(['a@x.test', 'b@x.test', 'old@x.test']);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.MessageAction).toBe('SUPPRESS');
  });

  it('keeps to its share of the UserCreation quota: n creations take at least (n-1)/rate seconds', async () => {
    cognito.on(AdminCreateUserCommand).callsFake((input: { Username: string }) => ({ User: { Attributes: [{ Name: 'sub', Value: input.Username }] } }));
    const paced = new CognitoIdentity(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'pool-1', { userCreationsPerSecond: 20 });
    const started = performance.now();
    await paced.ensureUsers(Array.from({ length: 5 }, (_, i) => ({ email: `p${i}@x.test`, name: 'P' })));
    // A lower bound only (4 intervals of 50 ms; timer granularity allowed): the pace, not a speed.
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(5);
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
