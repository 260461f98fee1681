import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scimExternalIdKey, webhookConfigKey, webhookEventKey } from '../../shared/data/keys.js';
import { getOrg } from '../../shared/orgs/org-repository.js';
import { signatureHeader } from '../../shared/webhooks/signature.js';
import { RoundTripCounter } from '../../bench/round-trip-counter.js';
import {
  auditEventsInTable,
  expectCountersMatchItems,
  expectProblem,
  membershipsInTable,
} from '../helpers/assertions.js';
import {
  startLocalApi,
  TEST_PASSWORD,
  uniqueSuffix,
  type LocalApi,
  type SeededOrg,
  type SignedInUser,
} from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

const hookPath = (orgId: string) => `/v1/webhooks/idp/${orgId}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface WebhookOrg extends SeededOrg {
  secret: string;
}

async function orgWithSecret(maxSeats = 10): Promise<WebhookOrg> {
  const org = await local.seedOperatorAndOrg({ maxSeats });
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/webhook-secret`, { token: org.admin.accessToken });
  expect(res.status, res.text).toBe(200);
  return { ...org, secret: res.json.secret as string };
}

async function addMember(
  org: SeededOrg,
  email = `person-${uniqueSuffix()}@org.test`,
  role: 'member' | 'org_admin' = 'member',
) {
  const res = await local.api('POST', `/v1/orgs/${org.orgId}/members`, {
    token: org.admin.accessToken,
    body: { name: `Person ${uniqueSuffix()}`, email, role },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { userId: string; email: string };
}

async function addSignedInMember(org: SeededOrg): Promise<SignedInUser> {
  const added = await addMember(org);
  await local.setPassword(added.userId, TEST_PASSWORD);
  const { accessToken } = await local.signIn(added.email, TEST_PASSWORD);
  return { userId: added.userId, email: added.email, password: TEST_PASSWORD, accessToken };
}

const lifecycleEvent = (type: string, data: { email?: string; externalId?: string }, id = `evt_${randomUUID()}`) => ({
  id,
  type,
  data,
});

/** Delivers a Roster-signed event: the signature covers exactly the bytes sent. */
function deliver(
  orgId: string,
  secret: string,
  event: unknown,
  options: { t?: number; raw?: string; header?: string | null; contentType?: string } = {},
) {
  const raw = options.raw ?? JSON.stringify(event);
  const t = options.t ?? nowSeconds();
  const header = options.header === undefined ? signatureHeader(secret, t, raw) : options.header;
  return local.api('POST', hookPath(orgId), {
    body: raw,
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(header === null ? {} : { 'roster-signature': header }),
    },
  });
}

async function memberStatus(orgId: string, userId: string) {
  return (await membershipsInTable(local.db, orgId)).find((m) => m.userId === userId)?.status;
}

async function auditActions(orgId: string, targetId?: string) {
  const events = await auditEventsInTable(local.db, orgId);
  return events
    .filter((e) => !targetId || (e.target as { id?: string } | null)?.id === targetId)
    .map((e) => ({ action: e.action as string, actor: e.actor as { type: string; id: string } }));
}

async function replayRecorded(orgId: string, eventId: string) {
  const { Item } = await local.db.client.send(
    new GetCommand({ TableName: local.db.tableName, Key: webhookEventKey(orgId, eventId), ConsistentRead: true }),
  );
  return Item;
}

/** Everything a refused delivery must leave alone: memberships, counters, audit trail. */
async function orgState(orgId: string) {
  const [members, org, audit] = await Promise.all([
    membershipsInTable(local.db, orgId),
    getOrg(local.db, orgId, true),
    auditEventsInTable(local.db, orgId),
  ]);
  return {
    members: members.map((m) => [m.userId, m.status, m.version]),
    seatsUsed: org?.seatsUsed,
    audit: audit.length,
  };
}

describe('webhook configuration (org admins)', () => {
  it('rotates the signing secret, shown once; the old secret stops working; members may not; audited without the secret', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const rotated = await local.api('POST', `/v1/orgs/${org.orgId}/webhook-secret`, { token: org.admin.accessToken });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.json).toMatchObject({
      orgId: org.orgId,
      signingSecretConfigured: true,
      oktaAuthorizationConfigured: false,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
    });
    expect(rotated.json.secret).not.toBe(org.secret);

    expectProblem(
      await deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: target.email })),
      401,
      'invalid_signature',
    );
    expect(
      (
        await deliver(
          org.orgId,
          rotated.json.secret as string,
          lifecycleEvent('user.deactivated', { email: target.email }),
        )
      ).json.outcome,
    ).toBe('changed');

    const member = await addSignedInMember(org);
    expectProblem(
      await local.api('POST', `/v1/orgs/${org.orgId}/webhook-secret`, { token: member.accessToken }),
      403,
      'insufficient_role',
    );
    expectProblem(
      await local.api('PUT', `/v1/orgs/${org.orgId}/webhook-config`, {
        token: member.accessToken,
        body: { oktaAuthorizationHeader: 'x'.repeat(32) },
      }),
      403,
      'insufficient_role',
    );

    const audit = await auditEventsInTable(local.db, org.orgId);
    const rotations = audit.filter((e) => e.action === 'webhook.secret_rotated');
    expect(rotations).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(rotated.json.secret);
    expect(JSON.stringify(audit)).not.toContain(org.secret);
  });

  it('sets and clears the Okta Authorization value, validating it and storing only whether it is set', async () => {
    const org = await orgWithSecret();
    const path = `/v1/orgs/${org.orgId}/webhook-config`;
    expectProblem(
      await local.api('PUT', path, { token: org.admin.accessToken, body: { oktaAuthorizationHeader: 'short' } }),
      400,
    );
    expectProblem(await local.api('PUT', path, { token: org.admin.accessToken, body: { other: 1 } }), 400);
    const set = await local.api('PUT', path, {
      token: org.admin.accessToken,
      body: { oktaAuthorizationHeader: 'Bearer okta-shared-value-123' },
    });
    expect(set.json).toMatchObject({ oktaAuthorizationConfigured: true, signingSecretConfigured: true });
    expect(set.text).not.toContain('okta-shared-value-123');
    expect(
      (await local.api('PUT', path, { token: org.admin.accessToken, body: { oktaAuthorizationHeader: null } })).json
        .oktaAuthorizationConfigured,
    ).toBe(false);
    expect((await auditActions(org.orgId)).filter((e) => e.action === 'webhook.config_updated')).toHaveLength(2);
  });
});

describe('Roster-signed lifecycle events', () => {
  it('deactivates: member deprovisioned (row kept), seat freed, their live token refused on the next request to that org', async () => {
    const org = await orgWithSecret();
    const other = await local.seedOperatorAndOrg();
    const member = await addSignedInMember(org);
    await local.api('POST', `/v1/orgs/${other.orgId}/members`, {
      token: other.admin.accessToken,
      body: { name: 'Shared', email: member.email, role: 'member' },
    });
    expect((await local.api('GET', `/v1/orgs/${org.orgId}`, { token: member.accessToken })).status).toBe(200);
    expect((await getOrg(local.db, org.orgId, true))?.seatsUsed).toBe(2);

    const event = lifecycleEvent('user.deactivated', { email: member.email.toUpperCase() });
    const res = await deliver(org.orgId, org.secret, event);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      eventId: event.id,
      type: 'user.deactivated',
      outcome: 'changed',
      userId: member.userId,
      status: 'deprovisioned',
      duplicate: false,
    });

    expect(await memberStatus(org.orgId, member.userId)).toBe('deprovisioned');
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 1, activeAdmins: 1 });
    expectProblem(
      await local.api('GET', `/v1/orgs/${org.orgId}`, { token: member.accessToken }),
      403,
      'membership_inactive',
    );
    expect((await local.api('GET', `/v1/orgs/${other.orgId}`, { token: member.accessToken })).status).toBe(200);
    expect(await auditActions(org.orgId, member.userId)).toEqual([
      { action: 'member.added', actor: expect.objectContaining({ type: 'user' }) },
      { action: 'member.deprovisioned', actor: { type: 'webhook', id: event.id } },
    ]);
    expect(await replayRecorded(org.orgId, event.id)).toMatchObject({ ttl: expect.any(Number) });
  });

  it('ends every session of a member whose only active membership it was (401 session_revoked)', async () => {
    const org = await orgWithSecret();
    const member = await addSignedInMember(org);
    expect(
      (await deliver(org.orgId, org.secret, lifecycleEvent('user.deleted', { email: member.email }))).json.status,
    ).toBe('deprovisioned');
    expectProblem(
      await local.api('GET', `/v1/orgs/${org.orgId}`, { token: member.accessToken }),
      401,
      'session_revoked',
    );
    expect((await membershipsInTable(local.db, org.orgId)).find((m) => m.userId === member.userId)).toMatchObject({
      status: 'deprovisioned',
      email: member.email,
    });
  });

  it('reactivates a deprovisioned member with a free seat; refuses with 409 seat_limit_reached when full, recording nothing, so the same id works later', async () => {
    const org = await orgWithSecret(2);
    const target = await addMember(org);
    await deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: target.email }));
    const filler = await addMember(org);

    const reactivate = lifecycleEvent('user.reactivated', { email: target.email });
    const before = await orgState(org.orgId);
    expectProblem(await deliver(org.orgId, org.secret, reactivate), 409, 'seat_limit_reached');
    expect(await orgState(org.orgId)).toEqual(before);
    expect(await replayRecorded(org.orgId, reactivate.id)).toBeUndefined();

    await local.api('DELETE', `/v1/orgs/${org.orgId}/members/${filler.userId}`, { token: org.admin.accessToken });
    const res = await deliver(org.orgId, org.secret, reactivate);
    expect(res.json).toMatchObject({ outcome: 'changed', status: 'active' });
    expect(await expectCountersMatchItems(local.db, org.orgId)).toEqual({ seatsUsed: 2, activeAdmins: 1 });
  });

  it('answers 200 unchanged for a member already in the target status', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const res = await deliver(org.orgId, org.secret, lifecycleEvent('user.reactivated', { email: target.email }));
    expect(res.json).toMatchObject({ outcome: 'unchanged', status: 'active', duplicate: false });
    expect((await auditActions(org.orgId, target.userId)).map((e) => e.action)).toEqual(['member.added']);
  });

  it('finds the member by the org’s SCIM externalId', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    await local.db.client.send(
      new PutCommand({
        TableName: local.db.tableName,
        Item: { ...scimExternalIdKey(org.orgId, 'okta-00u42'), entity: 'scimExternalId', userId: target.userId },
      }),
    );
    expect(
      (await deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { externalId: 'okta-00u42' }))).json,
    ).toMatchObject({ outcome: 'changed', userId: target.userId });
  });

  it('verifies the exact bytes even when the body arrives base64-encoded', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const raw = `{ "id": "evt_${uniqueSuffix()}",\n  "type": "user.deactivated", "data": { "email": "${target.email}" } }`;
    const res = await deliver(org.orgId, org.secret, undefined, { raw, contentType: 'application/octet-stream' });
    expect(res.json, res.text).toMatchObject({ outcome: 'changed' });
  });

  it('keeps the last active admin (409 last_admin), recording nothing', async () => {
    const org = await orgWithSecret();
    const before = await orgState(org.orgId);
    expectProblem(
      await deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: org.admin.email })),
      409,
      'last_admin',
    );
    expect(await orgState(org.orgId)).toEqual(before);
  });
});

describe('refused deliveries change nothing', () => {
  it.each([
    [
      'a wrong signature',
      'invalid_signature',
      (org: WebhookOrg, raw: string) => ({ header: signatureHeader(`${org.secret}x`, nowSeconds(), raw) }),
    ],
    ['no signature header', 'invalid_signature', () => ({ header: null })],
    ['a garbled header', 'invalid_signature', () => ({ header: 'sha256=abc' })],
    [
      'a body changed after signing',
      'invalid_signature',
      (org: WebhookOrg, raw: string) => ({
        header: signatureHeader(org.secret, nowSeconds(), raw.replace('}}', ' }}')),
      }),
    ],
    [
      'a timestamp 6 minutes old',
      'stale_signature',
      (org: WebhookOrg, raw: string) => ({ header: signatureHeader(org.secret, nowSeconds() - 360, raw) }),
    ],
    [
      'a timestamp 6 minutes ahead',
      'stale_signature',
      (org: WebhookOrg, raw: string) => ({ header: signatureHeader(org.secret, nowSeconds() + 360, raw) }),
    ],
  ] as const)('%s → 401 %s', async (_name, code, sign) => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const event = lifecycleEvent('user.deactivated', { email: target.email });
    const raw = JSON.stringify(event);
    const before = await orgState(org.orgId);
    expectProblem(await deliver(org.orgId, org.secret, event, { raw, ...sign(org, raw) }), 401, code);
    expect(await orgState(org.orgId)).toEqual(before);
    expect(await replayRecorded(org.orgId, event.id)).toBeUndefined();
  });

  it('an unknown user, or a user who is not a member, → 404 unknown_user', async () => {
    const org = await orgWithSecret();
    const outsider = await local.seedOperatorAndOrg();
    const before = await orgState(org.orgId);
    for (const data of [
      { email: `nobody-${uniqueSuffix()}@org.test` },
      { email: outsider.admin.email },
      { externalId: 'never-provisioned' },
    ]) {
      const event = lifecycleEvent('user.deactivated', data);
      expectProblem(await deliver(org.orgId, org.secret, event), 404, 'unknown_user');
      expect(await replayRecorded(org.orgId, event.id)).toBeUndefined();
    }
    expect(await orgState(org.orgId)).toEqual(before);
  });

  it('a signed but invalid body → 400 naming the field', async () => {
    const org = await orgWithSecret();
    const res = await deliver(org.orgId, org.secret, { id: 'evt_1', type: 'user.renamed', data: {} });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['type', 'data']));
    expectProblem(await deliver(org.orgId, org.secret, undefined, { raw: '{not json' }), 400, 'malformed_body');
  });

  it('another org’s secret never works for this org, nor does any secret for an org without one', async () => {
    const victim = await orgWithSecret();
    const attacker = await orgWithSecret();
    const target = await addMember(victim);
    const before = await orgState(victim.orgId);
    expectProblem(
      await deliver(victim.orgId, attacker.secret, lifecycleEvent('user.deactivated', { email: target.email })),
      401,
      'invalid_signature',
    );
    expectProblem(
      await deliver(randomUUID(), attacker.secret, lifecycleEvent('user.deactivated', { email: target.email })),
      401,
      'invalid_signature',
    );
    const unconfigured = await local.seedOperatorAndOrg();
    expectProblem(
      await deliver(unconfigured.orgId, '', lifecycleEvent('user.deactivated', { email: unconfigured.admin.email })),
      401,
      'invalid_signature',
    );
    expect(await orgState(victim.orgId)).toEqual(before);
  });
});

describe('replayed event ids', () => {
  it('a redelivery after success is 200 duplicate and changes nothing twice', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const event = lifecycleEvent('user.deactivated', { email: target.email });
    expect((await deliver(org.orgId, org.secret, event)).json.outcome).toBe('changed');
    // Re-signed with a new timestamp, as senders retry: the id alone identifies the event.
    const again = await deliver(org.orgId, org.secret, event, { t: nowSeconds() + 1 });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ eventId: event.id, outcome: 'duplicate', duplicate: true });
    // A later reactivation and then this old deactivation again: still ignored.
    expect(
      (await deliver(org.orgId, org.secret, lifecycleEvent('user.reactivated', { email: target.email }))).json.status,
    ).toBe('active');
    expect((await deliver(org.orgId, org.secret, event)).json.duplicate).toBe(true);
    expect(await memberStatus(org.orgId, target.userId)).toBe('active');
    expect((await auditActions(org.orgId, target.userId)).map((e) => e.action)).toEqual([
      'member.added',
      'member.deprovisioned',
      'member.reactivated',
    ]);
  });

  it('concurrent deliveries of one id change the member once', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const event = lifecycleEvent('user.deactivated', { email: target.email });
    const answers = await Promise.all(Array.from({ length: 6 }, () => deliver(org.orgId, org.secret, event)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.filter((a) => a.json.outcome === 'changed')).toHaveLength(1);
    expect(answers.filter((a) => a.json.outcome === 'duplicate')).toHaveLength(5);
    expect(
      (await auditActions(org.orgId, target.userId)).filter((e) => e.action === 'member.deprovisioned'),
    ).toHaveLength(1);
    await expectCountersMatchItems(local.db, org.orgId);
  });
});

describe('Okta Event Hooks', () => {
  const OKTA_AUTH = 'Basic b2t0YS1zaGFyZWQtc2VjcmV0LXZhbHVl';
  const oktaDelivery = (...events: { uuid?: string; eventType: string; email: string }[]) => ({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://acme.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3',
    eventId: randomUUID(),
    data: {
      events: events.map((e) => ({
        uuid: e.uuid ?? randomUUID(),
        published: new Date().toISOString(),
        eventType: e.eventType,
        displayMessage: 'Deactivate Okta user',
        actor: { id: '00u1admin', type: 'User', alternateId: 'okta-admin@acme.test' },
        target: [{ id: '00u1target', type: 'User', alternateId: e.email, displayName: 'Target' }],
      })),
    },
  });

  async function oktaOrg(): Promise<WebhookOrg> {
    const org = await orgWithSecret();
    const res = await local.api('PUT', `/v1/orgs/${org.orgId}/webhook-config`, {
      token: org.admin.accessToken,
      body: { oktaAuthorizationHeader: OKTA_AUTH },
    });
    expect(res.status, res.text).toBe(200);
    return org;
  }

  it('answers the one-time verification challenge, only with the configured Authorization value', async () => {
    const org = await oktaOrg();
    const challenge = 'X8cK6Pd0qYgrPmpYzeDDq7E-M6Nc7Y2wHe8iG7Ym';
    const ok = await local.api('GET', hookPath(org.orgId), {
      headers: { 'x-okta-verification-challenge': challenge, authorization: OKTA_AUTH },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toEqual({ verification: challenge });
    expectProblem(
      await local.api('GET', hookPath(org.orgId), {
        headers: { 'x-okta-verification-challenge': challenge, authorization: 'Basic d3Jvbmc=' },
      }),
      401,
      'invalid_authorization',
    );
    expectProblem(
      await local.api('GET', hookPath(org.orgId), { headers: { 'x-okta-verification-challenge': challenge } }),
      401,
      'invalid_authorization',
    );
    expectProblem(await local.api('GET', hookPath(org.orgId), { headers: { authorization: OKTA_AUTH } }), 400);
  });

  it('refuses, by its own time, an event older than the bound: a captured delivery sent again a day later changes nothing', async () => {
    const org = await oktaOrg();
    const target = await addMember(org);
    const body = oktaDelivery({ eventType: 'user.lifecycle.deactivate', email: target.email });
    const dayAgo = new Date(Date.now() - 24 * 3600_000).toISOString();
    for (const event of body.data.events) event.published = dayAgo;
    const before = await orgState(org.orgId);
    const res = await local.api('POST', hookPath(org.orgId), { body, headers: { authorization: OKTA_AUTH } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toEqual([
      expect.objectContaining({ outcome: 'refused', code: 'event_too_old', userId: null }),
    ]);
    expect(await memberStatus(org.orgId, target.userId)).toBe('active');
    expect(await orgState(org.orgId)).toEqual(before);
  });

  it('maps a deactivate event with the right Authorization; refuses a wrong one and changes nothing', async () => {
    const org = await oktaOrg();
    const target = await addMember(org);
    const body = oktaDelivery({ eventType: 'user.lifecycle.deactivate', email: target.email });
    const before = await orgState(org.orgId);
    expectProblem(
      await local.api('POST', hookPath(org.orgId), { body, headers: { authorization: 'Basic d3Jvbmc=' } }),
      401,
      'invalid_authorization',
    );
    expect(await orgState(org.orgId)).toEqual(before);

    const res = await local.api('POST', hookPath(org.orgId), { body, headers: { authorization: OKTA_AUTH } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toEqual([
      expect.objectContaining({
        eventId: `okta:${body.data.events[0]?.uuid}`,
        type: 'user.lifecycle.deactivate',
        outcome: 'changed',
        status: 'deprovisioned',
      }),
    ]);
    expect(await memberStatus(org.orgId, target.userId)).toBe('deprovisioned');
    expect((await auditActions(org.orgId, target.userId)).at(-1)).toEqual({
      action: 'member.deprovisioned',
      actor: { type: 'webhook', id: 'okta' },
    });

    // Okta retries a delivery it saw time out: every event in it is a duplicate.
    expect(
      (await local.api('POST', hookPath(org.orgId), { body, headers: { authorization: OKTA_AUTH } })).json.results[0]
        .outcome,
    ).toBe('duplicate');
  });

  it('answers a per-event summary: changed, ignored, refused (unknown user) in order', async () => {
    const org = await oktaOrg();
    const a = await addMember(org);
    const body = oktaDelivery(
      { eventType: 'user.lifecycle.suspend', email: a.email },
      { eventType: 'user.session.start', email: a.email },
      { eventType: 'user.lifecycle.delete.initiated', email: `nobody-${uniqueSuffix()}@org.test` },
      { eventType: 'user.lifecycle.unsuspend', email: a.email },
    );
    const res = await local.api('POST', hookPath(org.orgId), { body, headers: { authorization: OKTA_AUTH } });
    expect(res.status, res.text).toBe(200);
    expect(
      res.json.results.map((r: { outcome: string; code?: string; status: string | null }) => [
        r.outcome,
        r.code ?? null,
        r.status,
      ]),
    ).toEqual([
      ['changed', null, 'deprovisioned'],
      ['ignored', null, null],
      ['refused', 'unknown_user', null],
      ['changed', null, 'active'],
    ]);
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('applies a delivery larger than its first read holds: the events past it are looked up one by one', async () => {
    const org = await oktaOrg();
    const a = await addMember(org);
    // 40 unknown users (two keys each) fill the first read; the member's event comes after them.
    const unknown = Array.from({ length: 40 }, () => ({
      eventType: 'user.lifecycle.deactivate',
      email: `nobody-${uniqueSuffix()}@org.test`,
    }));
    const body = oktaDelivery(...unknown, { eventType: 'user.lifecycle.deactivate', email: a.email });
    const res = await local.api('POST', hookPath(org.orgId), { body, headers: { authorization: OKTA_AUTH } });
    expect(res.status, res.text).toBe(200);
    const outcomes = res.json.results.map((r: { outcome: string }) => r.outcome);
    expect(outcomes.slice(0, 40)).toEqual(Array(40).fill('refused'));
    expect(res.json.results[40]).toMatchObject({ outcome: 'changed', userId: a.userId, status: 'deprovisioned' });
    await expectCountersMatchItems(local.db, org.orgId);
  });

  it('another org’s Okta value never works for this org; the Roster secret is not an Okta value', async () => {
    const victim = await oktaOrg();
    const target = await addMember(victim);
    const attacker = await orgWithSecret();
    await local.api('PUT', `/v1/orgs/${attacker.orgId}/webhook-config`, {
      token: attacker.admin.accessToken,
      body: { oktaAuthorizationHeader: 'Basic YXR0YWNrZXItdmFsdWUtMTIzNDU2' },
    });
    const body = oktaDelivery({ eventType: 'user.lifecycle.deactivate', email: target.email });
    const before = await orgState(victim.orgId);
    expectProblem(
      await local.api('POST', hookPath(victim.orgId), {
        body,
        headers: { authorization: 'Basic YXR0YWNrZXItdmFsdWUtMTIzNDU2' },
      }),
      401,
      'invalid_authorization',
    );
    expectProblem(
      await local.api('POST', hookPath(victim.orgId), { body, headers: { authorization: victim.secret } }),
      401,
      'invalid_authorization',
    );
    expect(await orgState(victim.orgId)).toEqual(before);
  });
});

describe('signing secrets at rest (issue 21: sealed with the secrets key)', () => {
  const configItem = async (orgId: string) =>
    (
      await local.db.client.send(
        new GetCommand({ TableName: local.db.tableName, Key: webhookConfigKey(orgId), ConsistentRead: true }),
      )
    ).Item;

  it('the stored item holds the secret only sealed, and a delivery signed with it verifies', async () => {
    const org = await orgWithSecret();
    const target = await addMember(org);
    const item = await configItem(org.orgId);
    expect(item?.signingSecret).toBeUndefined();
    expect(item?.signingSecretSealed).toMatch(/^sealed1\./);
    expect(JSON.stringify(item)).not.toContain(org.secret.slice('whsec_'.length));

    const res = await deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: target.email }));
    expect(res.status, res.text).toBe(200);
    expect(await memberStatus(org.orgId, target.userId)).toBe('deprovisioned');
  });

  it('a secret stored in plain before sealing still verifies until the next rotation seals it', async () => {
    const org = await local.seedOperatorAndOrg({ maxSeats: 10 });
    const first = await addMember(org);
    const second = await addMember(org);
    const legacy = `whsec_${randomUUID().replace(/-/g, '')}legacy`;
    const now = new Date().toISOString();
    await local.db.client.send(
      new PutCommand({
        TableName: local.db.tableName,
        Item: {
          ...webhookConfigKey(org.orgId),
          entity: 'webhookConfig',
          orgId: org.orgId,
          signingSecret: legacy,
          secretRotatedAt: now,
          updatedAt: now,
        },
      }),
    );
    const before = await deliver(org.orgId, legacy, lifecycleEvent('user.deactivated', { email: first.email }));
    expect(before.status, before.text).toBe(200);

    const rotated = await local.api('POST', `/v1/orgs/${org.orgId}/webhook-secret`, { token: org.admin.accessToken });
    expect(rotated.status, rotated.text).toBe(200);
    const item = await configItem(org.orgId);
    expect(item?.signingSecret).toBeUndefined();
    expect(item?.signingSecretSealed).toMatch(/^sealed1\./);
    expectProblem(await deliver(org.orgId, legacy, lifecycleEvent('user.deactivated', { email: second.email })), 401);
    const after = await deliver(
      org.orgId,
      rotated.json.secret as string,
      lifecycleEvent('user.deactivated', { email: second.email }),
    );
    expect(after.status, after.text).toBe(200);
  });
});

describe('round trips of a deactivation (DESIGN.md section 5: the operation itself at most 2)', () => {
  const operationRequests = async (
    send: () => Promise<{ status: number; text: string; json: Record<string, unknown> }>,
  ) => {
    const counter = new RoundTripCounter();
    counter.install(local.db.client);
    counter.reset();
    const res = await send();
    expect(res.status, res.text).toBe(200);
    return {
      json: res.json,
      operation: counter
        .taken()
        .filter((t) => t.origin === 'operation')
        .map((t) => t.command),
    };
  };

  /** A person another org created (and still has, suspended), added to `org` too: no other active membership. */
  async function createdElsewhere(org: SeededOrg, email: string): Promise<SignedInUser> {
    const home = await local.seedOperatorAndOrg();
    const created = await addMember(home, email);
    await local.setPassword(created.userId, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    await addMember(org, email);
    const suspended = await local.api('POST', `/v1/orgs/${home.orgId}/members/${created.userId}/suspend`, {
      token: home.admin.accessToken,
    });
    expect(suspended.status, suspended.text).toBe(200);
    return { userId: created.userId, email, password: TEST_PASSWORD, accessToken };
  }

  it('a member the org added, in no other org: the memberships Query and one transaction, and every session ends', async () => {
    const org = await orgWithSecret();
    const member = await addSignedInMember(org);
    const { json, operation } = await operationRequests(() =>
      deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: member.email })),
    );
    expect(json.status).toBe('deprovisioned');
    expect(operation).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    expectProblem(await local.api('GET', '/v1/me', { token: member.accessToken }), 401, 'session_revoked');
  });

  it('an account another org created: not this org’s, so its sessions stay (the record, returned by the failed assumption, decides)', async () => {
    const org = await orgWithSecret();
    const person = await createdElsewhere(org, `elsewhere-${uniqueSuffix()}@gmail.test`);
    const { json, operation } = await operationRequests(() =>
      deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: person.email })),
    );
    expect(json.status).toBe('deprovisioned');
    expect(operation).toEqual(['QueryCommand', 'TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
    expect((await local.api('GET', '/v1/me', { token: person.accessToken })).status).toBe(200);
  });

  it('an account another org created, in a domain this org verified: its sessions end', async () => {
    const org = await orgWithSecret();
    const domain = `verified-${uniqueSuffix()}.test`;
    const verified = await local.api('PATCH', `/v1/orgs/${org.orgId}`, {
      token: org.operator.accessToken,
      body: { verifiedDomains: [domain] },
    });
    expect(verified.status, verified.text).toBe(200);
    const person = await createdElsewhere(org, `staff-${uniqueSuffix()}@${domain}`);
    const { json } = await operationRequests(() =>
      deliver(org.orgId, org.secret, lifecycleEvent('user.deactivated', { email: person.email })),
    );
    expect(json.status).toBe('deprovisioned');
    expectProblem(await local.api('GET', '/v1/me', { token: person.accessToken }), 401, 'session_revoked');
  });
});
