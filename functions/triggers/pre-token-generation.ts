import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { ROSTER_USER_ID_ATTRIBUTE, ROSTER_USER_ID_CLAIM } from '../../shared/identity/identity-port.js';

/**
 * Cognito pre-token generation (event version 2): an identity created for an existing Roster
 * user (lazy identities) has a sub Cognito chose; its Roster user id, held in the immutable
 * attribute custom:roster_user_id, goes into the access and ID tokens as `roster_user_id`, which
 * authorization reads before `sub` (rosterUserIdOf). Older identities carry nothing extra: their
 * sub is their user id. No table, no Cognito call: the attribute comes with the event.
 */
export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  const userId = event.request.userAttributes[ROSTER_USER_ID_ATTRIBUTE];
  if (userId) {
    const claimsToAddOrOverride = { [ROSTER_USER_ID_CLAIM]: userId };
    event.response.claimsAndScopeOverrideDetails = {
      accessTokenGeneration: { claimsToAddOrOverride },
      idTokenGeneration: { claimsToAddOrOverride },
    };
  }
  return event;
};
