import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RosterIdentity } from '../constructs/roster-identity.js';

export interface IdentityStackProps extends StackProps {
  /**
   * Cognito deletion protection (created pool only).
   * @default true
   */
  readonly userPoolDeletionProtection?: boolean;
}

/**
 * Who people are: the Cognito user pool, its SPA client and the platform_admin group. Not
 * created when the app uses an existing pool (see ApiStack's `existingUserPool`).
 * Cognito triggers (post-authentication: last login; pre-authentication: block) belong in
 * this stack, added through `identity.addTrigger(...)`: a trigger function elsewhere would
 * make the stacks reference each other.
 */
export class IdentityStack extends Stack {
  readonly identity: RosterIdentity;

  constructor(scope: Construct, id: string, props: IdentityStackProps = {}) {
    super(scope, id, props);
    this.identity = new RosterIdentity(this, 'Identity', {
      deletionProtection: props.userPoolDeletionProtection ?? true,
    });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.userPoolClientId });
  }
}
