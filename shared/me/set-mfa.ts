import { recordMfaPreference } from '../credentials/sign-in.js';
import type { Database } from '../data/dynamo-client.js';
import { ConflictError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';

/**
 * The signed-in person turns their authenticator-app factor on or off. Roster makes the change
 * at the identity provider and records it on the user in the same request, so `mfaRequired`
 * orgs answer accordingly on the very next request. This is the only way to change it: Cognito's
 * own SetUserMFAPreference is blocked for the app (the user pool's web ACL; locally
 * `/local/cognito` refuses it the same way), since Cognito tells Roster nothing of such a change.
 */
export async function setOwnMfa(
  deps: { db: Database; identity: IdentityPort },
  userId: string,
  enabled: boolean,
  now: Date,
): Promise<{ mfaEnabled: boolean }> {
  if ((await deps.identity.setSoftwareTokenMfa(userId, enabled)) === 'not_verified') {
    throw new ConflictError(
      'Verify a code of your authenticator app first; then turn two-factor authentication on',
      'mfa_not_verified',
    );
  }
  await recordMfaPreference(deps.db, userId, enabled, now);
  return { mfaEnabled: enabled };
}
