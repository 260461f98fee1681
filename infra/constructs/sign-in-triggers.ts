import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { LambdaVersion, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SIGN_IN_TRIGGERS, type SignInTrigger } from '../../shared/identity/sign-in-triggers.js';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { RosterIdentity } from './roster-identity.js';
import type { RosterTable } from './roster-table.js';

/** Lambda's limit on a function name. */
const MAX_FUNCTION_NAME_LENGTH = 64;

export interface SignInTriggersProps {
  /** The pool the triggers serve: attached when Roster created it, left for its owner otherwise. */
  readonly identity: RosterIdentity;
  readonly table: RosterTable;
  /** Directory holding `triggers/pre-authentication.ts` and `triggers/post-authentication.ts`. */
  readonly functionsDir: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
}

/**
 * Cognito's sign-in triggers: pre-authentication refuses a user whose every membership is
 * suspended or deprovisioned; post-authentication records the last login; pre-token generation
 * (event version 2) puts the Roster user id of an identity created for an existing Roster user
 * into its tokens (lazy identities) and, on a token refresh, records the MFA state Cognito
 * reports. Each gets only what its handler does: pre-authentication Queries the index of a
 * user's memberships; post-authentication also updates user and membership items, reads user
 * items (the identity's username) and the user's MFA state (cognito-idp:AdminGetUser, on this
 * pool only); pre-token generation reads and updates user items and reads the MFA state.
 *
 * With a pool Roster created, the triggers are attached through `identity.addTrigger`, which
 * needs fixed function names (`<stack>-pre-authentication`, `<stack>-post-authentication`).
 * With an imported pool, nothing here can change the pool: its owner must set the two
 * functions (see `preAuthentication` and `postAuthentication`, exported as stack outputs) as
 * the pool's Pre authentication and Post authentication triggers. Cognito may already invoke
 * them: the invoke permissions for that pool are created here.
 */
export class SignInTriggers extends Construct {
  readonly preAuthentication: ApiFunction;
  readonly postAuthentication: ApiFunction;
  readonly preTokenGeneration: ApiFunction;
  /** PreSignUp_ExternalProvider: links a first federated sign-in to the Roster user with that email. */
  readonly preSignUp: ApiFunction;
  /** User migration: a pending Roster user's identity, created by Cognito at their first password sign-in or reset. */
  readonly userMigration: ApiFunction;
  /** Whether the triggers are attached to the pool (a pool Roster created). */
  readonly attached: boolean;

  constructor(scope: Construct, id: string, props: SignInTriggersProps) {
    super(scope, id);
    const { identity, table } = props;
    this.attached = identity.ownedUserPool !== undefined;
    const stackName = Stack.of(this).stackName;

    const trigger = (constructId: string, declared: SignInTrigger, description: string): ApiFunction => {
      const functionName = `${stackName}-${declared.handler.slice('triggers/'.length)}`;
      if (this.attached && functionName.length > MAX_FUNCTION_NAME_LENGTH) {
        throw new Error(
          `${this.node.path}: function name ${functionName} is over ${MAX_FUNCTION_NAME_LENGTH} characters`,
        );
      }
      return new ApiFunction(this, constructId, {
        entry: join(props.functionsDir, `${declared.handler}.ts`),
        description,
        environment: props.environment,
        // Cognito waits 5 s for a trigger, then fails the sign-in.
        timeout: Duration.seconds(5),
        ...(this.attached ? { functionName } : {}),
        ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      });
    };
    this.preAuthentication = trigger(
      'PreAuthentication',
      SIGN_IN_TRIGGERS.preAuthentication,
      'Cognito pre-authentication: refuse suspended users and passwords where the org requires SSO',
    );
    this.postAuthentication = trigger(
      'PostAuthentication',
      SIGN_IN_TRIGGERS.postAuthentication,
      'Cognito post-authentication: record last login',
    );
    this.preTokenGeneration = trigger(
      'PreTokenGeneration',
      SIGN_IN_TRIGGERS.preTokenGeneration,
      'Cognito pre-token generation: the Roster user id claim, the MFA state on refresh, SSO just-in-time members',
    );
    this.preSignUp = trigger('PreSignUp', SIGN_IN_TRIGGERS.preSignUp, 'Cognito pre sign-up: link a federated identity');
    this.userMigration = trigger(
      'UserMigration',
      SIGN_IN_TRIGGERS.userMigration,
      'Cognito user migration: the identity of a pending Roster user',
    );

    // Pre- and post-authentication: narrower than their declared families (the grants say how).
    table.grantPasswordSignInCheck(this.preAuthentication);
    table.grantSignInRecording(this.postAuthentication);
    identity.grantAdminActions(this.postAuthentication, ['cognito-idp:AdminGetUser']);
    table.grant(this.preTokenGeneration, SIGN_IN_TRIGGERS.preTokenGeneration.table);
    table.grant(this.preSignUp, SIGN_IN_TRIGGERS.preSignUp.table);
    identity.grantAdminActions(this.preSignUp, [
      'cognito-idp:AdminLinkProviderForUser',
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
    ]);
    table.grantMfaStateRecording(this.preTokenGeneration);
    table.grant(this.userMigration, SIGN_IN_TRIGGERS.userMigration.table);
    identity.grantAdminActions(this.preTokenGeneration, ['cognito-idp:AdminGetUser']);

    if (this.attached) {
      identity.addTrigger(UserPoolOperation.PRE_AUTHENTICATION, this.preAuthentication.function);
      identity.addTrigger(UserPoolOperation.POST_AUTHENTICATION, this.postAuthentication.function);
      identity.addTrigger(UserPoolOperation.PRE_SIGN_UP, this.preSignUp.function);
      identity.addTrigger(UserPoolOperation.USER_MIGRATION, this.userMigration.function);
      identity.addTrigger(
        UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
        this.preTokenGeneration.function,
        LambdaVersion.V2_0,
      );
    } else {
      for (const fn of [
        this.preAuthentication,
        this.postAuthentication,
        this.preTokenGeneration,
        this.preSignUp,
        this.userMigration,
      ]) {
        fn.function.addPermission('CognitoInvoke', {
          principal: new ServicePrincipal('cognito-idp.amazonaws.com'),
          sourceArn: identity.userPoolArn,
        });
      }
    }
  }
}
