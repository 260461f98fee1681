import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  Function as CloudFrontFunction,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, type CfnBucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './api-function.js';
import type { RosterHttpApi } from './roster-http-api.js';

/** Where `console/`'s build writes the app: index.html and hashed files under assets/. */
export const CONSOLE_DIST_DIR = join(PROJECT_ROOT, 'console', 'dist');

/** Paths CloudFront sends to the HTTP API instead of the bucket (every route's first segment). */
export const API_PATH_PATTERNS = ['/v1/*', '/scim/*', '/api/*', '/openapi.json'] as const;

/**
 * Same origin for the app and the API; Cognito's user-pool API is the one other host the app
 * calls, and the managed login's token endpoint when SSO is set up (`oauthBaseUrl`).
 */
export function contentSecurityPolicy(region: string, oauthBaseUrl?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Mantine (emotion-free since v7, but it still sets style attributes and injects its
    // CSS-variables <style> at run time): without 'unsafe-inline' the components lose their styles.
    // Scripts stay strict; inline styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // The TOTP QR code is drawn as a data: image.
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' https://cognito-idp.${region}.amazonaws.com${oauthBaseUrl ? ` ${oauthBaseUrl}` : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Viewer-request function of the default (bucket) behaviour: a console route such as
 * `/orgs/x/members` or `/invitations/<token>` (no file extension in its last segment) is
 * answered with /index.html, which routes in the browser. Files keep their path, and a missing
 * file stays a 404. The API behaviours do not run it, so an API 404 reaches the client as the
 * API's problem+json (a distribution-wide custom error response would turn it into index.html).
 */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export interface ConsoleSiteProps {
  /** The API the `/v1/*`, `/scim/*`, `/api/*` and `/openapi.json` behaviours send requests to. */
  readonly api: RosterHttpApi;
  /** The SPA's Cognito app client (config.json's `clientId`). */
  readonly userPoolClientId: string;
  /**
   * The managed login's base URL (config.json's `oauthBaseUrl`): SSO sign-in.
   * @default - none: the console offers password sign-in only
   */
  readonly oauthBaseUrl?: string;
  /**
   * A custom domain (its certificate must be in us-east-1 and cover it). Then APP_URL is
   * `https://<domain>`, a literal; otherwise it is the distribution's own domain.
   * @default - the distribution's *.cloudfront.net domain and its default certificate
   */
  readonly domain?: { readonly name: string; readonly certificate: ICertificate };
  /**
   * The built console.
   * @default CONSOLE_DIST_DIR
   */
  readonly distDir?: string;
  /** @default 90 days */
  readonly logRetention?: Duration;
}

/**
 * The admin console on the API's origin: a private bucket behind CloudFront (origin access
 * control), security headers with a strict CSP on every response, the SPA fallback on the
 * bucket's behaviour only, and the API's paths sent uncached to the HTTP API with every viewer
 * header but Host (Authorization included). The build is uploaded with a `config.json` naming the
 * Cognito endpoint and app client, the same document `npm start` serves at `/config.json`.
 */
export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly spaFallback: CloudFrontFunction;
  readonly responseHeaders: ResponseHeadersPolicy;
  /** The console's origin, without a trailing slash: what mailed links start with (APP_URL). */
  readonly url: string;
  /** False when `distDir` held no build at synth and a placeholder page is deployed instead. */
  readonly built: boolean;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    // S3 log delivery through a bucket policy rather than the LogDeliveryWrite ACL (as ExportBucket).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const region = Stack.of(this).region;

    // CloudFront standard logging writes with ACLs, so this bucket keeps them (BUCKET_OWNER_PREFERRED).
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.logRetention ?? Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the log bucket of the console bucket and distribution: logging its own access would need ' +
        'a further bucket, and so on. It is private, encrypted and TLS-only; only the S3 logging service and CloudFront write to it.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      // Every object is a build output: the next deploy puts it back.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(SPA_FALLBACK_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Console routes (no file extension) are answered with /index.html',
    });

    this.responseHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Roster console: strict CSP and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(region, props.oauthBaseUrl),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // Console URLs carry invitation and reset tokens: never send them elsewhere.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const apiOrigin = new HttpOrigin(`${props.api.httpApi.apiId}.execute-api.${region}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    });
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Every answer is per caller; with caching disabled CloudFront forwards Authorization too.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // API Gateway needs its own Host: everything else (Authorization, x-api-key, content-type, query) goes through.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeaders,
      compress: true,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Roster console and API (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: [{ function: this.spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'distribution/',
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.acknowledgeDistributionFindings(Boolean(props.domain));
    this.url = props.domain ? `https://${props.domain.name}` : `https://${this.distribution.distributionDomainName}`;

    this.built = this.deploy(props.distDir ?? CONSOLE_DIST_DIR, props.userPoolClientId, region, props.oauthBaseUrl);
  }

  /**
   * Two uploads: the hashed files under assets/ first (cached a year: a new build has new
   * names), then everything else, index.html and config.json among them (revalidated on every
   * load), so a browser never gets an index.html naming files not uploaded yet. Neither prunes:
   * a page loaded before a deploy can still fetch its lazily loaded chunks. The distribution's
   * cached copies of the revalidated files are invalidated after each deploy.
   */
  private deploy(distDir: string, userPoolClientId: string, region: string, oauthBaseUrl?: string): boolean {
    const built = existsSync(join(distDir, 'index.html'));
    if (!built) {
      Annotations.of(this).addWarningV2(
        'roster:console-not-built',
        `${distDir} holds no index.html: a placeholder page is deployed instead of the console. Build the console before \`cdk deploy\`.`,
      );
    }
    const assetsDir = join(distDir, 'assets');
    const assets =
      built && existsSync(assetsDir)
        ? new BucketDeployment(this, 'DeployAssets', {
            sources: [Source.asset(assetsDir)],
            destinationBucket: this.bucket,
            destinationKeyPrefix: 'assets/',
            prune: false,
            cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
            memoryLimit: 512,
          })
        : undefined;
    const config = Source.jsonData('config.json', {
      cognito: { endpoint: `https://cognito-idp.${region}.amazonaws.com/`, clientId: userPoolClientId, region },
      ...(oauthBaseUrl ? { oauthBaseUrl } : {}),
    });
    const entry = new BucketDeployment(this, 'DeployEntry', {
      sources: [
        built
          ? Source.asset(distDir, { exclude: ['assets', 'assets/**'] })
          : Source.data('index.html', PLACEHOLDER_HTML),
        config,
      ],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    if (assets) entry.node.addDependency(assets);
    this.acknowledgeDeploymentHandlerFindings();
    return built;
  }

  /** CDK's BucketDeployment handler: one function per stack, a sibling of this construct. */
  private acknowledgeDeploymentHandlerFindings(): void {
    const stack = Stack.of(this);
    // The bootstrap qualifier names the CDK assets bucket the handler reads from.
    const qualifier = String(this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? 'hnb659fds');
    const handlers = stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    for (const handler of handlers) {
      const validations = Validations.of(handler);
      validations.acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketDeployment handler (aws-cdk-lib, not ours): the managed policy only lets it write its own " +
          'CloudWatch logs (logs:CreateLogGroup/CreateLogStream/PutLogEvents), which is all it needs beyond the grants below.',
      });
      const reason =
        "CDK's BucketDeployment handler, run only by CloudFormation at deploy time: it reads the build's zip " +
        "from the CDK assets bucket (objects named by content hash, so a prefix), writes the console bucket's " +
        'objects (every key of a build, so a prefix; the s3:GetObject*/List*/DeleteObject*/Abort* action groups are ' +
        'how CDK grants read/write), and invalidates the distribution (cloudfront:CreateInvalidation/GetInvalidation, granted on "*" by CDK).';
      for (const finding of [
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`,
        `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        'Resource::*',
      ]) {
        validations.acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
      }
      validations.acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          "CDK's BucketDeployment handler: aws-cdk-lib pins its runtime to the one its bundled handler and AWS CLI " +
          'layer are built for; it runs only during deploys, never on a request path, and moves when aws-cdk-lib is upgraded.',
      });
    }
  }

  /** Each finding this distribution has by design, with the reason it stays. */
  private acknowledgeDistributionFindings(customDomain: boolean): void {
    const distribution = Validations.of(this.distribution);
    distribution.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: organisations use Roster from anywhere, and the API authorizes every request ' +
        '(JWT, SCIM token, API key); a country block list would lock out members travelling or working abroad.',
    });
    distribution.acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL: the bucket serves only public build files, and the API behind it is protected by ' +
        'API Gateway throttling (stage and route limits), JWT/SCIM/API-key authorization on every route and ' +
        'Cognito threat protection on sign-in. A web ACL costs a fixed monthly fee per stage plus per request, ' +
        'and the product chooses not to carry it; an operator who wants one attaches it to this distribution.',
    });
    if (!customDomain) {
      distribution.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without the appDomain context the distribution uses its default *.cloudfront.net certificate, for which ' +
          'CloudFront fixes the viewer security policy (TLSv1) itself; with appDomain and its certificate the minimum is TLSv1.2_2021.',
      });
    }
  }
}

/** What a deploy from a checkout without a console build puts at `/` (see the synth warning). */
const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Roster</title></head>
<body><h1>Roster</h1><p>The console was not built when this stage was deployed. Build <code>console/</code> and deploy again.</p></body></html>
`;
