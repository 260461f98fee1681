import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config.js';
import { database } from '../data/dynamo-client.js';
import { getUser } from '../users/user-repository.js';
import { CognitoIdentity } from './cognito-identity.js';
import type { IdentityPort } from './identity-port.js';
import { LocalIdentity } from './local-identity.js';

let shared: IdentityPort | undefined;

/** The configured identity adapter, built once per process. */
export function identity(): IdentityPort {
  if (shared) return shared;
  const { identityMode, userPoolId, userPoolClientId } = config();
  shared =
    identityMode === 'local'
      ? new LocalIdentity(database())
      : new CognitoIdentity(new CognitoIdentityProviderClient({}), userPoolId, {
          subjectOf: async (userId) => (await getUser(database(), userId))?.identitySubject,
          spaClientId: userPoolClientId,
        });
  return shared;
}
