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
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DuplicateProviderException,
  InvalidParameterException,
  InvalidPasswordException,
  LimitExceededException,
  ListIdentityProvidersCommand,
  ResourceNotFoundException,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
  type IdentityProviderType,
  UserNotFoundException,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { normalizeEmail } from '../data/keys.js';
import { ValidationError } from '../errors.js';
import {
  IdentityNotFoundError,
  IdentityProviderQuotaError,
  ROSTER_USER_ID_ATTRIBUTE,
  type EnsuredIdentity,
  type FederatedIdentity,
  type FederatedProvider,
  type IdentityPort,
  type IdentityUser,
  type ListedIdentityProvider,
  type NewIdentity,
} from './identity-port.js';

/** ListIdentityProviders' largest page. */
const PROVIDERS_PAGE_SIZE = 60;

const attribute = (attributes: AttributeType[] | undefined, name: string): string | undefined =>
  attributes?.find((a) => a.Name === name)?.Value;

export interface CognitoIdentityOptions {
  /**
   * The Cognito username of a Roster user whose identity was created for them (User.identitySubject),
   * read from Roster's user record. Identities created before lazy identities have the user id as username.
   */
  subjectOf(userId: string): Promise<string | undefined>;
  /** The SPA's app client, whose supported identity providers follow the SSO connections. */
  spaClientId?: string;
}

/** Cognito's ProviderDetails of a provider (its documented keys for OIDC and SAML). */
function providerDetails(provider: FederatedProvider): Record<string, string> {
  if (provider.protocol === 'oidc') {
    const oidc = provider.oidc;
    if (!oidc) throw new Error(`OIDC provider ${provider.providerName} without its OIDC settings`);
    return {
      client_id: oidc.clientId,
      client_secret: oidc.clientSecret,
      authorize_scopes: oidc.scopes.join(' '),
      oidc_issuer: oidc.issuer,
      // Endpoints come from the issuer's discovery document.
      attributes_request_method: 'GET',
    };
  }
  const saml = provider.saml;
  if (!saml) throw new Error(`SAML provider ${provider.providerName} without its SAML settings`);
  return {
    ...(saml.metadataUrl ? { MetadataURL: saml.metadataUrl } : { MetadataFile: saml.metadataXml ?? '' }),
    IDPInit: String(saml.idpInitiated),
    IDPSignout: 'false',
  };
}

function providerFrom(idp: IdentityProviderType): FederatedProvider {
  const details = idp.ProviderDetails ?? {};
  const common = {
    providerName: idp.ProviderName ?? '',
    idpIdentifiers: idp.IdpIdentifiers ?? [],
    attributeMapping: idp.AttributeMapping ?? {},
  };
  if (idp.ProviderType === 'SAML')
    return {
      ...common,
      protocol: 'saml',
      saml: {
        ...(details.MetadataURL ? { metadataUrl: details.MetadataURL } : { metadataXml: details.MetadataFile ?? '' }),
        idpInitiated: details.IDPInit === 'true',
      },
    };
  return {
    ...common,
    protocol: 'oidc',
    oidc: {
      issuer: details.oidc_issuer ?? '',
      clientId: details.client_id ?? '',
      clientSecret: details.client_secret ?? '',
      scopes: (details.authorize_scopes ?? '').split(' ').filter(Boolean),
    },
  };
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

  async setSoftwareTokenMfa(userId: string, enabled: boolean): Promise<'ok' | 'not_verified'> {
    try {
      const done = await this.onIdentity(userId, (Username) =>
        this.client.send(
          new AdminSetUserMFAPreferenceCommand({
            UserPoolId: this.userPoolId,
            Username,
            SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled },
          }),
        ),
      );
      // No identity yet: nothing to turn off, and no factor to turn on.
      return done === undefined && enabled ? 'not_verified' : 'ok';
    } catch (error) {
      // Cognito's answer when no authenticator was verified (VerifySoftwareToken) for the user.
      if (error instanceof InvalidParameterException && enabled) return 'not_verified';
      throw error;
    }
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

  async putIdentityProvider(provider: FederatedProvider): Promise<void> {
    const common = {
      UserPoolId: this.userPoolId,
      ProviderName: provider.providerName,
      ProviderDetails: providerDetails(provider),
      AttributeMapping: provider.attributeMapping,
      IdpIdentifiers: provider.idpIdentifiers,
    };
    try {
      try {
        await this.client.send(
          new CreateIdentityProviderCommand({
            ...common,
            ProviderType: provider.protocol === 'oidc' ? 'OIDC' : 'SAML',
          }),
        );
      } catch (error) {
        if (!(error instanceof DuplicateProviderException)) throw error;
        await this.client.send(new UpdateIdentityProviderCommand(common));
      }
    } catch (error) {
      if (error instanceof LimitExceededException) throw new IdentityProviderQuotaError();
      // Cognito checks the issuer's discovery document or the SAML metadata: the admin's to fix.
      if (error instanceof InvalidParameterException)
        throw new ValidationError([{ field: provider.protocol, message: error.message }]);
      throw error;
    }
  }

  async getIdentityProvider(providerName: string): Promise<FederatedProvider | undefined> {
    try {
      const { IdentityProvider } = await this.client.send(
        new DescribeIdentityProviderCommand({ UserPoolId: this.userPoolId, ProviderName: providerName }),
      );
      return IdentityProvider && providerFrom(IdentityProvider);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async deleteIdentityProvider(providerName: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteIdentityProviderCommand({ UserPoolId: this.userPoolId, ProviderName: providerName }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }

  async listIdentityProviders(): Promise<ListedIdentityProvider[]> {
    const listed: ListedIdentityProvider[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListIdentityProvidersCommand({
          UserPoolId: this.userPoolId,
          MaxResults: PROVIDERS_PAGE_SIZE,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      // Cognito always sets both; a provider without a creation time could not be judged old, so it is left out.
      for (const p of page.Providers ?? [])
        if (p.ProviderName && p.CreationDate) listed.push({ providerName: p.ProviderName, createdAt: p.CreationDate });
      nextToken = page.NextToken;
    } while (nextToken);
    return listed;
  }

  async clientIdentityProviders(): Promise<string[]> {
    const { UserPoolClient: c } = await this.client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: this.userPoolId, ClientId: this.spaClientId() }),
    );
    if (!c) throw new Error(`User pool client ${this.spaClientId()} not found`);
    return c.SupportedIdentityProviders ?? [];
  }

  private spaClientId(): string {
    const clientId = this.options.spaClientId;
    if (!clientId) throw new Error('No SPA client id configured (USER_POOL_CLIENT_ID)');
    return clientId;
  }

  /**
   * UpdateUserPoolClient resets every setting it is not given to its default, so the client's
   * current settings are read first and sent back with only the provider list changed.
   */
  async setClientIdentityProviders(providerNames: readonly string[]): Promise<void> {
    const clientId = this.spaClientId();
    const { UserPoolClient: c } = await this.client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: this.userPoolId, ClientId: clientId }),
    );
    if (!c) throw new Error(`User pool client ${clientId} not found`);
    await this.client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: this.userPoolId,
        ClientId: clientId,
        ClientName: c.ClientName,
        RefreshTokenValidity: c.RefreshTokenValidity,
        AccessTokenValidity: c.AccessTokenValidity,
        IdTokenValidity: c.IdTokenValidity,
        TokenValidityUnits: c.TokenValidityUnits,
        ReadAttributes: c.ReadAttributes,
        WriteAttributes: c.WriteAttributes,
        ExplicitAuthFlows: c.ExplicitAuthFlows,
        SupportedIdentityProviders: ['COGNITO', ...providerNames],
        CallbackURLs: c.CallbackURLs,
        LogoutURLs: c.LogoutURLs,
        DefaultRedirectURI: c.DefaultRedirectURI,
        AllowedOAuthFlows: c.AllowedOAuthFlows,
        AllowedOAuthScopes: c.AllowedOAuthScopes,
        AllowedOAuthFlowsUserPoolClient: c.AllowedOAuthFlowsUserPoolClient,
        AnalyticsConfiguration: c.AnalyticsConfiguration,
        PreventUserExistenceErrors: c.PreventUserExistenceErrors,
        EnableTokenRevocation: c.EnableTokenRevocation,
        EnablePropagateAdditionalUserContextData: c.EnablePropagateAdditionalUserContextData,
        AuthSessionValidity: c.AuthSessionValidity,
        RefreshTokenRotation: c.RefreshTokenRotation,
      }),
    );
  }

  async linkFederatedIdentity(userId: string, federated: FederatedIdentity): Promise<void> {
    const subject = (await this.options.subjectOf(userId)) ?? userId;
    await this.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: this.userPoolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: subject },
        SourceUser: {
          ProviderName: federated.providerName,
          ProviderAttributeName: 'Cognito_Subject',
          ProviderAttributeValue: federated.subject,
        },
      }),
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
