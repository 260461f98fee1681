import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal, type IGrantable, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, RuntimeFamily, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config.js';
import { BUNDLING, LAMBDA_NODE_TARGET } from '../bundling.js';

/** The repository root: esbuild's working directory and where the lock file lives. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What every Roster function reads at cold start (see shared/config.ts). */
export interface FunctionEnvironment {
  readonly tableName: string;
  readonly userPoolId: string;
  /** The SPA's app client: public routes that verify a bearer token themselves accept only its tokens. */
  readonly userPoolClientId?: string;
  /**
   * The console's origin, which mailed links start with (APP_URL). Only functions that build
   * links need it; the sign-in triggers build none and may run before the console exists.
   */
  readonly appUrl?: string;
  readonly mailFrom: string;
  /** POWERTOOLS_LOG_LEVEL. */
  readonly logLevel: string;
}

export interface ApiFunctionProps {
  /** Absolute path of the handler module; it exports `handler`. */
  readonly entry: string;
  readonly environment: FunctionEnvironment;
  /** @default - none */
  readonly description?: string;
  /**
   * A fixed name, for the rare function something must address before it exists (a Cognito
   * trigger: the pool names it by ARN, see RosterIdentity.addTrigger). A named function
   * cannot be replaced in place, so leave it unset otherwise.
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * Memory; Lambda's CPU share grows with it, so cold starts shorten too.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Beyond API Gateway's 30 s, a longer timeout only burns money.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * X-Ray active tracing.
   * @default true
   */
  readonly tracing?: boolean;
}

/** The Lambda runtime matching the esbuild target every bundle is built for. */
export function lambdaRuntime(): Runtime {
  const name = LAMBDA_NODE_TARGET.replace(/^node(\d+)$/, 'nodejs$1.x');
  const runtime = Runtime.ALL.find((candidate) => candidate.name === name);
  if (!runtime) throw new Error(`No Lambda runtime ${name} for the bundling target ${LAMBDA_NODE_TARGET}`);
  return runtime;
}

function nodeMajor(runtime: Runtime): number {
  return Number(/^nodejs(\d+)\.x$/.exec(runtime.name)?.[1] ?? 0);
}

/**
 * One Lambda function with the house defaults: ARM64, the bundling-target Node runtime,
 * minified ESM with source maps (esbuild, locally), its own log group with retention, a
 * role that can write only that log group, and the Powertools environment. Permissions
 * beyond logging come only from explicit grants (the table's and the identity's).
 */
export class ApiFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    // Our own role: the default one carries the AWS managed AWSLambdaBasicExecutionRole,
    // which lets the function write every log group in the account.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    this.logGroup.grantWrite(this.role);

    const runtime = lambdaRuntime();
    const { environment } = props;
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      ...(props.description ? { description: props.description } : {}),
      ...(props.functionName ? { functionName: props.functionName } : {}),
      environment: {
        [ENV.tableName]: environment.tableName,
        [ENV.identityMode]: 'cognito',
        [ENV.userPoolId]: environment.userPoolId,
        ...(environment.userPoolClientId ? { [ENV.userPoolClientId]: environment.userPoolClientId } : {}),
        ...(environment.appUrl ? { [ENV.appUrl]: environment.appUrl } : {}),
        [ENV.mailFrom]: environment.mailFrom,
        POWERTOOLS_SERVICE_NAME: 'roster',
        POWERTOOLS_LOG_LEVEL: environment.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        externalModules: [...BUNDLING.externalModules],
        // No Docker here or in CI: the project's own esbuild bundles.
        forceDockerBundling: false,
      },
    });

    if (props.tracing !== false) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement that active tracing adds: xray:PutTraceSegments and ' +
          'xray:PutTelemetryRecords accept no resource ARN, so "*" is the only possible resource.',
      });
    }
    const latestNode = Math.max(...Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS).map(nodeMajor));
    if (nodeMajor(runtime) < latestNode) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          `The runtime follows LAMBDA_NODE_TARGET (${LAMBDA_NODE_TARGET}) in infra/bundling.ts, the ` +
          'target every bundle and the cold-start bench are built for; it is a supported Lambda ' +
          'runtime, and moves with that constant so bundle and runtime never disagree.',
      });
    }
  }

  get grantPrincipal(): IPrincipal {
    return this.function.grantPrincipal;
  }
}
