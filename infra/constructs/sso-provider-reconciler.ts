import { Grant, type IGrantable, type Role } from 'aws-cdk-lib/aws-iam';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { SCHEDULED_JOBS } from '../../shared/async/consumers.js';
import { ssoProviderRegistryKey } from '../../shared/data/keys.js';
import type { IdentityAction } from '../routes.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, scheduleJob, type ConsumerProps } from './async-consumer.js';
import type { RosterIdentity } from './roster-identity.js';
import type { RosterTable } from './roster-table.js';

/**
 * What the reconciler may do at the pool (shared/sso/reconcile-providers.ts): read and rewrite
 * the SPA client's provider list, list the pool's providers and delete the orphans among them.
 * It never creates or changes a provider.
 */
export const SSO_RECONCILER_ACTIONS = [
  'cognito-idp:ListIdentityProviders',
  'cognito-idp:DeleteIdentityProvider',
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
] as const satisfies readonly IdentityAction[];

/** Its rate, timeout and retries are the `ssoProviderReconciler` entry of shared/async/consumers.ts. */
export interface SsoProviderReconcilerProps extends ConsumerProps {
  /** The pool whose providers and SPA client it repairs (the environment must name the client: userPoolClientId). */
  readonly identity: RosterIdentity;
}

/**
 * The SSO provider reconciler: an EventBridge Scheduler schedule invokes a function that makes
 * the SPA client's providers the registry's again and deletes Roster's identity providers that no
 * connection holds (what a connection change that died halfway leaves). Its table access is the
 * registry item only; its Cognito access the four actions above, on this pool only.
 */
export class SsoProviderReconciler extends Construct {
  readonly function: ApiFunction;
  readonly schedule: Schedule;
  readonly scheduleRole: Role;

  constructor(scope: Construct, id: string, props: SsoProviderReconcilerProps) {
    super(scope, id);
    if (!props.environment.userPoolClientId) throw new Error(`${this.node.path}: needs userPoolClientId`);
    this.function = consumerFunction(this, SCHEDULED_JOBS.ssoProviderReconciler, props);
    grantRegistry(props.table, this.function);
    props.identity.grantAdminActions(this.function, SSO_RECONCILER_ACTIONS);
    ({ schedule: this.schedule, role: this.scheduleRole } = scheduleJob(
      this,
      this.function,
      SCHEDULED_JOBS.ssoProviderReconciler,
      'Runs the SSO provider reconciler',
    ));
  }
}

/** GetItem and UpdateItem (syncedVersion) on the registry item's partition only (LeadingKeys). */
function grantRegistry(table: RosterTable, grantee: IGrantable): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    resourceArns: [table.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ssoProviderRegistryKey().PK] } },
  });
}
