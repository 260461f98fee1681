import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PROJECT_ROOT } from '../constructs/api-function.js';
import { RosterIdentity } from '../constructs/roster-identity.js';
import type { RosterTable } from '../constructs/roster-table.js';
import { SignInTriggers } from '../constructs/sign-in-triggers.js';

export interface IdentityStackProps extends StackProps {
  /** The table the sign-in triggers read and write. */
  readonly table: RosterTable;
  /**
   * The console's origin (APP_URL) when known at synth (a custom domain). The triggers build no
   * mailed links, and the distribution's own domain is only known in the API stack, which reads this one.
   * @default - no APP_URL
   */
  readonly appUrl?: string;
  /** Verified SES sender (MAIL_FROM). */
  readonly mailFrom: string;
  /**
   * Cognito deletion protection (created pool only).
   * @default true
   */
  readonly userPoolDeletionProtection?: boolean;
  /**
   * Managed login's domain prefix (SSO): needs appUrl, the console's origin the OAuth callback is on.
   * @default - no managed login
   */
  readonly userPoolDomainPrefix?: string;
  /** Trigger log retention. @default ApiFunction's default */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: string;
  /**
   * Where the trigger modules live (`triggers/<name>.ts`).
   * @default <repository>/functions
   */
  readonly functionsDir?: string;
}

/**
 * Who people are: the Cognito user pool, its SPA client, the platform_admin group and the
 * sign-in triggers (pre-authentication: block; post-authentication: last login), attached
 * through `identity.addTrigger(...)`. The triggers live here because a trigger function in
 * another stack would make the stacks reference each other. Not created when the app uses an
 * existing pool (see ApiStack's `existingUserPool`); the triggers then go to the async stack.
 */
export class IdentityStack extends Stack {
  readonly identity: RosterIdentity;
  readonly signInTriggers: SignInTriggers;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    this.identity = new RosterIdentity(this, 'Identity', {
      deletionProtection: props.userPoolDeletionProtection ?? true,
      ...(props.userPoolDomainPrefix && props.appUrl
        ? { managedLogin: { domainPrefix: props.userPoolDomainPrefix, consoleUrl: props.appUrl } }
        : {}),
    });
    this.signInTriggers = new SignInTriggers(this, 'SignInTriggers', {
      identity: this.identity,
      table: props.table,
      functionsDir: props.functionsDir ?? join(PROJECT_ROOT, 'functions'),
      environment: {
        tableName: props.table.tableName,
        userPoolId: this.identity.userPoolId,
        ...(props.appUrl ? { appUrl: props.appUrl } : {}),
        mailFrom: props.mailFrom,
        logLevel: props.logLevel ?? 'INFO',
      },
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.userPoolClientId });
    if (this.identity.oauthBaseUrl)
      new CfnOutput(this, 'OAuthBaseUrl', {
        description:
          'Managed login (SSO): IdPs redirect to <this>/oauth2/idpresponse (OIDC) or <this>/saml2/idpresponse (SAML ACS)',
        value: this.identity.oauthBaseUrl,
      });
  }
}
