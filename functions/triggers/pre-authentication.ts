import type { PreAuthenticationTriggerEvent } from 'aws-lambda';
import { signInRefusal } from '../../shared/credentials/sign-in.js';
import { database } from '../../shared/data/dynamo-client.js';
import { ROSTER_USER_ID_ATTRIBUTE, rosterUserIdOf } from '../../shared/identity/identity-port.js';
import { ssoPasswordBlockOfUser, ssoPasswordRefusal } from '../../shared/sso/enforcement.js';

/**
 * Cognito pre-authentication (password sign-ins only: Cognito does not run it for a federated
 * one): refuses a user whose every membership is suspended or deprovisioned, and one whose org
 * requires SSO for their email's domain (break-glass admins excepted). Cognito shows the thrown
 * message to the SPA. (Disabled identities never reach this trigger: Cognito refuses them itself.)
 */
export const handler = async (event: PreAuthenticationTriggerEvent): Promise<PreAuthenticationTriggerEvent> => {
  const userId = rosterUserIdOf(event.request.userAttributes, ROSTER_USER_ID_ATTRIBUTE);
  if (!userId) return event;
  const db = database();
  const refusal = await signInRefusal(db, userId);
  if (refusal) throw new Error(refusal);
  const block = await ssoPasswordBlockOfUser(db, userId);
  if (block) throw new Error(ssoPasswordRefusal(block));
  return event;
};
