import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FallbackRouteDefinition, RouteAuth, RouteDefinition } from '../routes.js';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { RosterHttpApi } from './roster-http-api.js';
import type { RosterIdentity } from './roster-identity.js';
import type { ExportBucket } from './export-bucket.js';
import type { RosterTable } from './roster-table.js';
import type { SecretsKey } from './secrets-key.js';

export interface ApiRouteProps {
  /** The row of the route table (or the fallback route) this construct realises. */
  readonly route: RouteDefinition | FallbackRouteDefinition;
  readonly api: RosterHttpApi;
  readonly table: RosterTable;
  /** Required by routes with `objectStore`. */
  readonly exportBucket?: ExportBucket;
  readonly identity: RosterIdentity;
  /** Required by routes with `secrets`. */
  readonly secretsKey?: SecretsKey;
  /** Directory holding the handler modules (`<handler>.ts`). */
  readonly functionsDir: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
}

/**
 * One row of the route table: its function, granted exactly the table access and Cognito
 * actions the row lists (the table narrowed to the row's partition-key families, see
 * RosterTable.grant), behind an HTTP API route with the JWT authorizer unless the route
 * authenticates itself.
 */
export class ApiRoute extends Construct {
  readonly function: ApiFunction;
  readonly httpRoute: HttpRoute;

  constructor(scope: Construct, id: string, props: ApiRouteProps) {
    super(scope, id);
    const { route } = props;

    this.function = new ApiFunction(this, 'Handler', {
      entry: join(props.functionsDir, `${route.handler}.ts`),
      description: `${route.method} ${route.path}`,
      environment: props.environment,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
    props.table.grant(this.function, route.table);
    props.identity.grantAdminActions(this.function, route.identity ?? []);
    if (route.objectStore === 'presignExports') {
      if (!props.exportBucket) throw new Error(`${route.method} ${route.path} needs the export bucket`);
      props.exportBucket.attach(this.function, 'presign');
    }
    if (route.secrets) {
      if (!props.secretsKey) throw new Error(`${route.method} ${route.path} needs the secrets key`);
      props.secretsKey.attach(this.function, route.secrets);
    }

    this.httpRoute = new HttpRoute(this, 'Route', {
      httpApi: props.api.httpApi,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: new HttpLambdaIntegration('Integration', this.function.function),
      authorizer: props.api.authorizerFor(route.auth),
      authorizationScopes: props.api.authorizationScopesFor(route.auth),
    });
    if (route.auth !== 'jwt') {
      Validations.of(this.httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: SELF_AUTHENTICATION_REASONS[route.auth],
      });
    }
  }
}

/** Why a route has no API Gateway authorizer, per auth kind (an acknowledgement must say why). */
const SELF_AUTHENTICATION_REASONS: Record<Exclude<RouteAuth, 'jwt'>, string> = {
  public:
    'Public by design: the OpenAPI document, or a link whose single-use, expiring token in the ' +
    'path is the credential, checked by the function.',
  apiKey: 'Authenticated by the function: an org API key in x-api-key, stored hashed in the table.',
  scim: 'Authenticated by the function: an org SCIM bearer token issued by Roster, not a Cognito JWT.',
  webhook: 'Authenticated by the function: the IdP signs the body with HMAC, verified before any change.',
};
