import type { PreSignUpTriggerEvent, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { handler as preSignUp } from '../../functions/triggers/pre-sign-up.js';
import { handler as preTokenGeneration } from '../../functions/triggers/pre-token-generation.js';
import type { LocalIdentity } from '../../shared/identity/local-identity.js';
import { GROUPS_ATTRIBUTE } from '../../shared/sso/connection.js';
import { ROSTER_USER_ID_CLAIM } from '../../shared/identity/identity-port.js';

export interface IdpPerson {
  subject: string;
  email: string;
  name?: string;
  groups?: string[];
}

const base = {
  version: '2',
  region: 'eu-west-1',
  userPoolId: 'local',
  callerContext: { awsSdkVersion: 'x', clientId: 'c' },
};

/**
 * Cognito's federated sign-in sequence, with the real triggers: the first time a (provider,
 * subject) is seen, PreSignUp_ExternalProvider, then (nothing linked) a new identity; then, every
 * time, pre-token generation (TokenGeneration_HostedAuth). Answers the roster_user_id claim the
 * tokens would carry, or throws the refusal the person would read.
 */
export async function federatedSignIn(
  identity: LocalIdentity,
  providerName: string,
  person: IdpPerson,
): Promise<string> {
  const federated = { providerName, subject: person.subject };
  const username = `${providerName}_${person.subject}`;
  let userId = await identity.findFederatedIdentity(federated);
  if (!userId) {
    const event = {
      ...base,
      triggerSource: 'PreSignUp_ExternalProvider',
      userName: username,
      request: { userAttributes: { email: person.email, name: person.name ?? '' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    } as unknown as PreSignUpTriggerEvent;
    await preSignUp(event);
    userId =
      (await identity.findFederatedIdentity(federated)) ??
      (await identity.createFederatedIdentity(federated, person.email));
  }
  const event = {
    ...base,
    triggerSource: 'TokenGeneration_HostedAuth',
    userName: username,
    request: {
      userAttributes: {
        sub: userId,
        email: person.email,
        ...(person.name ? { name: person.name } : {}),
        ...(person.groups ? { [GROUPS_ATTRIBUTE]: `[${person.groups.join(', ')}]` } : {}),
        identities: JSON.stringify([{ providerName, userId: person.subject, providerType: 'OIDC', primary: 'true' }]),
      },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
      scopes: ['openid'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  } as unknown as PreTokenGenerationV2TriggerEvent;
  const out = await preTokenGeneration(event);
  const claim =
    out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride?.[ROSTER_USER_ID_CLAIM];
  if (typeof claim !== 'string') throw new Error('no roster_user_id claim');
  return claim;
}
