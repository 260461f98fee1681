import {
  Tags,
  Validations,
  type App,
  type IPolicyValidationContext,
  type PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack.js';
import { AsyncStack } from './async-stack.js';
import { DataStack } from './data-stack.js';
import { IdentityStack } from './identity-stack.js';
import type { RosterSettings } from './settings.js';
import type { RouteDefinition } from '../routes.js';

export interface RosterStacks {
  readonly data: DataStack;
  /** Absent when the app uses an existing pool (context existingUserPoolId). */
  readonly identity: IdentityStack | undefined;
  readonly api: ApiStack;
  readonly async: AsyncStack;
}

export interface ComposeRosterOptions {
  /**
   * The route table.
   * @default ROUTES
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * Where the route handler modules live (the mailer and the Cognito triggers are always
   * taken from <repository>/functions).
   * @default <repository>/functions
   */
  readonly functionsDir?: string;
  /**
   * The built console the API stack uploads.
   * @default <repository>/console/dist
   */
  readonly consoleDistDir?: string;
}

/**
 * Every stack of one stage. They are environment-agnostic (no account or region): the
 * app synthesizes offline, and `cdk deploy` targets the account and region of the caller's
 * credentials. Data and identity are separate stacks because they are retained and change
 * rarely; the API is redeployed often. The async stack (outbox mailer, later the invitation
 * expiry schedule; the sign-in triggers too when the pool is imported) reads `data.table`,
 * `data.mailSender` and `api.identity`. References run one way: identity, api and async read
 * data; api and async read identity; async reads api (the console's origin, APP_URL, from the
 * distribution there); nothing reads async.
 */
export function composeRoster(app: App, settings: RosterSettings, options: ComposeRosterOptions = {}): RosterStacks {
  const prefix = `Roster-${settings.stage}`;
  const data = new DataStack(app, `${prefix}-Data`, {
    description: 'Roster: the single DynamoDB table and the SES sender identity (retained)',
    mailFrom: settings.mailFrom,
    sesCreateEmailIdentity: settings.sesCreateEmailIdentity,
    tableDeletionProtection: settings.tableDeletionProtection,
  });
  const identity = settings.existingUserPool
    ? undefined
    : new IdentityStack(app, `${prefix}-Identity`, {
        description: 'Roster: Cognito user pool, SPA client, platform_admin group and sign-in triggers',
        table: data.table,
        ...(settings.appDomain ? { appUrl: `https://${settings.appDomain.name}` } : {}),
        ...(settings.userPoolDomainPrefix ? { userPoolDomainPrefix: settings.userPoolDomainPrefix } : {}),
        mailFrom: settings.mailFrom,
        userPoolDeletionProtection: settings.userPoolDeletionProtection,
        logRetention: settings.logRetention,
        logLevel: settings.logLevel,
      });
  const api = new ApiStack(app, `${prefix}-Api`, {
    description: 'Roster: HTTP API, one Lambda function per route',
    table: data.table,
    exportBucket: data.exportBucket,
    secretsKey: data.secretsKey,
    ...(identity ? { identity: identity.identity } : { existingUserPool: settings.existingUserPool }),
    ...(settings.appDomain ? { appDomain: settings.appDomain } : {}),
    mailFrom: settings.mailFrom,
    corsAllowedOrigins: settings.corsAllowedOrigins,
    throttling: settings.apiThrottling,
    routeThrottling: settings.routeThrottling,
    logRetention: settings.logRetention,
    logLevel: settings.logLevel,
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.functionsDir ? { functionsDir: options.functionsDir } : {}),
    ...(options.consoleDistDir ? { consoleDistDir: options.consoleDistDir } : {}),
  });
  const async = new AsyncStack(app, `${prefix}-Async`, {
    description: 'Roster: outbox mailer and member export writer on the table stream',
    table: data.table,
    exportBucket: data.exportBucket,
    identity: api.identity,
    mailSender: data.mailSender,
    secretsKey: data.secretsKey,
    appUrl: api.appUrl,
    logRetention: settings.logRetention,
    logLevel: settings.logLevel,
  });
  Tags.of(app).add('app', 'roster');
  Tags.of(app).add('stage', settings.stage);
  return { data, identity, api, async };
}

/**
 * cdk-nag's AwsSolutions pack, with every finding an error. cdk-nag reports some rules as
 * warnings, and CDK fails the synth on errors only; a finding nobody acknowledged with a
 * reason must stop the synth whatever its level.
 */
export class StrictAwsSolutionsChecks extends AwsSolutionsChecks {
  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = super.validate(context);
    return {
      ...report,
      success: report.violations.length === 0,
      violations: report.violations.map((violation) => ({ ...violation, severity: 'error' })),
    };
  }
}

/** Runs the AwsSolutions checks over the whole app at synth (see StrictAwsSolutionsChecks). */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new StrictAwsSolutionsChecks(app));
}
