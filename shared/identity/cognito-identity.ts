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
  InvalidPasswordException,
  UserNotFoundException,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { normalizeEmail } from '../data/keys.js';
import { mapBounded, pacer } from '../concurrency.js';
import { ValidationError } from '../errors.js';
import type { EnsuredIdentity, IdentityPort, IdentityUser, NewIdentity } from './identity-port.js';

/** Enough calls in flight to keep the pace at Cognito's latency. */
const CREATIONS_IN_FLIGHT = 8;

const attribute = (attributes: AttributeType[] | undefined, name: string): string | undefined =>
  attributes?.find((a) => a.Name === name)?.Value;

/** The identity port on a Cognito user pool whose username attribute is the email. */
export class CognitoIdentity implements IdentityPort {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly options: { userCreationsPerSecond: number },
  ) {}

  async ensureUser(input: NewIdentity): Promise<{ userId: string; created: boolean }> {
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

  /**
   * ensureUser for each person, paced: AdminCreateUser is in Cognito's UserCreation category
   * (50 requests per second per account and Region by default, shared with SignUp and every
   * other creator), so a bulk caller keeps to its own share rather than meeting throttling.
   * Cognito has no batch create but CSV user-import jobs, which run on their own and answer no subs.
   */
  async ensureUsers(inputs: readonly NewIdentity[]): Promise<Map<string, EnsuredIdentity>> {
    const unique = [...new Map(inputs.map((input) => [normalizeEmail(input.email), input])).values()];
    const pace = pacer(this.options.userCreationsPerSecond);
    const answers = await mapBounded(unique, CREATIONS_IN_FLIGHT, async (input) => {
      await pace();
      return [normalizeEmail(input.email), await this.ensureUser(input)] as const;
    });
    return new Map(answers);
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
    try {
      await this.client.send(new AdminSetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: userId, Password: password, Permanent: true }));
    } catch (error) {
      // The pool's own refusal (policy, password history, a compromised password): the person's to fix.
      if (error instanceof InvalidPasswordException) throw new ValidationError([{ field: 'password', message: error.message }]);
      throw error;
    }
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

  async markEmailVerified(userId: string): Promise<void> {
    await this.client.send(new AdminUpdateUserAttributesCommand({ UserPoolId: this.userPoolId, Username: userId, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
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
