import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PROJECT_ROOT } from '../constructs/api-function.js';
import { ConsoleSite } from '../constructs/console-site.js';
import { enforceResourceBudget } from '../constructs/resource-budget.js';
import { RosterHttpApi, type Throttling } from '../constructs/roster-http-api.js';
import { RosterIdentity, type ExistingUserPool } from '../constructs/roster-identity.js';
import type { ExportBucket } from '../constructs/export-bucket.js';
import type { RosterTable } from '../constructs/roster-table.js';
import type { SecretsKey } from '../constructs/secrets-key.js';
import { FALLBACK_ROUTES, ROUTES, type RouteDefinition } from '../routes.js';
import type { AppDomain } from './settings.js';
import { ApiRoutesStack } from './api-routes-stack.js';
import { groupRoutesByArea, pascalCase } from './route-areas.js';

export interface ApiStackProps extends StackProps {
  readonly table: RosterTable;
  /** The bucket routes with `objectStore` are granted on. */
  readonly exportBucket?: ExportBucket;
  /** The key routes with `secrets` seal or open with. */
  readonly secretsKey?: SecretsKey;
  /**
   * The identity stack's pool. Give this or `existingUserPool`, not both.
   * @default - the pool `existingUserPool` names, imported here
   */
  readonly identity?: RosterIdentity;
  /**
   * A pool this app does not own, imported into this stack (an identity stack holding only
   * imports would be an empty template, which CloudFormation refuses).
   * @default - use `identity`
   */
  readonly existingUserPool?: ExistingUserPool;
  /**
   * The console's custom domain and its us-east-1 certificate.
   * @default - the distribution's own domain
   */
  readonly appDomain?: AppDomain;
  /**
   * The built console uploaded to the bucket.
   * @default CONSOLE_DIST_DIR
   */
  readonly consoleDistDir?: string;
  /** Verified SES sender (MAIL_FROM). */
  readonly mailFrom: string;
  /**
   * The route table.
   * @default ROUTES
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * Where the handler modules live.
   * @default <repository>/functions
   */
  readonly functionsDir?: string;
  /** @default [] - no CORS */
  readonly corsAllowedOrigins?: readonly string[];
  /** @default RosterHttpApi's default */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Route-level throttling of the SCIM and webhook routes. @default RosterHttpApi's default */
  readonly routeThrottling?: { readonly scim: Throttling; readonly webhook: Throttling };
  /** Function and access log retention. @default one month */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: string;
}

/**
 * The HTTP API and, in one nested stack per area (the handler's folder under functions/),
 * a function and a route for every row of the route table; and the console's CloudFront
 * distribution, which serves the app and routes the API's paths to the HTTP API on one origin.
 *
 * The distribution lives here because it and the API need each other: it sends the API's
 * paths to the HTTP API, and the functions put its origin in mailed links (APP_URL). In one
 * stack these are plain references with no cycle (distribution → HTTP API; functions →
 * distribution; routes → functions); in two stacks they would be a cycle of exports. The
 * async stack reads `appUrl` from here (one way).
 */
export class ApiStack extends Stack {
  readonly api: RosterHttpApi;
  /** The pool the API trusts and its functions are granted on. */
  readonly identity: RosterIdentity;
  /** Nested stacks by area. */
  readonly routeStacks: ReadonlyMap<string, ApiRoutesStack>;
  readonly console: ConsoleSite;
  /** The console's origin, which mailed links start with (APP_URL). */
  readonly appUrl: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    if (Boolean(props.identity) === Boolean(props.existingUserPool)) {
      throw new Error(`${id}: give exactly one of identity and existingUserPool`);
    }
    this.identity =
      props.identity ?? new RosterIdentity(this, 'ImportedIdentity', { existingUserPool: props.existingUserPool });
    const identity = this.identity;
    this.api = new RosterHttpApi(this, 'HttpApi', {
      apiName: id,
      jwtIssuer: identity.jwtIssuer,
      jwtAudience: [identity.userPoolClientId],
      ...(props.corsAllowedOrigins ? { corsAllowedOrigins: props.corsAllowedOrigins } : {}),
      ...(props.throttling ? { throttling: props.throttling } : {}),
      ...(props.routeThrottling ? { routeThrottling: props.routeThrottling } : {}),
      ...(props.logRetention === undefined ? {} : { accessLogRetention: props.logRetention }),
    });

    this.console = new ConsoleSite(this, 'Console', {
      api: this.api,
      userPoolClientId: identity.userPoolClientId,
      ...(identity.oauthBaseUrl ? { oauthBaseUrl: identity.oauthBaseUrl } : {}),
      ...(props.appDomain
        ? {
            domain: {
              name: props.appDomain.name,
              certificate: Certificate.fromCertificateArn(this, 'AppCertificate', props.appDomain.certificateArn),
            },
          }
        : {}),
      ...(props.consoleDistDir ? { distDir: props.consoleDistDir } : {}),
    });
    this.appUrl = this.console.url;

    // The fallback routes (unknown SCIM paths) join their area's stack; API Gateway tries them last.
    const allRoutes = [...(props.routes ?? ROUTES), ...FALLBACK_ROUTES];
    const routeStacks = new Map<string, ApiRoutesStack>();
    for (const [area, routes] of groupRoutesByArea(allRoutes)) {
      routeStacks.set(
        area,
        new ApiRoutesStack(this, `${pascalCase(area)}Routes`, {
          description: `Roster API: ${area} routes`,
          routes,
          api: this.api,
          table: props.table,
          ...(props.exportBucket ? { exportBucket: props.exportBucket } : {}),
          ...(props.secretsKey ? { secretsKey: props.secretsKey } : {}),
          identity,
          functionsDir: props.functionsDir ?? join(PROJECT_ROOT, 'functions'),
          environment: {
            tableName: props.table.tableName,
            userPoolId: identity.userPoolId,
            userPoolClientId: identity.userPoolClientId,
            appUrl: this.appUrl,
            mailFrom: props.mailFrom,
            logLevel: props.logLevel ?? 'INFO',
          },
          ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
        }),
      );
    }
    this.routeStacks = routeStacks;
    // Route settings name route keys, which must exist when the stage is deployed.
    this.api.throttleRoutes(allRoutes);
    for (const routeStack of routeStacks.values()) this.api.stage.node.addDependency(routeStack);
    enforceResourceBudget(this);
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ConsoleUrl', {
      description: 'The console, and the API on the same origin (APP_URL)',
      value: this.appUrl,
    });
  }
}
