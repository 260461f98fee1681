import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/triggers/pre-token-generation.js';

/**
 * The pre-token-generation trigger on the sample event (events/triggers/pre-token-generation.json),
 * for the sign-ins that need no table: a password sign-in, directly or through managed login
 * without a federated provider. (A token refresh and a federated sign-in read and write the
 * table: test/integration/account-ownership and sso-sign-in cover them.)
 */
const sample = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../events/triggers/pre-token-generation.json'), 'utf8'),
) as PreTokenGenerationV2TriggerEvent;

const signIn = (
  triggerSource: PreTokenGenerationV2TriggerEvent['triggerSource'],
  attributes: Record<string, string>,
): PreTokenGenerationV2TriggerEvent => {
  const event = structuredClone(sample);
  event.triggerSource = triggerSource;
  event.request.userAttributes = { ...event.request.userAttributes, ...attributes };
  return event;
};

describe('pre-token generation', () => {
  it('puts the Roster user id of an identity created for an existing user (custom:roster_user_id) into both tokens, not its sub', async () => {
    const userId = '0d1c2b3a-4f5e-4d6c-8b7a-9f8e7d6c5b4a';
    const out = await handler(signIn('TokenGeneration_Authentication', { 'custom:roster_user_id': userId }));
    const claims = { claimsToAddOrOverride: { roster_user_id: userId } };
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: claims,
      idTokenGeneration: claims,
    });
  });

  it('an identity older than lazy identities is its user: the sub is the claim', async () => {
    const out = await handler(signIn('TokenGeneration_Authentication', {}));
    expect(out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      roster_user_id: sample.request.userAttributes.sub,
    });
  });

  it('a password sign-in through managed login (no federated identities) gets the claim and nothing else happens', async () => {
    const userId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
    const out = await handler(signIn('TokenGeneration_HostedAuth', { 'custom:roster_user_id': userId }));
    expect(out.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride).toEqual({
      roster_user_id: userId,
    });
    expect(out.request.userAttributes).toMatchObject({ 'custom:roster_user_id': userId });
  });
});
