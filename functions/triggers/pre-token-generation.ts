import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { recordSignIn, syncMfaState } from '../../shared/credentials/sign-in.js';
import { database } from '../../shared/data/dynamo-client.js';
import { ROSTER_USER_ID_ATTRIBUTE, ROSTER_USER_ID_CLAIM, rosterUserIdOf } from '../../shared/identity/identity-port.js';
import { identity } from '../../shared/identity/identity.js';
import { logger } from '../../shared/logger.js';
import { GROUPS_ATTRIBUTE } from '../../shared/sso/connection.js';
import { completeFederatedSignIn, groupsOf, providerNamesOf } from '../../shared/sso/federated-sign-in.js';

/**
 * Cognito pre-token generation (event version 2). Every token gets the Roster user id as the
 * `roster_user_id` claim, which authorization reads before `sub` (rosterUserIdOf): an identity
 * created for an existing Roster user has it in custom:roster_user_id; any other identity's sub
 * is its user id. A sign-in through managed login by a federated identity (TokenGeneration_HostedAuth
 * with `identities`) first runs completeFederatedSignIn: JIT membership, role mapping and the
 * refusals, whose message Cognito passes to the redirect as error_description, then records the
 * sign-in (lastLoginAt: Cognito runs no post-authentication trigger for it). A token refresh
 * records the MFA state Cognito reports (syncMfaState): on a pool without Roster's web ACL a person
 * may turn MFA off at Cognito directly, and `mfaRequired` orgs then follow within one access-token
 * lifetime; that re-read never blocks the tokens.
 */
export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  const attributes = event.request.userAttributes;
  const userId = rosterUserIdOf(attributes, ROSTER_USER_ID_ATTRIBUTE);
  const providerNames = providerNamesOf(attributes.identities);
  const now = new Date();
  if (userId && event.triggerSource === 'TokenGeneration_HostedAuth' && providerNames.length > 0) {
    await completeFederatedSignIn(
      { db: database(), identity: identity() },
      {
        providerNames,
        userId,
        username: event.userName,
        email: attributes.email ?? '',
        name: attributes.name,
        groups: groupsOf(attributes[GROUPS_ATTRIBUTE]),
      },
      now,
    );
    // Cognito runs no post-authentication trigger for a federated sign-in: its last login is recorded here.
    await recordSignIn({ db: database(), identity: identity() }, userId, now);
  }
  if (userId && event.triggerSource === 'TokenGeneration_RefreshTokens') {
    try {
      await syncMfaState({ db: database(), identity: identity() }, userId, now);
    } catch (error) {
      logger.error('could not record the MFA state at a token refresh', { userId, error: error as Error });
    }
  }
  if (userId) {
    const claimsToAddOrOverride = { [ROSTER_USER_ID_CLAIM]: userId };
    event.response.claimsAndScopeOverrideDetails = {
      accessTokenGeneration: { claimsToAddOrOverride },
      idTokenGeneration: { claimsToAddOrOverride },
    };
  }
  return event;
};
