import {
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DuplicateProviderException,
  LimitExceededException,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../../shared/identity/cognito-identity.js';
import { IdentityProviderQuotaError, type FederatedProvider } from '../../../shared/identity/identity-port.js';

const cognito = mockClient(CognitoIdentityProviderClient);
const identity = new CognitoIdentity(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'pool-1', {
  subjectOf: (userId) => Promise.resolve(userId === 'u-lazy' ? 'generated-username' : undefined),
  spaClientId: 'spa-client',
});
const provider: FederatedProvider = {
  providerName: 'oidc-abc',
  protocol: 'oidc',
  idpIdentifiers: ['acme.test'],
  oidc: { issuer: 'https://idp.acme.test', clientId: 'cid', clientSecret: 'sec', scopes: ['openid', 'email'] },
  attributeMapping: { email: 'email', name: 'name' },
};

beforeEach(() => cognito.reset());

describe('CognitoIdentity: federated providers', () => {
  it('creates an OIDC provider with the domains as IdP identifiers and the issuer, client and scopes as provider details', async () => {
    cognito.on(CreateIdentityProviderCommand).resolves({});
    await identity.putIdentityProvider(provider);
    expect(cognito.commandCalls(CreateIdentityProviderCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      ProviderName: 'oidc-abc',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'cid',
        client_secret: 'sec',
        authorize_scopes: 'openid email',
        oidc_issuer: 'https://idp.acme.test',
        attributes_request_method: 'GET',
      },
      AttributeMapping: { email: 'email', name: 'name' },
      IdpIdentifiers: ['acme.test'],
    });
  });

  it('updates a provider that exists, and maps the pool quota to IdentityProviderQuotaError', async () => {
    cognito
      .on(CreateIdentityProviderCommand)
      .rejects(new DuplicateProviderException({ message: 'dup', $metadata: {} }));
    cognito.on(UpdateIdentityProviderCommand).resolves({});
    await identity.putIdentityProvider(provider);
    expect(cognito.commandCalls(UpdateIdentityProviderCommand)).toHaveLength(1);
    cognito.reset();
    cognito.on(CreateIdentityProviderCommand).rejects(new LimitExceededException({ message: 'max', $metadata: {} }));
    await expect(identity.putIdentityProvider(provider)).rejects.toBeInstanceOf(IdentityProviderQuotaError);
  });

  it('sets the SPA client providers to COGNITO plus the list, sending back every other setting it read', async () => {
    cognito.on(DescribeUserPoolClientCommand).resolves({
      UserPoolClient: {
        ClientId: 'spa-client',
        ClientName: 'spa',
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
        CallbackURLs: ['https://app.test/sign-in/callback'],
        AllowedOAuthFlowsUserPoolClient: true,
        SupportedIdentityProviders: ['COGNITO', 'oidc-old'],
      },
    });
    cognito.on(UpdateUserPoolClientCommand).resolves({});
    await identity.setClientIdentityProviders(['oidc-a', 'saml-b']);
    expect(cognito.commandCalls(UpdateUserPoolClientCommand)[0]?.args[0].input).toMatchObject({
      UserPoolId: 'pool-1',
      ClientId: 'spa-client',
      ClientName: 'spa',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
      CallbackURLs: ['https://app.test/sign-in/callback'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO', 'oidc-a', 'saml-b'],
    });
  });

  it('lists every provider of the pool page by page (60 a page, following NextToken), with its creation time', async () => {
    const created = (minute: number) => new Date(Date.UTC(2026, 11, 7, 12, minute));
    cognito
      .on(ListIdentityProvidersCommand, { UserPoolId: 'pool-1', MaxResults: 60, NextToken: undefined })
      .resolves({
        Providers: [
          { ProviderName: 'oidc-a', ProviderType: 'OIDC', CreationDate: created(1) },
          { ProviderName: 'Google', ProviderType: 'Google', CreationDate: created(2) },
        ],
        NextToken: 'page-2',
      })
      .on(ListIdentityProvidersCommand, { UserPoolId: 'pool-1', MaxResults: 60, NextToken: 'page-2' })
      .resolves({ Providers: [{ ProviderName: 'saml-b', ProviderType: 'SAML', CreationDate: created(3) }] });
    expect(await identity.listIdentityProviders()).toEqual([
      { providerName: 'oidc-a', createdAt: created(1) },
      { providerName: 'Google', createdAt: created(2) },
      { providerName: 'saml-b', createdAt: created(3) },
    ]);
    expect(cognito.commandCalls(ListIdentityProvidersCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: 'pool-1', MaxResults: 60 },
      { UserPoolId: 'pool-1', MaxResults: 60, NextToken: 'page-2' },
    ]);
  });

  it('reads the SPA client’s providers as the client holds them', async () => {
    cognito
      .on(DescribeUserPoolClientCommand, { UserPoolId: 'pool-1', ClientId: 'spa-client' })
      .resolves({ UserPoolClient: { ClientId: 'spa-client', SupportedIdentityProviders: ['COGNITO', 'oidc-a'] } });
    expect(await identity.clientIdentityProviders()).toEqual(['COGNITO', 'oidc-a']);
  });

  it('links a federated identity to the user’s own Cognito username', async () => {
    cognito.on(AdminLinkProviderForUserCommand).resolves({});
    await identity.linkFederatedIdentity('u-lazy', { providerName: 'oidc-abc', subject: 'idp-sub' });
    expect(cognito.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'pool-1',
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'generated-username' },
      SourceUser: {
        ProviderName: 'oidc-abc',
        ProviderAttributeName: 'Cognito_Subject',
        ProviderAttributeValue: 'idp-sub',
      },
    });
  });
});
