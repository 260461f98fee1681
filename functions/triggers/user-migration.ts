import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { database } from '../../shared/data/dynamo-client.js';
import { identityToMigrate } from '../../shared/users/ensure-identity.js';

/**
 * Cognito user migration: a password sign-in or a forgot-password request for an email with no
 * identity yet. A pending Roster user's identity is created under their user id (identityToMigrate:
 * at a sign-in as RESET_REQUIRED, since a pending person has no password to check); anyone else
 * is refused, and a thrown error's message is what Cognito reports.
 */
export const handler = async (event: UserMigrationTriggerEvent): Promise<UserMigrationTriggerEvent> => {
  const migration = await identityToMigrate(database(), event.triggerSource, event.userName);
  event.response.userAttributes = migration.userAttributes;
  event.response.messageAction = migration.messageAction;
  if (migration.finalUserStatus) event.response.finalUserStatus = migration.finalUserStatus;
  return event;
};
