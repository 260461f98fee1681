import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SELF_AUTHENTICATED, type RouteAuth } from '../routes.js';

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

  constructor(scope: Construct, id: string, props: RosterHttpApiProps) {
    super(scope, id);
    const origins = props.corsAllowedOrigins ?? [];
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

  /** The stage's base URL. */
  get url(): string {
    return this.stage.url;
  }

  /** The authorizer a route of this kind gets: none for self-authenticated routes, else the JWT one. */
  authorizerFor(auth: RouteAuth): IHttpRouteAuthorizer {
    return SELF_AUTHENTICATED.includes(auth) ? new HttpNoneAuthorizer() : this.jwtAuthorizer;
  }
}
