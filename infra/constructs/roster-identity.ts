import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  OAuthScope,
  StringAttribute,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type IUserPool,
  type IUserPoolClient,
  type LambdaVersion,
  type UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Grant, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { CfnFunction, Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { IdentityAction } from '../routes.js';

/** The Cognito group whose members may create organizations (`POST /v1/orgs`). */
export const PLATFORM_ADMIN_GROUP = 'platform_admin';

/** A Cognito pool and SPA client created outside this app. */
export interface ExistingUserPool {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

export interface RosterIdentityProps {
  /**
   * Import this pool and SPA client instead of creating them (their settings are then the
   * owner's business, and the `platform_admin` group must already exist in the pool).
   * @default - a new pool and client are created
   */
  readonly existingUserPool?: ExistingUserPool;
  /**
   * Minimum password length; upper, lower, digit and symbol are always required.
   * @default 12
   */
  readonly passwordMinLength?: number;
  /**
   * Refuse `DeleteUserPool` until it is turned off (created pool only).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What CloudFormation does with a created pool when it leaves the stack.
   * @default RemovalPolicy.RETAIN, the pool holds every person's credentials
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Managed login for SSO (created pool only): a Cognito domain with this prefix, and the SPA
   * client's OAuth settings (authorization code grant, PKCE from the console, scopes openid, email,
   * profile and aws.cognito.signin.user.admin, callback `<consoleUrl>/sign-in/callback`).
   * @default - none: password sign-in through the user-pool API only
   */
  readonly managedLogin?: { readonly domainPrefix: string; readonly consoleUrl: string };
}

/** The console's OAuth callback route (console/src: /sign-in/callback). */
export const OAUTH_CALLBACK_PATH = '/sign-in/callback';

/**
 * Who people are: a Cognito user pool (email sign-in, optional TOTP, threat protection), the
 * admin SPA's public client and the `platform_admin` group; or an existing pool, imported.
 * Functions get Cognito admin actions only through `grantAdminActions`.
 */
export class RosterIdentity extends Construct {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Set when the pool is created here; undefined for an imported pool. */
  readonly ownedUserPool: UserPool | undefined;
  /** The managed login's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`), when set up. */
  readonly oauthBaseUrl: string | undefined;

  constructor(scope: Construct, id: string, props: RosterIdentityProps = {}) {
    super(scope, id);
    if (props.existingUserPool) {
      this.userPool = UserPool.fromUserPoolId(this, 'UserPool', props.existingUserPool.userPoolId);
      this.userPoolClient = UserPoolClient.fromUserPoolClientId(
        this,
        'SpaClient',
        props.existingUserPool.userPoolClientId,
      );
      this.ownedUserPool = undefined;
      this.oauthBaseUrl = undefined;
      return;
    }

    const pool = new UserPool(this, 'UserPool', {
      // Email is the username: one person, one email, platform-wide, compared case-insensitively.
      signInAliases: { email: true, username: false },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email takes effect only once verified, so a typo cannot lock a person out.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Lazy identities: an identity created for an existing Roster user carries that user's id
      // (Cognito chooses the sub). Immutable, so neither the person nor an admin call can change it.
      customAttributes: {
        roster_user_id: new StringAttribute({ mutable: false, minLen: 1, maxLen: 64 }),
        // An SSO connection maps the IdP's groups here (shared/sso/connection.ts GROUPS_ATTRIBUTE) for its role mapping.
        groups: new StringAttribute({ mutable: true, maxLen: 2048 }),
      },
      // People arrive through invitations, join requests, SCIM or an admin, all via Roster.
      selfSignUpEnabled: false,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true, email: false },
      passwordPolicy: {
        minLength: props.passwordMinLength ?? 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, risky sign-ins) needs the Plus plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional at the pool on purpose: each org decides with its mfaRequired setting, ' +
        'which Roster enforces on every request (403 mfa_enrollment_required); forcing it ' +
        'pool-wide would impose MFA on the members of every org.',
    });

    pool.addGroup('PlatformAdminGroup', {
      groupName: PLATFORM_ADMIN_GROUP,
      description: 'Platform operators: may create organizations and change their seat limits.',
    });

    const managedLogin = props.managedLogin;
    const client = pool.addClient('SpaClient', {
      // A browser cannot keep a secret.
      generateSecret: false,
      // The console calls InitiateAuth with USER_PASSWORD_AUTH (over TLS, straight to Cognito's
      // user-pool API; the same subset `npm start` answers locally) and REFRESH_TOKEN_AUTH, which
      // CDK always allows. No SRP: the console does not use it, and an unused flow is surface.
      authFlows: { userPassword: true },
      // SSO goes through managed login: the authorization code grant, with PKCE (S256) from the
      // console (a public client; no implicit grant). aws.cognito.signin.user.admin is the scope
      // Roster's JWT routes require, so OAuth tokens work on the API as password ones do.
      ...(managedLogin
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE, OAuthScope.COGNITO_ADMIN],
              callbackUrls: [`${managedLogin.consoleUrl}${OAUTH_CALLBACK_PATH}`],
              logoutUrls: [`${managedLogin.consoleUrl}/sign-in`],
            },
          }
        : { disableOAuth: true }),
      // Connections add their providers at run time (UpdateUserPoolClient from the registry,
      // shared/sso/provider-registry.ts); a deploy that rewrites this list is repaired by the next sync.
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    this.userPoolClient = client;
    if (managedLogin) {
      const domain = pool.addDomain('Domain', {
        cognitoDomain: { domainPrefix: managedLogin.domainPrefix },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      // Managed login shows its pages (an IdP's error, the sign-out) only with a style for the client: Cognito's own.
      new CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
        userPoolId: pool.userPoolId,
        clientId: client.userPoolClientId,
        useCognitoProvidedValues: true,
      });
      this.oauthBaseUrl = domain.baseUrl();
    } else {
      this.oauthBaseUrl = undefined;
    }
    this.userPool = pool;
    this.ownedUserPool = pool;
    this.blockSelfServiceMfaChanges(pool);
  }

  /** The Cognito operations, called with a person's own access token, that the pool's web ACL blocks. */
  static readonly BLOCKED_SELF_SERVICE_OPERATIONS = ['SetUserMFAPreference', 'SetUserSettings'] as const;

  /**
   * Cognito tells Roster nothing when a person changes their MFA with their own access token
   * (SetUserMFAPreference, or SetUserSettings, its legacy form), yet `mfaRequired` orgs must
   * follow the change on the next request. The web ACL blocks those two calls at the pool; the
   * console turns MFA on or off through PUT /v1/me/mfa, whose function calls
   * AdminSetUserMFAPreference (IAM-authorized, which the web ACL does not inspect) and records the
   * change. With an imported pool the owner must do the same; the pre-token-generation trigger's
   * re-read at each refresh is the fallback.
   */
  private blockSelfServiceMfaChanges(pool: UserPool): void {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const targetIs = (operation: string) => ({
      byteMatchStatement: {
        // L1 JSON property: CloudFormation's own casing.
        fieldToMatch: { singleHeader: { Name: 'x-amz-target' } },
        positionalConstraint: 'EXACTLY',
        searchString: `awscognitoidentityproviderservice.${operation.toLowerCase()}`,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    const webAcl = new CfnWebACL(this, 'UserPoolWebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('RosterUserPool'),
      rules: [
        {
          name: 'BlockSelfServiceMfaChanges',
          priority: 0,
          action: { block: {} },
          statement: { orStatement: { statements: RosterIdentity.BLOCKED_SELF_SERVICE_OPERATIONS.map(targetIs) } },
          visibilityConfig: visibility('RosterBlockedSelfServiceMfaChanges'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'UserPoolWebAclAssociation', {
      resourceArn: pool.userPoolArn,
      webAclArn: webAcl.attrArn,
    });
  }

  get userPoolId(): string {
    return this.userPool.userPoolId;
  }

  get userPoolArn(): string {
    return this.userPool.userPoolArn;
  }

  get userPoolClientId(): string {
    return this.userPoolClient.userPoolClientId;
  }

  /** The issuer of the pool's tokens, as API Gateway's JWT authorizer expects it. */
  get jwtIssuer(): string {
    return `https://cognito-idp.${Stack.of(this.userPool).region}.amazonaws.com/${this.userPoolId}`;
  }

  /** Exactly these Cognito admin actions, on this pool only. No actions, no grant. */
  grantAdminActions(grantee: IGrantable, actions: readonly IdentityAction[]): Grant | undefined {
    if (actions.length === 0) return undefined;
    return Grant.addToPrincipal({ grantee, actions: [...new Set(actions)], resourceArns: [this.userPoolArn] });
  }

  /**
   * Seam for the Cognito triggers (post-authentication: last login; pre-authentication: block
   * suspended users). Only a pool created here can take triggers; an imported pool's owner
   * wires them by hand.
   *
   * A trigger usually calls back into its pool (USER_POOL_ID in its environment, Cognito
   * admin actions granted on the pool ARN), while the pool names the trigger in its
   * LambdaConfig: pool → function → pool, a cycle CloudFormation refuses. The pool therefore
   * names the trigger by an ARN built from the function's fixed name and the stack's region
   * and account (no reference to the function), so the function may depend on the pool, and
   * the invoke permission is created on the function itself, after both.
   * `fn` must be in the pool's stack and have a fixed `functionName`.
   */
  addTrigger(operation: UserPoolOperation, fn: IFunction, lambdaVersion?: LambdaVersion): void {
    const pool = this.ownedUserPool;
    if (!pool) {
      throw new Error(`Cannot add the ${operation.operationName} trigger to an imported user pool`);
    }
    const cfnFunction = fn.node.defaultChild;
    const functionName = cfnFunction instanceof CfnFunction ? cfnFunction.functionName : undefined;
    if (functionName === undefined || Token.isUnresolved(functionName)) {
      throw new Error(`${fn.node.path}: a ${operation.operationName} trigger needs a fixed functionName`);
    }
    const stack = Stack.of(pool);
    const name = operation.operationName.charAt(0).toUpperCase() + operation.operationName.slice(1);
    if (Stack.of(fn) !== stack) throw new Error(`${fn.node.path}: a trigger lives in its pool's stack`);
    const byName = LambdaFunction.fromFunctionAttributes(this, `${name}Trigger`, {
      functionArn: stack.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: functionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      // The permission the pool would add for this by-name function could be created before
      // the function exists; it is added to the function itself below instead.
      sameEnvironment: false,
      skipPermissions: true,
    });
    pool.addTrigger(operation, byName, lambdaVersion);
    fn.addPermission(`${name}Cognito`, {
      principal: new ServicePrincipal('cognito-idp.amazonaws.com'),
      sourceArn: this.userPoolArn,
    });
  }
}
