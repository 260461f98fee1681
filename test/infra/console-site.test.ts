/**
 * The console's deployment (infra/constructs/console-site.ts) as synthesized in the API stack:
 * a private bucket behind CloudFront with origin access control, security headers, the SPA
 * fallback on the bucket's behaviour only, the API's paths sent uncached to the HTTP API, the
 * build and config.json uploaded, and APP_URL set to the distribution's origin.
 */
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { API_PATH_PATTERNS, SPA_FALLBACK_CODE } from '../../infra/constructs/console-site.js';
import { CONSOLE_DIST_FIXTURE } from '../helpers/console-dist-fixture.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';

/** CloudFront's managed policies, by their fixed ids. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

interface CacheBehavior {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  AllowedMethods: string[];
  ViewerProtocolPolicy: string;
  FunctionAssociations?: unknown[];
  ResponseHeadersPolicyId: unknown;
}
interface DistributionConfig {
  DefaultCacheBehavior: CacheBehavior;
  CacheBehaviors: CacheBehavior[];
  Origins: {
    Id: string;
    DomainName: unknown;
    S3OriginConfig?: { OriginAccessIdentity: string };
    OriginAccessControlId?: unknown;
    CustomOriginConfig?: { OriginProtocolPolicy: string };
  }[];
  CustomErrorResponses?: unknown;
  Aliases?: string[];
  ViewerCertificate?: { MinimumProtocolVersion?: string };
}

function distributionConfig(template: Template): DistributionConfig {
  const distributions = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  expect(distributions).toHaveLength(1);
  return (distributions[0] as { Properties: { DistributionConfig: DistributionConfig } }).Properties.DistributionConfig;
}

/** The fallback function run as CloudFront would, on one viewer request URI. */
function rewrite(uri: string): string {
  const sandbox: { result?: { uri: string } } = {};
  runInNewContext(`${SPA_FALLBACK_CODE}\nresult = handler({ request: { uri: ${JSON.stringify(uri)} } });`, sandbox);
  return sandbox.result?.uri ?? '';
}

describe('the console on CloudFront (API stack)', () => {
  let synthesized: Synthesized;
  let api: Template;
  let config: DistributionConfig;
  beforeAll(() => {
    // Throws on any unacknowledged cdk-nag finding, as `cdk synth` does.
    synthesized = synthRoster({ consoleDistDir: CONSOLE_DIST_FIXTURE });
    api = Template.fromStack(synthesized.stacks.api);
    config = distributionConfig(api);
  });

  it('serves the bucket through origin access control (no OAI), readable only by this distribution', () => {
    const { stacks } = synthesized;
    const bucketId = stacks.api.getLogicalId(stacks.api.console.bucket.node.defaultChild as never);
    const bucketOrigin = config.Origins.find((o) => o.S3OriginConfig);
    expect(bucketOrigin?.S3OriginConfig?.OriginAccessIdentity).toBe('');
    expect(bucketOrigin?.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl|S3OriginAccessControl/) as unknown, 'Id'],
    });
    api.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    api.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(bucketOrigin?.Id);
    api.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('keeps the bucket private: public access blocked, TLS only, encrypted, access logged, no website hosting', () => {
    const { stacks } = synthesized;
    const bucketId = stacks.api.getLogicalId(stacks.api.console.bucket.node.defaultChild as never);
    const bucket = api.toJSON().Resources[bucketId] as { Properties: Record<string, unknown> };
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: expect.anything() as unknown, LogFilePrefix: 'console-bucket/' },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    // Every Allow in the bucket's policy names a service principal; the only "*" is the TLS Deny.
    const policies = Object.values(
      api.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }),
    );
    expect(policies).toHaveLength(1);
    const statements = (
      policies[0] as {
        Properties: { PolicyDocument: { Statement: { Effect: string; Principal: unknown; Condition?: unknown }[] } };
      }
    ).Properties.PolicyDocument.Statement;
    for (const statement of statements) {
      if (statement.Effect === 'Allow') expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      else expect(statement.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    }
  });

  it('sends a strict CSP and the security headers on every behaviour', () => {
    const policies = api.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const [policyId, policy] = Object.entries(policies)[0] as [
      string,
      {
        Properties: {
          ResponseHeadersPolicyConfig: {
            SecurityHeadersConfig: Record<string, { Override: boolean } & Record<string, unknown>>;
          };
        };
      },
    ];
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = Stack.of(synthesized.stacks.api).resolve(headers.ContentSecurityPolicy?.ContentSecurityPolicy) as {
      'Fn::Join': [string, unknown[]];
    };
    const text = csp['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<region>')).join('');
    const directives = new Map(
      text
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'https://cognito-idp.<region>.amazonaws.com']);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(text).not.toMatch(/unsafe-eval|\*/);
    expect(headers.ContentSecurityPolicy?.Override).toBe(true);
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 730 * 86400,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('routes /v1/*, /scim/*, /api/* and /openapi.json to the HTTP API, uncached, every method, Authorization forwarded', () => {
    const { stacks } = synthesized;
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual([...API_PATH_PATTERNS]);
    const apiOrigin = config.Origins.find((o) => o.CustomOriginConfig);
    expect(apiOrigin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(
      JSON.stringify(stacks.api.resolve(stacks.api.api.httpApi.apiId)),
    );
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain('.execute-api.');
    for (const behavior of config.CacheBehaviors) {
      expect(behavior).toMatchObject({
        TargetOriginId: apiOrigin?.Id,
        // With caching disabled, AllViewerExceptHostHeader forwards Authorization (and x-api-key,
        // content-type, query strings); the Host header stays API Gateway's own.
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ViewerProtocolPolicy: 'https-only',
      });
      expect([...behavior.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
      expect(behavior.FunctionAssociations).toBeUndefined();
    }
  });

  it('runs the SPA fallback on the default behaviour only, and no custom error response turns an API 404 into index.html', () => {
    const functions = api.findResources('AWS::CloudFront::Function');
    expect(Object.keys(functions)).toHaveLength(1);
    const [functionId] = Object.keys(functions);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);
    expect(config.CustomErrorResponses).toBeUndefined();
    api.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: SPA_FALLBACK_CODE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
  });

  it('the fallback answers console routes with /index.html and leaves files alone', () => {
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/orgs/01HX/members')).toBe('/index.html');
    expect(rewrite('/invitations/9sK-2_xQ')).toBe('/index.html');
    expect(rewrite('/password-reset/abc_DEF-123')).toBe('/index.html');
    expect(rewrite('/assets/index-B7xQ2kLm.js')).toBe('/assets/index-B7xQ2kLm.js');
    expect(rewrite('/config.json')).toBe('/config.json');
    expect(rewrite('/favicon.svg')).toBe('/favicon.svg');
  });

  it('uploads the hashed assets (cached a year) before index.html and config.json (revalidated), then invalidates', () => {
    const { stacks } = synthesized;
    const deployments = api.findResources('Custom::CDKBucketDeployment');
    const entries = Object.entries(deployments) as [
      string,
      { Properties: Record<string, unknown>; DependsOn?: string[] },
    ][];
    expect(entries).toHaveLength(2);
    const assets = entries.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === 'assets/');
    const entry = entries.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === undefined);
    expect(assets?.[1].Properties).toMatchObject({
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(entry?.[1].Properties).toMatchObject({
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
      DistributionId: { Ref: stacks.api.getLogicalId(stacks.api.console.distribution.node.defaultChild as never) },
    });
    expect(entry?.[1].DependsOn).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${assets?.[0].replace(/CustomResource.*$/, '')}`)) as unknown,
      ]),
    );
    // config.json: the same shape `npm start` serves, filled in at deploy time.
    const markers =
      (entry?.[1].Properties.SourceMarkers as Record<string, unknown>[]).find((m) => Object.keys(m).length > 0) ?? {};
    expect(Object.values(markers)).toEqual(
      expect.arrayContaining([{ Ref: 'AWS::Region' }, stacks.api.resolve(stacks.api.identity.userPoolClientId)]),
    );
    expect(stacks.api.console.built).toBe(true);
  });

  it('gives every function that builds mail links the distribution origin as APP_URL', () => {
    const { stacks } = synthesized;
    const distributionId = stacks.api.getLogicalId(stacks.api.console.distribution.node.defaultChild as never);
    expect(stacks.api.resolve(stacks.api.appUrl)).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
    });
    // The route stacks receive the domain as a parameter of their nested stack.
    const nested = Object.values(api.findResources('AWS::CloudFormation::Stack')) as {
      Properties: { Parameters: Record<string, unknown> };
    }[];
    expect(nested).toHaveLength(stacks.api.routeStacks.size);
    for (const stack of nested)
      expect(Object.values(stack.Properties.Parameters)).toContainEqual({
        'Fn::GetAtt': [distributionId, 'DomainName'],
      });
    for (const routeStack of stacks.api.routeStacks.values()) {
      for (const fn of Object.values(Template.fromStack(routeStack).findResources('AWS::Lambda::Function'))) {
        expect(
          (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment
            .Variables.APP_URL,
        ).toEqual({
          'Fn::Join': ['', ['https://', { Ref: expect.stringMatching(/ConsoleDistribution.*DomainName/) as unknown }]],
        });
      }
    }
    const asyncFunctions = Object.values(Template.fromStack(stacks.async).findResources('AWS::Lambda::Function'));
    expect(asyncFunctions.length).toBeGreaterThan(0);
    for (const fn of asyncFunctions) {
      const variables = (fn as { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties
        .Environment?.Variables;
      if (variables?.TABLE_NAME) {
        expect(variables.APP_URL).toEqual({
          'Fn::Join': [
            '',
            [
              'https://',
              { 'Fn::ImportValue': expect.stringMatching(/^Roster-dev-Api:ExportsOutput.*DomainName/) as unknown },
            ],
          ],
        });
      }
    }
    // The sign-in triggers build no links, and the identity stack cannot read the API stack.
    for (const fn of Object.values(
      Template.fromStack(stacks.identity as Stack).findResources('AWS::Lambda::Function'),
    )) {
      const variables = (fn as { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties
        .Environment?.Variables;
      if (variables?.TABLE_NAME) expect(variables.APP_URL).toBeUndefined();
    }
  });

  it('keeps the API stack far below CloudFormation resource limit', () => {
    const count = Object.keys(api.toJSON().Resources as object).length;
    expect(count).toBeLessThan(100);
  });
});

describe('the console with a custom domain (appDomain context)', () => {
  it('serves the domain with its certificate and TLS 1.2, and puts it in APP_URL everywhere, the triggers included', () => {
    const { stacks } = synthRoster({
      consoleDistDir: CONSOLE_DIST_FIXTURE,
      context: {
        appDomain: 'roster.example.com',
        appCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      },
    });
    const config = distributionConfig(Template.fromStack(stacks.api));
    expect(config.Aliases).toEqual(['roster.example.com']);
    expect(config.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
    });
    expect(stacks.api.appUrl).toBe('https://roster.example.com');
    for (const stack of [stacks.async, stacks.identity as Stack, ...stacks.api.routeStacks.values()]) {
      for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))) {
        const variables = (fn as { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties
          .Environment?.Variables;
        if (variables?.TABLE_NAME) expect(variables.APP_URL).toBe('https://roster.example.com');
      }
    }
  });
});

describe('the console before it is built', () => {
  it('deploys a placeholder index.html with config.json and warns at synth', () => {
    const { stacks } = synthRoster({ consoleDistDir: join(CONSOLE_DIST_FIXTURE, 'no-such-build') });
    expect(stacks.api.console.built).toBe(false);
    const deployments = Object.values(Template.fromStack(stacks.api).findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    Annotations.fromStack(stacks.api).hasWarning(
      '/Roster-dev-Api/Console',
      Match.stringLikeRegexp('placeholder page is deployed'),
    );
  });
});
