import type {
  CognitoIdentityProviderClient} from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  UserNotFoundException,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { normalizeEmail } from '../data/keys.js';
import type { IdentityPort, IdentityUser } from './identity-port.js';

const attribute = (attributes: AttributeType[] | undefined, name: string): string | undefined =>
  attributes?.find((a) => a.Name === name)?.Value;

/** The identity port on a Cognito user pool whose username attribute is the email. */
export class CognitoIdentity implements IdentityPort {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async ensureUser(input: { email: string; name: string }): Promise<{ userId: string; created: boolean }> {
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
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: input.name },
          ],
        }),
      );
      const sub = attribute(User?.Attributes, 'sub');
      if (!sub) throw new Error('Cognito created a user without a sub');
      return { userId: sub, created: true };
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      const { UserAttributes } = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      const sub = attribute(UserAttributes, 'sub');
      if (!sub) throw new Error('Cognito user without a sub', { cause: error });
      return { userId: sub, created: false };
    }
  }

  async getUser(userId: string): Promise<IdentityUser | undefined> {
    try {
      const out = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
      return {
        userId: attribute(out.UserAttributes, 'sub') ?? userId,
        email: attribute(out.UserAttributes, 'email') ?? '',
        enabled: out.Enabled ?? false,
        mfaEnabled: (out.UserMFASettingList ?? []).length > 0,
      };
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }

  async disableUser(userId: string): Promise<void> {
    await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
  }

  async enableUser(userId: string): Promise<void> {
    await this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
  }

  async globalSignOut(userId: string): Promise<void> {
    await this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: userId }));
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.client.send(new AdminSetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: userId, Password: password, Permanent: true }));
  }

  async disableMfa(userId: string): Promise<void> {
    await this.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: this.userPoolId,
        Username: userId,
        SMSMfaSettings: { Enabled: false, PreferredMfa: false },
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
  }

  async updateEmail(userId: string, email: string): Promise<void> {
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.userPoolId,
        Username: userId,
        UserAttributes: [
          { Name: 'email', Value: normalizeEmail(email) },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  }
}
