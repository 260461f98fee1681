import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationKey, userKey } from '../../shared/data/keys.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { ValidationError } from '../../shared/errors.js';
import { LocalIdentity } from '../../shared/identity/local-identity.js';
import { acceptInvitation } from '../../shared/invitations/accept-invitation.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectFieldProblem,
  expectInvitationSeatsMatchItems,
  expectProblem,
  membershipsInTable,
} from '../helpers/assertions.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';
import { onlyQueuedToken, queuedTokens as queuedOutboxTokens } from '../helpers/outbox.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const invitations = (org: SeededOrg) => `/v1/orgs/${org.orgId}/invitations`;
const emailOf = (label: string) => `${label}-${uniqueSuffix()}@invitee.test`;

async function invite(org: SeededOrg, emails: string | string[], extra: Record<string, unknown> = {}) {
  const res = await local.api('POST', invitations(org), {
    token: org.admin.accessToken,
    body: { emails, role: 'member', ...extra },
  });
  expect(res.status, res.text).toBe(200);
  return res.json as {
    created: { invitationId: string; email: string; status: string; expiresAt: string }[];
    refused: { email: string; code: string; detail: string }[];
  };
}

async function inviteOne(org: SeededOrg, email = emailOf('one'), extra: Record<string, unknown> = {}) {
  const { created } = await invite(org, email, extra);
  expect(created).toHaveLength(1);
  return created[0]!;
}

/** Every invitation link queued for `email` (opened from their outbox items, where they are sealed). */
const queuedTokens = (email: string): Promise<string[]> => queuedOutboxTokens(local.db, email, 'invitation');

const onlyToken = (email: string): Promise<string> => onlyQueuedToken(local.db, email, 'invitation');

const expectSeatsMatchItems = (orgId: string) => expectInvitationSeatsMatchItems(local.db, orgId);

describe('inviting', () => {
  it('creates or refuses each address of a mixed list, never failing the others, within the seat limit', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 4 });
    const member = emailOf('member');
    expect(
      (
        await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
          token: org.admin.accessToken,
          body: { name: 'Member', email: member, role: 'member' },
        })
      ).status,
    ).toBe(201);
    const invited = (await inviteOne(org)).email;
    const [fresh, over1, over2] = [emailOf('fresh'), emailOf('over1'), emailOf('over2')];

    const result = await invite(
      org,
      `${fresh}, ${fresh.toUpperCase()}; not-an-email\n${member.toUpperCase()},${invited};${over1}\n${over2}`,
    );

    expect(result.created.map((c) => c.email)).toEqual([fresh]);
    expect(result.created[0]).toMatchObject({
      status: 'pending',
      role: 'member',
      teamId: null,
      delivery: 'queued',
      invitedBy: { userId: org.admin.userId, email: org.admin.email },
    });
    expect(result.created[0]).not.toHaveProperty('token');
    expect(result.refused.map((r) => [r.email, r.code])).toEqual([
      ['not-an-email', 'invalid_email'],
      [member, 'already_member'],
      [invited, 'already_invited'],
      [over1, 'seat_limit_reached'],
      [over2, 'seat_limit_reached'],
    ]);
    expect(result.refused.find((r) => r.code === 'seat_limit_reached')?.detail).toBe('Seat limit reached (4)');
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 4, pending: 2 });
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: org.admin.accessToken })).json.seatsUsed).toBe(4);
    expect(
      (await auditEventsInTable(local.db, org.orgId)).filter((e) => e.action === 'invitation.created'),
    ).toHaveLength(2);
  });

  it('takes an array of addresses and a team, and queues one mail per invitation', async () => {
    const org = await local.seedOperatorAndOrg();
    const team = await local.api('POST', `/v1/orgs/${org.orgId}/teams`, {
      token: org.admin.accessToken,
      body: { name: `Team ${uniqueSuffix()}` },
    });
    const emails = [emailOf('a'), emailOf('b')];
    const result = await invite(org, emails, { teamId: team.json.teamId, message: 'Welcome aboard' });
    expect(result.created.map((c) => c.email)).toEqual(emails);
    expect(result.created.every((c) => (c as unknown as { teamId: string }).teamId === team.json.teamId)).toBe(true);
    for (const email of emails) expect(await queuedTokens(email)).toHaveLength(1);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const org = await local.seedOperatorAndOrg();
    const post = (body: unknown) => local.api('POST', invitations(org), { token: org.admin.accessToken, body });
    expectFieldProblem(await post({ emails: 'a@b.test', role: 'owner' }), 'role');
    expectFieldProblem(await post({ role: 'member' }), 'emails');
    expectFieldProblem(await post({ emails: 'a@b.test', role: 'member', message: 'x'.repeat(1001) }), 'message');
    expectFieldProblem(
      await post({ emails: Array.from({ length: 101 }, (_, i) => `p${i}@b.test`).join(','), role: 'member' }),
      'emails',
    );
    expectFieldProblem(await post({ emails: ' , ', role: 'member' }), 'emails');
    expectFieldProblem(
      await post({ emails: 'a@b.test', role: 'member', teamId: '00000000-0000-4000-8000-000000000000' }),
      'teamId',
    );
    expectFieldProblem(await post({ emails: 'a@b.test', role: 'member', surprise: 1 }), 'surprise');
    expect(
      (await local.api('GET', `${invitations(org)}?status=lost`, { token: org.admin.accessToken })).json.errors[0]
        .field,
    ).toBe('query.status');
  });

  it('is refused to a member who is not an admin', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = emailOf('plain');
    const added = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
      token: org.admin.accessToken,
      body: { name: 'Plain', email, role: 'member' },
    });
    await local.setPassword(added.json.userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    expectProblem(
      await local.api('POST', invitations(org), { token: accessToken, body: { emails: emailOf('x'), role: 'member' } }),
      403,
      'insufficient_role',
    );
    expectProblem(await local.api('GET', invitations(org), { token: accessToken }), 403, 'insufficient_role');
  });
});

describe('listing', () => {
  it('lists newest first, all or by status, page by page', async () => {
    const org = await local.seedOperatorAndOrg();
    const first = await inviteOne(org, emailOf('first'));
    const second = await inviteOne(org, emailOf('second'));
    const third = await inviteOne(org, emailOf('third'));
    expect(
      (await local.api('DELETE', `${invitations(org)}/${second.invitationId}`, { token: org.admin.accessToken }))
        .status,
    ).toBe(204);

    const all = await local.api('GET', `${invitations(org)}?limit=2`, { token: org.admin.accessToken });
    expect(all.json.items.map((i: { email: string }) => i.email)).toEqual([third.email, second.email]);
    const rest = await local.api('GET', `${invitations(org)}?limit=2&cursor=${all.json.nextCursor}`, {
      token: org.admin.accessToken,
    });
    expect(rest.json).toEqual({ items: [expect.objectContaining({ email: first.email })], nextCursor: null });

    const pending = await local.api('GET', `${invitations(org)}?status=pending`, { token: org.admin.accessToken });
    expect(pending.json.items.map((i: { email: string }) => i.email)).toEqual([third.email, first.email]);
    const revoked = await local.api('GET', `${invitations(org)}?status=revoked`, { token: org.admin.accessToken });
    expect(revoked.json.items).toEqual([
      expect.objectContaining({ invitationId: second.invitationId, status: 'revoked' }),
    ]);
    expectFieldProblem(
      await local.api('GET', `${invitations(org)}?status=revoked&cursor=${all.json.nextCursor}`, {
        token: org.admin.accessToken,
      }),
      'query.cursor',
    );
  });
});

describe('resend and revoke', () => {
  it('resend issues a new link, kills the old one and restarts the clock', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org);
    const oldToken = await onlyToken(created.email);
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: invitationKey(org.orgId, created.invitationId),
        UpdateExpression: 'SET expiresAt = :soon',
        ExpressionAttributeValues: { ':soon': new Date(Date.now() + 60_000).toISOString() },
      }),
    );

    const resent = await local.api('POST', `${invitations(org)}/${created.invitationId}/resend`, {
      token: org.admin.accessToken,
    });
    expect(resent.status, resent.text).toBe(200);
    expect(Date.parse(resent.json.expiresAt)).toBeGreaterThan(Date.now() + 167 * 3600_000);
    const newToken = (await queuedTokens(created.email)).find((t) => t !== oldToken)!;
    expectProblem(await local.api('GET', `/v1/invitations/${oldToken}`), 404, 'invalid_token');
    expect((await local.api('GET', `/v1/invitations/${newToken}`)).json.expiresAt).toBe(resent.json.expiresAt);
    const item = (
      await local.db.client.send(
        new QueryCommand({
          TableName: local.db.tableName,
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :p AND begins_with(GSI3SK, :s)',
          ExpressionAttributeValues: { ':p': 'INVEXP#0', ':s': resent.json.expiresAt },
        }),
      )
    ).Items;
    expect(item?.map((i) => i.invitationId)).toContain(created.invitationId);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 1 });
  });

  it('revoke frees the seat and the email, answers the link with "revoked", and only applies while pending', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 2 });
    const created = await inviteOne(org);
    const token = await onlyToken(created.email);
    expect((await invite(org, emailOf('full'))).refused[0]?.code).toBe('seat_limit_reached');

    expect(
      (await local.api('DELETE', `${invitations(org)}/${created.invitationId}`, { token: org.admin.accessToken }))
        .status,
    ).toBe(204);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 1, pending: 0 });
    expectProblem(await local.api('GET', `/v1/invitations/${token}`), 410, 'invitation_revoked');
    expectProblem(
      await local.api('POST', `/v1/invitations/${token}/accept`, { body: { name: 'Late', password: TEST_PASSWORD } }),
      410,
      'invitation_revoked',
    );
    expectProblem(
      await local.api('DELETE', `${invitations(org)}/${created.invitationId}`, { token: org.admin.accessToken }),
      409,
      'invitation_not_pending',
    );
    expectProblem(
      await local.api('POST', `${invitations(org)}/${created.invitationId}/resend`, { token: org.admin.accessToken }),
      409,
      'invitation_not_pending',
    );
    expectProblem(
      await local.api('DELETE', `${invitations(org)}/00000000-0000-4000-8000-000000000000`, {
        token: org.admin.accessToken,
      }),
      404,
      'invitation_not_found',
    );
    expect((await inviteOne(org, created.email)).email).toBe(created.email);
    const actions = (await auditEventsInTable(local.db, org.orgId))
      .filter((e) => (e.target as { id?: string } | null)?.id === created.invitationId)
      .map((e) => e.action);
    expect(actions).toEqual(['invitation.created', 'invitation.revoked']);
  });
});

describe('the invitee', () => {
  it('previews only this invitation, accepts with a password, then signs in as a member', async () => {
    const org = await local.seedOperatorAndOrg({ orgName: `Preview Org ${uniqueSuffix()}` });
    const created = await inviteOne(org, emailOf('new'), { role: 'org_admin' });
    const token = await onlyToken(created.email);

    const preview = await local.api('GET', `/v1/invitations/${token}`);
    expect(preview.status, preview.text).toBe(200);
    const orgName = (await getOrg(local.db, org.orgId))!.name;
    expect(preview.json).toEqual({
      orgName,
      inviter: { name: expect.any(String), email: org.admin.email },
      role: 'org_admin',
      email: created.email,
      expiresAt: created.expiresAt,
    });

    const accepted = await local.api('POST', `/v1/invitations/${token}/accept`, {
      body: { name: 'New Admin', password: TEST_PASSWORD },
    });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json).toMatchObject({
      orgId: org.orgId,
      email: created.email,
      name: 'New Admin',
      role: 'org_admin',
      status: 'active',
      source: 'invitation',
    });

    const { accessToken } = await local.signIn(created.email, TEST_PASSWORD);
    expect((await local.api('GET', `/v1/orgs/${org.orgId}/invitations`, { token: accessToken })).status).toBe(200);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 0 });
    expect((await getOrg(local.db, org.orgId, true))?.activeAdminCount).toBe(2);
    const actions = (await auditEventsInTable(local.db, org.orgId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.created', 'invitation.accepted', 'member.added']));

    expectProblem(await local.api('GET', `/v1/invitations/${token}`), 409, 'invitation_used');
    expectProblem(
      await local.api('POST', `/v1/invitations/${token}/accept`, { body: { name: 'Again', password: TEST_PASSWORD } }),
      409,
      'invitation_used',
    );
  });

  it('ten concurrent accepts of one link make exactly one membership', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org);
    const token = await onlyToken(created.email);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        local.api('POST', `/v1/invitations/${token}/accept`, { body: { name: `Racer ${i}`, password: TEST_PASSWORD } }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const loser of answers.filter((a) => a.status !== 201)) expect([409], loser.text).toContain(loser.status);
    expect((await membershipsInTable(local.db, org.orgId)).filter((m) => m.email === created.email)).toHaveLength(1);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 0 });
    await local.signIn(created.email, TEST_PASSWORD);
  });

  it('is told apart: unknown, expired (even before the sweep), and refused without a valid password', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org);
    const token = await onlyToken(created.email);
    const accept = (body: unknown, t = token) => local.api('POST', `/v1/invitations/${t}/accept`, { body });

    expectFieldProblem(await accept({ name: 'No Password' }), 'password');
    expectFieldProblem(await accept({ name: 'Weak', password: 'short' }), 'password');
    expectFieldProblem(await accept({ password: TEST_PASSWORD }), 'name');
    expectProblem(await local.api('GET', `/v1/invitations/${'x'.repeat(43)}`), 404, 'invalid_token');
    expectProblem(await accept({ name: 'Nobody', password: TEST_PASSWORD }, 'y'.repeat(43)), 404, 'invalid_token');
    expectFieldProblem(await local.api('GET', '/v1/invitations/short'), 'path.token');

    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: invitationKey(org.orgId, created.invitationId),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    expectProblem(await local.api('GET', `/v1/invitations/${token}`), 410, 'invitation_expired');
    expectProblem(await accept({ name: 'Late', password: TEST_PASSWORD }), 410, 'invitation_expired');
    expect((await membershipsInTable(local.db, org.orgId)).some((m) => m.email === created.email)).toBe(false);
  });

  it('a password the identity provider refuses leaves the invitation pending and usable (the link is spent only once the password is set)', async () => {
    const org = await local.seedOperatorAndOrg();
    const created = await inviteOne(org);
    const token = await onlyToken(created.email);
    // The fault sits between the steps of an accept: the pool refuses the password (history, breach list).
    class RefusingIdentity extends LocalIdentity {
      override setPassword(): Promise<void> {
        return Promise.reject(
          new ValidationError([{ field: 'password', message: 'Password has previously been used' }]),
        );
      }
    }
    const audit: AuditContext = {
      actor: { type: 'system', id: 'test' },
      ip: null,
      userAgent: null,
      requestId: null,
      now: new Date(),
    };
    await expect(
      acceptInvitation(
        { db: local.db, identity: new RefusingIdentity(local.db) },
        token,
        { name: 'Refused', password: TEST_PASSWORD },
        audit,
      ),
    ).rejects.toBeInstanceOf(ValidationError);

    expect((await membershipsInTable(local.db, org.orgId)).some((m) => m.email === created.email)).toBe(false);
    expect((await local.api('GET', `/v1/invitations/${token}`)).status).toBe(200);
    const accepted = await local.api('POST', `/v1/invitations/${token}/accept`, {
      body: { name: 'Second Try', password: TEST_PASSWORD },
    });
    expect(accepted.status, accepted.text).toBe(201);
    await local.signIn(created.email, TEST_PASSWORD);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 0 });
  });

  it('an address that already has a Roster account is asked to sign in, and its password is left alone', async () => {
    const orgA = await local.seedOperatorAndOrg();
    const orgB = await local.seedOperatorAndOrg();
    const created = await inviteOne(orgB, orgA.admin.email);
    const token = await onlyToken(orgA.admin.email);
    expectProblem(
      await local.api('POST', `/v1/invitations/${token}/accept`, {
        body: { name: 'Hijack', password: 'Other-password-2?' },
      }),
      409,
      'sign_in_required',
    );
    await local.signIn(orgA.admin.email, TEST_PASSWORD);
    expect(created.status).toBe('pending');
  });
});

describe('accepting as a signed-in user (bearer token)', () => {
  const acceptAs = (token: string, bearer: string, body?: unknown) =>
    local.api('POST', `/v1/invitations/${token}/accept`, { token: bearer, ...(body === undefined ? {} : { body }) });

  /** A person who already has a Roster account (a member of another org), signed in. */
  async function existingUser(label: string, email = emailOf(label)) {
    const user = await local.createUserWithPassword(email, TEST_PASSWORD, { name: `Existing ${label}` });
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    return { ...user, accessToken };
  }

  it('an existing user joins with their own identity, whatever the case of the invited address', async () => {
    const org = await local.seedOperatorAndOrg();
    const person = await existingUser('bearer');
    const created = await inviteOne(org, person.email.toUpperCase(), { role: 'org_admin' });
    const token = await onlyToken(person.email);

    const accepted = await acceptAs(token, person.accessToken);
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json).toMatchObject({
      orgId: org.orgId,
      userId: person.userId,
      email: person.email,
      name: `Existing bearer`,
      role: 'org_admin',
      status: 'active',
      source: 'invitation',
    });
    // No new identity: the member signs in with their old password and sees the org.
    const again = await local.signIn(person.email, TEST_PASSWORD);
    expect((await local.api('GET', invitations(org), { token: again.accessToken })).status).toBe(200);
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 0 });
    const listed = await local.api('GET', `${invitations(org)}?status=accepted`, { token: org.admin.accessToken });
    expect(listed.json.items.map((i: { invitationId: string }) => i.invitationId)).toEqual([created.invitationId]);
    expectProblem(await acceptAs(token, person.accessToken), 409, 'invitation_used');
  });

  it('an SSO user joins the same way, with an empty body too', async () => {
    const org = await local.seedOperatorAndOrg();
    const person = await existingUser('sso');
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(person.userId),
        UpdateExpression: 'SET authSource = :sso',
        ExpressionAttributeValues: { ':sso': { kind: 'sso', idp: 'Okta' } },
      }),
    );
    await inviteOne(org, person.email);
    const accepted = await acceptAs(await onlyToken(person.email), person.accessToken, {});
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json.userId).toBe(person.userId);
  });

  it('an identity Roster has no record of yet gets its record and membership in one go', async () => {
    const org = await local.seedOperatorAndOrg();
    const email = emailOf('recordless');
    const { userId } = await local.server.identity.ensureUser({ userId: randomUUID(), email, name: 'Recordless' });
    await local.setPassword(userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    await inviteOne(org, email);
    const accepted = await acceptAs(await onlyToken(email), accessToken);
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json).toMatchObject({ userId, email });
    const me = await local.api('GET', '/v1/me', { token: accessToken });
    expect(me.status, me.text).toBe(200);
  });

  it('refuses another address (403 naming it), bad or stale tokens (401), and keeps the link usable', async () => {
    const org = await local.seedOperatorAndOrg();
    const invitee = await existingUser('invitee');
    const other = await existingUser('other');
    await inviteOne(org, invitee.email);
    const token = await onlyToken(invitee.email);

    const mismatch = await acceptAs(token, other.accessToken);
    expectProblem(mismatch, 403, 'invitation_email_mismatch');
    expect(mismatch.json.detail).toContain(invitee.email);
    expectProblem(await acceptAs(token, 'not-a-jwt'), 401, 'invalid_access_token');
    expectProblem(
      await local.api('POST', `/v1/invitations/${token}/accept`, { headers: { authorization: 'Basic abc' } }),
      401,
      'invalid_access_token',
    );
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: invitee.userId,
      iss: local.issuer.issuer,
      client_id: local.issuer.clientId,
      token_use: 'access',
      iat: now - 7200,
    };
    expectProblem(
      await acceptAs(token, local.issuer.sign({ ...claims, exp: now - 3600 })),
      401,
      'invalid_access_token',
    );
    expectProblem(
      await acceptAs(token, local.issuer.sign({ ...claims, exp: now + 3600, client_id: 'another-client' })),
      401,
      'invalid_access_token',
    );
    expectProblem(
      await acceptAs(token, local.issuer.sign({ ...claims, exp: now + 3600, token_use: 'id' })),
      401,
      'invalid_access_token',
    );
    expectProblem(
      await acceptAs(token, invitee.accessToken, { name: 'Ignored', password: TEST_PASSWORD }),
      400,
      'validation_failed',
    );
    expectProblem(await acceptAs('z'.repeat(43), invitee.accessToken), 404, 'invalid_token');

    // Sessions ended after the token was issued: refused as authorization refuses it.
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(invitee.userId),
        UpdateExpression: 'SET sessionsRevokedAt = :later',
        ExpressionAttributeValues: { ':later': new Date(Date.now() + 60_000).toISOString() },
      }),
    );
    expectProblem(await acceptAs(token, invitee.accessToken), 401, 'session_revoked');
    await local.db.client.send(
      new UpdateCommand({
        TableName: local.db.tableName,
        Key: userKey(invitee.userId),
        UpdateExpression: 'REMOVE sessionsRevokedAt',
      }),
    );

    expect(
      (await membershipsInTable(local.db, org.orgId)).some(
        (m) => m.userId === other.userId || m.userId === invitee.userId,
      ),
    ).toBe(false);
    expect((await acceptAs(token, invitee.accessToken)).status).toBe(201);
  });

  it('without a bearer token an existing user is still asked to sign in; a revoked link is refused before anything is created', async () => {
    const org = await local.seedOperatorAndOrg();
    const person = await existingUser('nobearer');
    await inviteOne(org, person.email);
    expectProblem(
      await local.api('POST', `/v1/invitations/${await onlyToken(person.email)}/accept`, {
        body: { name: 'Hijack', password: 'Other-password-2?' },
      }),
      409,
      'sign_in_required',
    );
    await local.signIn(person.email, TEST_PASSWORD);

    const fresh = emailOf('revoked');
    const created = await inviteOne(org, fresh);
    const token = await onlyToken(fresh);
    expect(
      (await local.api('DELETE', `${invitations(org)}/${created.invitationId}`, { token: org.admin.accessToken }))
        .status,
    ).toBe(204);
    expectProblem(
      await local.api('POST', `/v1/invitations/${token}/accept`, { body: { name: 'Late', password: TEST_PASSWORD } }),
      410,
      'invitation_revoked',
    );
    await expect(local.signIn(fresh, TEST_PASSWORD)).rejects.toThrow();
  });

  it('20 concurrent accepts of one link, bearer and new-user mixed, make exactly one membership', async () => {
    const org = await local.seedOperatorAndOrg();
    const person = await existingUser('race');
    await inviteOne(org, person.email);
    const token = await onlyToken(person.email);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? acceptAs(token, person.accessToken)
          : local.api('POST', `/v1/invitations/${token}/accept`, {
              body: { name: `Racer ${i}`, password: 'Racer-password-9!' },
            }),
      ),
    );
    const winners = answers.filter((a) => a.status === 201);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.json.userId).toBe(person.userId);
    for (const loser of answers.filter((a) => a.status !== 201)) expect([409], loser.text).toContain(loser.status);
    expect((await membershipsInTable(local.db, org.orgId)).filter((m) => m.email === person.email)).toHaveLength(1);
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 2, pending: 0 });
    // The password racers never touched the account.
    await local.signIn(person.email, TEST_PASSWORD);
  });
});

describe('bulk invitations and the seat limit', () => {
  it('concurrent bulk invites racing for the last seats never exceed maxSeats, and every refusal says why', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 8 });
    // The admin holds one seat: 7 are left for 4 batches of 4 (16 addresses, 2 shared by every batch).
    const shared = [emailOf('shared-a'), emailOf('shared-b')];
    const batches = Array.from({ length: 4 }, (_, b) => [...shared, emailOf(`b${b}-1`), emailOf(`b${b}-2`)]);
    const answers = await Promise.all(
      batches.map((emails) =>
        local.api('POST', invitations(org), { token: org.admin.accessToken, body: { emails, role: 'member' } }),
      ),
    );
    const results = answers.map((a) => {
      expect(a.status, a.text).toBe(200);
      return a.json as { created: { email: string }[]; refused: { email: string; code: string }[] };
    });
    const created = results.flatMap((r) => r.created.map((c) => c.email));
    // Each address invited once at most; a batch's seats may go unused when its shared addresses
    // lose to another batch after the others were told "seat limit", so at most 7, not exactly.
    expect(new Set(created).size).toBe(created.length);
    expect(created.length).toBeGreaterThanOrEqual(4);
    expect(created.length).toBeLessThanOrEqual(7);
    for (const [i, r] of results.entries()) {
      expect([...r.created.map((c) => c.email), ...r.refused.map((c) => c.email)].sort()).toEqual(
        [...batches[i]!].sort(),
      );
      for (const refusal of r.refused) expect(['already_invited', 'seat_limit_reached']).toContain(refusal.code);
    }
    const recount = await expectSeatsMatchItems(org.orgId);
    expect(recount).toEqual({ seatsUsed: 1 + created.length, pending: created.length });
    if (created.length < 7)
      expect(results.some((r) => r.refused.some((x) => x.code === 'seat_limit_reached'))).toBe(true);
  });

  it('a batch larger than the seats left invites the first addresses and refuses the rest for the seat limit', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 4 });
    const emails = Array.from({ length: 6 }, (_, i) => emailOf(`over${i}`));
    const { created, refused } = await invite(org, emails);
    expect(created.map((c) => c.email)).toEqual(emails.slice(0, 3));
    expect(refused).toEqual(
      emails.slice(3).map((email) => ({ email, code: 'seat_limit_reached', detail: 'Seat limit reached (4)' })),
    );
    expect(await expectSeatsMatchItems(org.orgId)).toEqual({ seatsUsed: 4, pending: 3 });
  });

  it('bulk invites and member adds at once stay within maxSeats, counters recounted', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const bulk = Array.from({ length: 3 }, (_, b) => Array.from({ length: 4 }, (_, i) => emailOf(`mix${b}-${i}`)));
    const adds = Array.from({ length: 6 }, (_, i) => emailOf(`add${i}`));
    const answers = await Promise.all([
      ...bulk.map((emails) =>
        local.api('POST', invitations(org), { token: org.admin.accessToken, body: { emails, role: 'member' } }),
      ),
      ...adds.map((email) =>
        local.api('POST', `/v1/orgs/${org.orgId}/members`, {
          token: org.admin.accessToken,
          body: { email, name: 'Added', role: 'member' },
        }),
      ),
    ]);
    const invited = answers.slice(0, bulk.length).reduce((n, a) => n + (a.json.created as unknown[]).length, 0);
    const added = answers.slice(bulk.length).filter((a) => a.status === 201).length;
    for (const a of answers.slice(bulk.length)) expect([201, 409], a.text).toContain(a.status);
    expect(invited + added).toBe(9);
    const recount = await expectCountersMatchItems(local.db, org.orgId);
    expect(recount.seatsUsed).toBe(10);
    await expectSeatsMatchItems(org.orgId);
  });
});
