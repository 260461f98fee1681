import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { recordSignIn } from '../../shared/credentials/sign-in.js';
import { database } from '../../shared/data/dynamo-client.js';
import { ROSTER_USER_ID_ATTRIBUTE, rosterUserIdOf } from '../../shared/identity/identity-port.js';
import { logger } from '../../shared/logger.js';
import { identity } from '../../shared/identity/identity.js';

/** Cognito post-authentication: records last login, MFA state and the identity's username; never blocks the sign-in. */
export const handler = async (event: PostAuthenticationTriggerEvent): Promise<PostAuthenticationTriggerEvent> => {
  const userId = rosterUserIdOf(event.request.userAttributes, ROSTER_USER_ID_ATTRIBUTE);
  try {
    if (userId) await recordSignIn({ db: database(), identity: identity() }, userId, new Date(), event.userName);
  } catch (error) {
    logger.error('could not record a sign-in', { userId, error: error as Error });
  }
  return event;
};
