import { readFileSync } from 'node:fs';
import { systemClock } from '../../shared/clock.js';
import { join } from 'node:path';
import type { PostAuthenticationTriggerEvent, UserMigrationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as postAuthentication } from '../../functions/triggers/post-authentication.js';
import { handler as userMigration } from '../../functions/triggers/user-migration.js';
import { getUser } from '../../shared/users/user-repository.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { onlyQueuedToken } from '../helpers/outbox.js';

/**
 * Issue 17: an added, imported or SCIM-created person is a Roster user at once; their identity
 * (Cognito in AWS, the local identity here) is created when first needed, under the same user id.
 */
let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const memberPath = (org: SeededOrg, userId: string) => `/v1/orgs/${org.orgId}/members/${userId}`;

async function addMember(
  org: SeededOrg,
  email = `lazy-${uniqueSuffix()}@org.test`,
): Promise<{ userId: string; email: string }> {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: 'Lazy Person', email, role: 'member' },
  });
  expect(res.status, res.text).toBe(201);
  return { userId: res.json.userId as string, email };
}

/** The person's identity at the provider (the local identity), if any. */
const identityOf = (userId: string) => local.server.identity.describe(userId);

describe('lazy identities', () => {
  it('an added member is a Roster user without an identity; reset MFA, terminate sessions, suspend and reactivate work on them and create none', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addMember(org);
    expect(await getUser(local.db, member.userId)).toMatchObject({ email: member.email, identityState: 'pending' });
    expect(await identityOf(member.userId)).toBeUndefined();

    expect((await local.api('GET', memberPath(org, member.userId), { token: org.admin.accessToken })).status).toBe(200);
    for (const action of ['reset-mfa', 'revoke-sessions', 'suspend', 'reactivate']) {
      const res = await local.api('POST', `${memberPath(org, member.userId)}/${action}`, {
        token: org.admin.accessToken,
      });
      expect(res.status, `${action}: ${res.text}`).toBeLessThan(300);
    }
    expect(await identityOf(member.userId)).toBeUndefined();
    // A sign-in attempt finds no account: there is no password to check yet.
    expect(
      (await local.api('POST', '/local/sign-in', { body: { email: member.email, password: TEST_PASSWORD } })).status,
    ).toBe(401);
  });

  it('completing the set-password link creates the identity under the same user id; the person then signs in as that user', async () => {
    const org = await local.seedOperatorAndOrg();
    const member = await addMember(org);
    expect(
      (await local.api('POST', `${memberPath(org, member.userId)}/reset-password`, { token: org.admin.accessToken }))
        .status,
    ).toBe(202);
    const token = await onlyQueuedToken(local.db, member.email);
    const done = await local.api('POST', `/v1/password-resets/${token}`, { body: { password: 'Lazy-first-pass-1!' } });
    expect(done.status, done.text).toBe(204);

    expect(await identityOf(member.userId)).toMatchObject({
      userId: member.userId,
      email: member.email,
      enabled: true,
    });
    expect(await getUser(local.db, member.userId)).toMatchObject({ identityState: 'created' });
    const { accessToken } = await local.signIn(member.email, 'Lazy-first-pass-1!');
    const me = await local.api('GET', '/v1/me', { token: accessToken });
    expect(me.status, me.text).toBe(200);
    expect(me.json.user.userId).toBe(member.userId);
    expect(me.json.memberships.map((m: { orgId: string }) => m.orgId)).toEqual([org.orgId]);
  });

  it('an imported person invited to another org accepts with a password: the identity is created for the imported user, not a second account', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    const email = `imported-${uniqueSuffix()}@elsewhere.test`;
    const upload = await local.api('POST', `/v1/orgs/${orgA.orgId}/imports?mode=add`, {
      token: orgA.admin.accessToken,
      body: `email,name\n${email},Imported Person\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(upload.status, upload.text).toBe(201);
    expect(
      (
        await local.api('POST', `/v1/orgs/${orgA.orgId}/imports/${upload.json.importId}/commit`, {
          token: orgA.admin.accessToken,
        })
      ).status,
    ).toBe(202);
    const { runImport } = await import('../../shared/imports/run-import.js');
    expect(
      await runImport(
        { db: local.db, appUrl: 'http://localhost:3000', clock: systemClock },
        orgA.orgId,
        upload.json.importId,
        1,
      ),
    ).toBe('completed');
    const imported = (
      await local.api('GET', `/v1/orgs/${orgA.orgId}/members?q=${encodeURIComponent(email)}`, {
        token: orgA.admin.accessToken,
      })
    ).json.items[0] as { userId: string };
    expect(await identityOf(imported.userId)).toBeUndefined();

    const invited = await local.api('POST', `/v1/orgs/${orgB.orgId}/invitations`, {
      token: orgB.admin.accessToken,
      body: { emails: [email], role: 'member' },
    });
    expect(invited.status, invited.text).toBe(200);
    const token = await onlyQueuedToken(local.db, email);
    const accepted = await local.api('POST', `/v1/invitations/${token}/accept`, {
      body: { name: 'Imported Person', password: 'Lazy-first-pass-2!' },
    });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json.userId).toBe(imported.userId);

    expect(await identityOf(imported.userId)).toMatchObject({ userId: imported.userId, email });
    const { accessToken } = await local.signIn(email, 'Lazy-first-pass-2!');
    const me = await local.api('GET', '/v1/me', { token: accessToken });
    expect(me.json.memberships.map((m: { orgId: string }) => m.orgId).sort()).toEqual([orgA.orgId, orgB.orgId].sort());
  });

  it('an account that has its identity is still told to sign in when accepting with a password', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    const member = await addMember(orgA);
    await local.setPassword(member.userId, TEST_PASSWORD);
    await local.api('POST', `/v1/orgs/${orgB.orgId}/invitations`, {
      token: orgB.admin.accessToken,
      body: { emails: [member.email], role: 'member' },
    });
    const token = await onlyQueuedToken(local.db, member.email);
    const res = await local.api('POST', `/v1/invitations/${token}/accept`, {
      body: { name: 'Someone', password: 'Other-pass-123!' },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.json.code).toBe('sign_in_required');
    await local.signIn(member.email, TEST_PASSWORD);
  });

  it('two adds of one new email at once make one user and one identity-less account, attached to both orgs', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    const email = `twice-${uniqueSuffix()}@org.test`;
    const [a, b] = await Promise.all(
      [orgA, orgB].map((org) =>
        local.api('POST', `/v1/orgs/${org.orgId}/members`, {
          token: org.admin.accessToken,
          body: { name: 'Twice', email, role: 'member' },
        }),
      ),
    );
    expect([a!.status, b!.status], `${a!.text} ${b!.text}`).toEqual([201, 201]);
    expect(a!.json.userId).toBe(b!.json.userId);
  });

  describe("Cognito's user-migration trigger (the sample event, events/triggers/user-migration.json)", () => {
    const sample = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../events/triggers/user-migration.json'), 'utf8'),
    ) as UserMigrationTriggerEvent;
    const migrationEvent = (
      triggerSource: UserMigrationTriggerEvent['triggerSource'],
      userName: string,
    ): UserMigrationTriggerEvent =>
      ({ ...structuredClone(sample), triggerSource, userName }) as UserMigrationTriggerEvent;

    it("a pending person's forgot-password: Cognito creates the identity under their user id, its welcome mail off; asked again, the same answer and nothing written", async () => {
      const org = await local.seedOperatorAndOrg();
      const member = await addMember(org);
      // As typed into managed login: Cognito passes it on unchanged.
      const first = await userMigration(migrationEvent('UserMigration_ForgotPassword', member.email.toUpperCase()));
      expect(first.response).toMatchObject({
        userAttributes: {
          email: member.email,
          email_verified: 'true',
          name: 'Lazy Person',
          'custom:roster_user_id': member.userId,
        },
        messageAction: 'SUPPRESS',
      });
      // The forgot-password flow itself leaves the new identity RESET_REQUIRED; nothing is said.
      expect(first.response.finalUserStatus ?? undefined).toBeUndefined();
      const again = await userMigration(migrationEvent('UserMigration_ForgotPassword', member.email));
      expect(again.response.userAttributes).toEqual(first.response.userAttributes);
      // Cognito, not Roster, creates the identity: the record stays pending until the first sign-in says so.
      expect(await getUser(local.db, member.userId)).toMatchObject({ identityState: 'pending' });
    });

    it('a pending person signing in with a password: the identity is created RESET_REQUIRED, so the typed password never becomes theirs', async () => {
      const org = await local.seedOperatorAndOrg();
      const member = await addMember(org);
      const event = migrationEvent('UserMigration_Authentication', member.email);
      event.request.password = 'Guessed-password-1!';
      const answer = await userMigration(event);
      expect(answer.response).toMatchObject({
        userAttributes: { 'custom:roster_user_id': member.userId, email: member.email },
        finalUserStatus: 'RESET_REQUIRED',
        messageAction: 'SUPPRESS',
      });
    });

    it('refuses an email Roster does not know, and a person whose every org that manages them suspended them', async () => {
      await expect(
        userMigration(migrationEvent('UserMigration_ForgotPassword', `nobody-${uniqueSuffix()}@org.test`)),
      ).rejects.toThrow('User does not exist.');
      await expect(userMigration(migrationEvent('UserMigration_Authentication', 'not-an-email'))).rejects.toThrow(
        'User does not exist.',
      );
      const org = await local.seedOperatorAndOrg();
      const member = await addMember(org);
      const suspend = await local.api('POST', `${memberPath(org, member.userId)}/suspend`, {
        token: org.admin.accessToken,
      });
      expect(suspend.status, suspend.text).toBeLessThan(300);
      await expect(userMigration(migrationEvent('UserMigration_ForgotPassword', member.email))).rejects.toThrow(
        /suspended/,
      );
    });

    it("the first sign-in of a migrated identity records it on the user: created, with Cognito's own username", async () => {
      const org = await local.seedOperatorAndOrg();
      const member = await addMember(org);
      const cognitoUsername = `cognito-${uniqueSuffix()}`;
      await postAuthentication({
        version: '1',
        triggerSource: 'PostAuthentication_Authentication',
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_EXAMPLE',
        userName: cognitoUsername,
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'exampleclientid' },
        request: {
          userAttributes: {
            sub: cognitoUsername,
            email: member.email,
            'custom:roster_user_id': member.userId,
          },
          newDeviceUsed: false,
        },
        response: {},
      } satisfies PostAuthenticationTriggerEvent);
      expect(await getUser(local.db, member.userId)).toMatchObject({
        identityState: 'created',
        identitySubject: cognitoUsername,
        lastLoginAt: expect.any(String),
      });
    });
  });
});
