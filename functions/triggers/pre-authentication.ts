import type { PreAuthenticationTriggerEvent } from 'aws-lambda';
import { signInRefusal } from '../../shared/credentials/sign-in.js';
import { database } from '../../shared/data/dynamo-client.js';
import { ROSTER_USER_ID_ATTRIBUTE, rosterUserIdOf } from '../../shared/identity/identity-port.js';

/**
 * Cognito pre-authentication: refuses a user whose every membership is suspended or
 * deprovisioned. Cognito shows the thrown message to the SPA. (Disabled identities never
 * reach this trigger: Cognito refuses them itself.)
 */
export const handler = async (event: PreAuthenticationTriggerEvent): Promise<PreAuthenticationTriggerEvent> => {
  const userId = rosterUserIdOf(event.request.userAttributes, ROSTER_USER_ID_ATTRIBUTE);
  const refusal = userId ? await signInRefusal(database(), userId) : null;
  if (refusal) throw new Error(refusal);
  return event;
};
