import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionEnvironment } from '../constructs/api-function.js';
import { ApiRoute } from '../constructs/api-route.js';
import type { RosterHttpApi } from '../constructs/roster-http-api.js';
import type { RosterIdentity } from '../constructs/roster-identity.js';
import type { ExportBucket } from '../constructs/export-bucket.js';
import type { RosterTable } from '../constructs/roster-table.js';
import type { SecretsKey } from '../constructs/secrets-key.js';
import type { FallbackRouteDefinition, RouteDefinition } from '../routes.js';
import { enforceResourceBudget } from '../constructs/resource-budget.js';
import { pascalCase } from './route-areas.js';

export interface ApiRoutesStackProps extends NestedStackProps {
  /** The routes of one area (one folder under functions/), its fallback routes included. */
  readonly routes: readonly (RouteDefinition | FallbackRouteDefinition)[];
  readonly api: RosterHttpApi;
  readonly table: RosterTable;
  readonly exportBucket?: ExportBucket;
  readonly secretsKey?: SecretsKey;
  readonly identity: RosterIdentity;
  readonly functionsDir: string;
  readonly environment: FunctionEnvironment;
  /** @default ApiFunction's default */
  readonly logRetention?: RetentionDays;
}

/**
 * The functions and routes of one area, in a nested stack of their own: each route costs
 * about seven resources, and one template holds at most 500.
 */
export class ApiRoutesStack extends NestedStack {
  /** The area's routes by handler module. */
  readonly routes: ReadonlyMap<string, ApiRoute>;

  constructor(scope: Construct, id: string, props: ApiRoutesStackProps) {
    super(scope, id, props);
    const routes = new Map<string, ApiRoute>();
    for (const route of props.routes) {
      const operation = route.handler.split('/').pop() ?? route.handler;
      routes.set(
        route.handler,
        new ApiRoute(this, pascalCase(operation), {
          route,
          api: props.api,
          table: props.table,
          ...(props.exportBucket ? { exportBucket: props.exportBucket } : {}),
          ...(props.secretsKey ? { secretsKey: props.secretsKey } : {}),
          identity: props.identity,
          functionsDir: props.functionsDir,
          environment: props.environment,
          ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
        }),
      );
    }
    this.routes = routes;
    enforceResourceBudget(this);
  }
}
