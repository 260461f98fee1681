import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { database } from '../../shared/data/dynamo-client.js';
import { identity } from '../../shared/identity/identity.js';
import { federatedUsernameParts, linkFederatedSignUp } from '../../shared/sso/federated-sign-in.js';

/**
 * Cognito pre sign-up. Only a federated identity's first sign-in (PreSignUp_ExternalProvider)
 * concerns Roster: it is linked to the Roster user holding the email (linkFederatedSignUp), or
 * let through to become a new identity. A thrown error's message is what the person reads.
 */
export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  if (event.triggerSource !== 'PreSignUp_ExternalProvider') return event;
  const federated = federatedUsernameParts(event.userName);
  const email = event.request.userAttributes.email;
  if (!federated || !email)
    throw new Error('Your identity provider sent no email address; contact your administrator.');
  await linkFederatedSignUp({ db: database(), identity: identity() }, { ...federated, email });
  // The email lies in a verified domain of the org (the connection serves only those): proven (DESIGN.md section 1).
  event.response.autoVerifyEmail = true;
  return event;
};
