import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type CfnStage,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  API_ACCESS_SCOPE,
  SELF_AUTHENTICATED,
  type FallbackRouteDefinition,
  type RouteAuth,
  type RouteDefinition,
} from '../routes.js';

export interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Route-level throttling of the routes identity providers call, by route kind. */
export const DEFAULT_ROUTE_THROTTLING: Readonly<Partial<Record<RouteAuth, Throttling>>> = {
  scim: { rateLimit: 20, burstLimit: 40 },
  webhook: { rateLimit: 10, burstLimit: 20 },
};

export interface RosterHttpApiProps {
  /** @default - the construct id */
  readonly apiName?: string;
  /** Token issuer the JWT authorizer trusts: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly jwtIssuer: string;
  /** Accepted `aud` (ID tokens) or `client_id` (access tokens): the SPA client ids. */
  readonly jwtAudience: readonly string[];
  /**
   * Origins the API answers CORS preflights for.
   * @default [] - no CORS configuration
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * Default-stage throttling, for the whole API.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Route-level throttling by route kind, for the routes `throttleRoutes` is given: each such
   * route gets its own rate and burst on the stage, below the stage default, so an IdP's
   * provisioning run or a webhook storm cannot use up the admin API's share.
   * @default DEFAULT_ROUTE_THROTTLING
   */
  readonly routeThrottling?: Readonly<Partial<Record<RouteAuth, Throttling>>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * Access-log fields. The route key, never the raw path: paths carry invitation and
 * password-reset tokens, which must not land in logs.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
});

/**
 * The HTTP API (API Gateway v2): default stage with throttling and JSON access logs, CORS
 * for the SPA, and the Cognito JWT authorizer. Routes are added elsewhere (possibly in other
 * stacks) with `authorizerFor`.
 */
export class RosterHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  readonly jwtAuthorizer: HttpJwtAuthorizer;
  private readonly routeThrottling: Readonly<Partial<Record<RouteAuth, Throttling>>>;
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, props: RosterHttpApiProps) {
    super(scope, id);
    const origins = props.corsAllowedOrigins ?? [];
    this.routeThrottling = props.routeThrottling ?? DEFAULT_ROUTE_THROTTLING;
    this.jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
    });

    this.httpApi = new HttpApi(this, 'Api', {
      apiName: props.apiName ?? id,
      // Fail closed: a route added without an explicit authorizer still needs a valid JWT.
      defaultAuthorizer: this.jwtAuthorizer,
      createDefaultStage: false,
      ...(origins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...origins],
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PUT,
                CorsHttpMethod.PATCH,
                CorsHttpMethod.DELETE,
              ],
              allowHeaders: ['authorization', 'content-type'],
              // Bearer tokens, not cookies: nothing to share across origins.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
    });
    const throttling = props.throttling ?? { rateLimit: 50, burstLimit: 100 };
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: { rateLimit: throttling.rateLimit, burstLimit: throttling.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
  }

  /**
   * Gives each route of a throttled kind its own limits on the stage (RouteSettings by route
   * key: HttpStage has no route-level throttling of its own). The stage must then be deployed
   * after the routes exist: the caller makes it depend on the stacks that create them.
   */
  throttleRoutes(routes: readonly (RouteDefinition | FallbackRouteDefinition)[]): void {
    for (const route of routes) {
      const limits = this.routeThrottling[route.auth];
      if (!limits) continue;
      this.routeSettings[`${route.method} ${route.path}`] = {
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
      };
    }
    if (Object.keys(this.routeSettings).length > 0)
      (this.stage.node.defaultChild as CfnStage).routeSettings = { ...this.routeSettings };
  }

  /** The stage's base URL. */
  get url(): string {
    return this.stage.url;
  }

  /** The authorizer a route of this kind gets: none for self-authenticated routes, else the JWT one. */
  authorizerFor(auth: RouteAuth): IHttpRouteAuthorizer {
    return SELF_AUTHENTICATED.includes(auth) ? new HttpNoneAuthorizer() : this.jwtAuthorizer;
  }

  /** The scopes a route of this kind requires of its token: access tokens only behind the JWT authorizer (see API_ACCESS_SCOPE). */
  authorizationScopesFor(auth: RouteAuth): string[] | undefined {
    return SELF_AUTHENTICATED.includes(auth) ? undefined : [API_ACCESS_SCOPE];
  }
}
