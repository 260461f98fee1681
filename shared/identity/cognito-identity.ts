import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  InvalidPasswordException,
  UserNotFoundException,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { normalizeEmail } from '../data/keys.js';
import { ValidationError } from '../errors.js';
import {
  IdentityNotFoundError,
  ROSTER_USER_ID_ATTRIBUTE,
  type EnsuredIdentity,
  type IdentityPort,
  type IdentityUser,
  type NewIdentity,
} from './identity-port.js';

const attribute = (attributes: AttributeType[] | undefined, name: string): string | undefined =>
  attributes?.find((a) => a.Name === name)?.Value;

export interface CognitoIdentityOptions {
  /**
   * The Cognito username of a Roster user whose identity was created for them (User.identitySubject),
   * read from Roster's user record. Identities created before lazy identities have the user id as username.
   */
  subjectOf(userId: string): Promise<string | undefined>;
}

/**
 * The identity port on a Cognito user pool whose username attribute is the email. Cognito
 * generates each identity's username (its `sub`); an identity created for an existing Roster user
 * carries that user's id in ROSTER_USER_ID_ATTRIBUTE, and its username is found through
 * `subjectOf`. No identity for the user → the admin actions are no-ops (identity-port.ts).
 */
export class CognitoIdentity implements IdentityPort {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly options: CognitoIdentityOptions,
  ) {}

  async ensureUser(input: NewIdentity): Promise<EnsuredIdentity> {
    const email = normalizeEmail(input.email);
    try {
      const { User } = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          // Roster mails its own set-password link; Cognito's invitation mail stays off.
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: input.emailVerified === true ? 'true' : 'false' },
            { Name: 'name', Value: input.name },
            { Name: ROSTER_USER_ID_ATTRIBUTE, Value: input.userId },
          ],
        }),
      );
      const subject = User?.Username ?? attribute(User?.Attributes, 'sub');
      if (!subject) throw new Error('Cognito created a user without a username');
      return { userId: input.userId, created: true, subject };
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      const out = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      const sub = attribute(out.UserAttributes, 'sub');
      if (!sub || !out.Username) throw new Error('Cognito user without a sub', { cause: error });
      return {
        userId: attribute(out.UserAttributes, ROSTER_USER_ID_ATTRIBUTE) ?? sub,
        created: false,
        subject: out.Username,
      };
    }
  }

  async getUser(userId: string): Promise<IdentityUser | undefined> {
    const out = await this.onIdentity(userId, (Username) =>
      this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username })),
    );
    if (!out) return undefined;
    return {
      userId: attribute(out.UserAttributes, ROSTER_USER_ID_ATTRIBUTE) ?? attribute(out.UserAttributes, 'sub') ?? userId,
      email: attribute(out.UserAttributes, 'email') ?? '',
      enabled: out.Enabled ?? false,
      mfaEnabled: (out.UserMFASettingList ?? []).length > 0,
    };
  }

  async disableUser(userId: string): Promise<void> {
    await this.onIdentity(userId, (Username) =>
      this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username })),
    );
  }

  async enableUser(userId: string): Promise<void> {
    await this.onIdentity(userId, (Username) =>
      this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username })),
    );
  }

  async globalSignOut(userId: string): Promise<void> {
    await this.onIdentity(userId, (Username) =>
      this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username })),
    );
  }

  async setPassword(userId: string, password: string): Promise<void> {
    try {
      const done = await this.onIdentity(userId, (Username) =>
        this.client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: this.userPoolId,
            Username,
            Password: password,
            Permanent: true,
          }),
        ),
      );
      if (!done) throw new IdentityNotFoundError(userId);
    } catch (error) {
      // The pool's own refusal (policy, password history, a compromised password): the person's to fix.
      if (error instanceof InvalidPasswordException)
        throw new ValidationError([{ field: 'password', message: error.message }]);
      throw error;
    }
  }

  async disableMfa(userId: string): Promise<void> {
    await this.onIdentity(userId, (Username) =>
      this.client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: this.userPoolId,
          Username,
          SMSMfaSettings: { Enabled: false, PreferredMfa: false },
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        }),
      ),
    );
  }

  async markEmailVerified(userId: string): Promise<void> {
    await this.onIdentity(userId, (Username) =>
      this.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.userPoolId,
          Username,
          UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        }),
      ),
    );
  }

  async updateEmail(userId: string, email: string): Promise<void> {
    await this.onIdentity(userId, (Username) =>
      this.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.userPoolId,
          Username,
          UserAttributes: [
            { Name: 'email', Value: normalizeEmail(email) },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      ),
    );
  }

  /**
   * `call` on the user's identity: by the user id as username (identities whose sub is the user
   * id), else by the username Roster recorded when it created the identity. Undefined when the
   * user has no identity yet: nothing was done.
   */
  private async onIdentity<T>(userId: string, call: (username: string) => Promise<T>): Promise<T | undefined> {
    const subject = await this.options.subjectOf(userId);
    try {
      return await call(subject ?? userId);
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }
}
