import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readSettings } from '../../infra/stacks/settings.js';
import { SCHEDULED_JOBS } from '../../shared/async/consumers.js';
import { CDK_CONTEXT, synthRoster, type Synthesized } from '../helpers/synth-roster.js';

const MANAGED_LOGIN_CONTEXT = {
  appDomain: 'roster.example.com',
  appCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
  userPoolDomainPrefix: 'roster-test-login',
};

const settingsFrom = (context: Record<string, unknown>) =>
  readSettings(new App({ context: { ...CDK_CONTEXT, ...context } }).node);

describe('userPoolDomainPrefix setting', () => {
  it('is off by default (cdk.json), and refused without appDomain, with an imported pool, or when malformed', () => {
    expect(settingsFrom({}).userPoolDomainPrefix).toBeUndefined();
    expect(settingsFrom(MANAGED_LOGIN_CONTEXT).userPoolDomainPrefix).toBe('roster-test-login');
    expect(() => settingsFrom({ userPoolDomainPrefix: 'roster-login' })).toThrow(
      /userPoolDomainPrefix needs appDomain/,
    );
    expect(() =>
      settingsFrom({
        ...MANAGED_LOGIN_CONTEXT,
        existingUserPoolId: 'eu-west-1_abc',
        existingUserPoolClientId: 'client',
      }),
    ).toThrow(/applies to a created pool/);
    expect(() => settingsFrom({ ...MANAGED_LOGIN_CONTEXT, userPoolDomainPrefix: 'my-cognito-login' })).toThrow(
      /must be 1-63 lower-case/,
    );
    expect(() => settingsFrom({ ...MANAGED_LOGIN_CONTEXT, userPoolDomainPrefix: '-bad' })).toThrow(
      /must be 1-63 lower-case/,
    );
  });
});

describe('managed login (SSO), synthesized with a domain prefix', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    // cdk-nag runs in the synth: an unacknowledged finding throws here and fails every test below.
    synthesized = synthRoster({ context: MANAGED_LOGIN_CONTEXT });
  });

  it('gives the pool a managed-login domain with Cognito’s style for the SPA client, and names its base URL in an output', () => {
    const identity = synthesized.stacks.identity!;
    const template = Template.fromStack(identity);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'roster-test-login',
      ManagedLoginVersion: 2,
    });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UseCognitoProvidedValues: true,
      ClientId: Match.anyValue(),
    });
    expect(identity.identity.oauthBaseUrl).toBeDefined();
    template.hasOutput('OAuthBaseUrl', { Value: Match.anyValue() });
  });

  it('lets the SPA client use the authorization code grant only (no secret, no implicit), with the scopes the API needs and the console’s callback', () => {
    Template.fromStack(synthesized.stacks.identity!).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email', 'profile', 'aws.cognito.signin.user.admin']),
      CallbackURLs: ['https://roster.example.com/sign-in/callback'],
      LogoutURLs: ['https://roster.example.com/sign-in'],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('lets the console reach the managed login’s token endpoint (CSP connect-src)', () => {
    const json = JSON.stringify(Template.fromStack(synthesized.stacks.api).toJSON());
    expect(json).toMatch(/connect-src 'self' https:\/\/cognito-idp\./);
    expect(json).toContain('.auth.');
    expect(json).toContain('amazoncognito.com');
  });

  it('lets only the SSO connection functions and the reconciler manage identity providers and the SPA client, on this pool only', () => {
    const managing =
      /cognito-idp:(Create|Update|Delete|Describe)IdentityProvider|cognito-idp:(Update|Describe)UserPoolClient/;
    const holders: string[] = [];
    const stacks: Stack[] = synthesized.app.node.findAll().filter((c): c is Stack => c instanceof Stack);
    for (const stack of stacks) {
      const resources = Template.fromStack(stack).toJSON().Resources as Record<
        string,
        { Type: string; Properties: Record<string, unknown> }
      >;
      for (const policy of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
        const statements = (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
          .Statement;
        const grants = statements.filter((s) => [s.Action].flat().some((a) => managing.test(String(a))));
        if (grants.length === 0) continue;
        for (const grant of grants) {
          // The pool's ARN (imported from the identity stack), never a wildcard.
          expect(JSON.stringify(grant.Resource)).toMatch(/UserPool/);
          expect(JSON.stringify(grant.Resource)).not.toContain('*');
        }
        const roleId = (policy.Properties.Roles as { Ref: string }[])[0]!.Ref;
        const fn = Object.values(resources).find(
          (r) =>
            r.Type === 'AWS::Lambda::Function' &&
            JSON.stringify(r.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] }),
        );
        holders.push(String(fn?.Properties.Description));
      }
    }
    expect(holders.sort()).toEqual(
      [
        'DELETE /v1/orgs/{orgId}/sso-connections/{connectionId}',
        'PATCH /v1/orgs/{orgId}/sso-connections/{connectionId}',
        'POST /v1/orgs/{orgId}/sso-connections',
        // Deletes orphans and rewrites the client only (sso-provider-reconciler.test.ts).
        SCHEDULED_JOBS.ssoProviderReconciler.description,
      ].sort(),
    );
  });
});
