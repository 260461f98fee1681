import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ROUTES } from '../infra/routes.js';
import { DEMO } from '../local/seed.js';
import { memberExportKey } from '../shared/data/keys.js';
import type { BenchApi, CallerName } from './api-client.js';
import {
  addMember,
  createApiKey,
  createTeam,
  expectOk,
  freshEmail,
  invite,
  tokenFromOutbox,
  type ArrangeContext,
} from './arrange.js';
import type { BenchStack } from './bench-stack.js';
import { arrangeImport } from './import.js';
import type { Origin, RoundTrip, RoundTripCounter } from './round-trip-counter.js';
import { signatureHeader } from '../shared/webhooks/signature.js';

/** DESIGN.md §5: DynamoDB round trips per API request. */
export const ROUND_TRIP_BUDGET = { authorization: 1, operation: 2 } as const;

/** What a scenario's arrange step hands its request: ids, tokens, secrets. */
export type Arranged = Record<string, string>;

/** One measured request: later operations are one row each. */
export interface Scenario {
  /** The route exactly as ROUTES has it: `PATCH /v1/orgs/{orgId}`. */
  route: string;
  /** Told apart from another row of the same route: `5 emails`. */
  variant?: string;
  /** Which signed-in caller sends it; omitted for public routes. */
  as?: CallerName;
  /** Data the request needs, made before the counter is reset (through the API or the table). */
  arrange?: (ctx: ArrangeContext) => Promise<Arranged>;
  /** The concrete path (with query), body and headers, given the seeded demo org. */
  request: (
    seed: { orgId: string },
    arranged: Arranged,
  ) => { path: string; body?: unknown; headers?: Record<string, string> };
  /** Anything else means the request did not do its work, so its count proves nothing. */
  expectStatus: number;
  /**
   * A bulk operation: its operation count grows with its items, so it is reported per item
   * rather than judged against the per-request budget (authorization is still judged).
   */
  bulk?: { unit: string; items: (arranged: Arranged) => number };
}

const BULK_SIZE = 5;
const member = (s: { orgId: string }, a: Arranged, action = '') => `/v1/orgs/${s.orgId}/members/${a.userId}${action}`;
const oneMember = async (ctx: ArrangeContext): Promise<Arranged> => ({ userId: await addMember(ctx) });

const scimAuth = (a: Arranged) => ({ authorization: `Bearer ${a.token ?? ''}` });
const scimUserBody = (email: string, externalId: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  externalId,
  name: { givenName: 'Bench', familyName: 'Person' },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
});
const scimPatchBody = (...Operations: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations,
});

async function createScimToken(ctx: ArrangeContext): Promise<string> {
  const res = await expectOk(
    ctx.api,
    {
      method: 'POST',
      path: `/v1/orgs/${ctx.orgId}/scim-tokens`,
      as: 'orgAdmin',
      body: { name: `bench ${freshEmail('token')}` },
    },
    201,
  );
  return (res.body as { secret: string }).secret;
}

/** A SCIM-provisioned person (with an externalId) and the token that made them. */
async function scimUser(ctx: ArrangeContext): Promise<Arranged> {
  const token = await createScimToken(ctx);
  const email = freshEmail('scim');
  const externalId = `ext-${email}`;
  const res = await expectOk(
    ctx.api,
    {
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}` },
      body: scimUserBody(email, externalId),
    },
    201,
  );
  return { token, email, externalId, userId: (res.body as { id: string }).id };
}

async function setScimDeleteAction(ctx: ArrangeContext, deleteAction: 'deprovision' | 'remove'): Promise<void> {
  await expectOk(
    ctx.api,
    { method: 'PATCH', path: `/v1/orgs/${ctx.orgId}`, as: 'orgAdmin', body: { scim: { deleteAction } } },
    200,
  );
}

/** A SCIM-provisioned person and the org's webhook signing secret (rotated each time). */
async function webhookTarget(ctx: ArrangeContext): Promise<Arranged> {
  const user = await scimUser(ctx);
  const rotated = await expectOk(
    ctx.api,
    { method: 'POST', path: `/v1/orgs/${ctx.orgId}/webhook-secret`, as: 'orgAdmin' },
    200,
  );
  return { ...user, secret: (rotated.body as { secret: string }).secret };
}

/** A Roster-signed delivery: the client sends JSON.stringify(body), exactly the bytes signed here. */
function signedWebhook(s: { orgId: string }, a: Arranged, body: unknown) {
  const header = signatureHeader(a.secret ?? '', Math.floor(Date.now() / 1000), JSON.stringify(body));
  return { path: `/v1/webhooks/idp/${s.orgId}`, body, headers: { 'roster-signature': header } };
}

export const SCENARIOS: readonly Scenario[] = [
  { route: 'GET /openapi.json', request: () => ({ path: '/openapi.json' }), expectStatus: 200 },
  { route: 'GET /v1/me', as: 'orgAdmin', request: () => ({ path: '/v1/me' }), expectStatus: 200 },
  {
    route: 'POST /v1/orgs',
    as: 'operator',
    // A first admin new to Roster: the usual case, and the one that writes the most.
    request: () => ({
      path: '/v1/orgs',
      body: { name: 'Second Org', maxSeats: 5, admin: { email: 'new-admin@bench.test', name: 'New Admin' } },
    }),
    expectStatus: 201,
  },
  {
    route: 'GET /v1/orgs/{orgId}',
    as: 'orgAdmin',
    request: (s) => ({ path: `/v1/orgs/${s.orgId}` }),
    expectStatus: 200,
  },
  {
    route: 'PATCH /v1/orgs/{orgId}',
    as: 'orgAdmin',
    request: (s) => ({ path: `/v1/orgs/${s.orgId}`, body: { name: 'Acme (renamed)', invitationTtlHours: 48 } }),
    expectStatus: 200,
  },

  // Members.
  {
    route: 'GET /v1/orgs/{orgId}/members',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/members?limit=50` }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/members',
    as: 'orgAdmin',
    // A person new to Roster: user, email claim, membership, seat.
    request: (s) => ({
      path: `/v1/orgs/${s.orgId}/members`,
      body: { name: 'Added Person', email: freshEmail('added'), role: 'member' },
    }),
    expectStatus: 201,
  },
  {
    route: 'GET /v1/orgs/{orgId}/members/{userId}',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s, a) => ({ path: member(s, a) }),
    expectStatus: 200,
  },
  {
    route: 'PUT /v1/orgs/{orgId}/members/{userId}',
    as: 'orgAdmin',
    arrange: async (ctx) => {
      const email = freshEmail('replaced');
      return { email, userId: await addMember(ctx, { email }), teamId: await createTeam(ctx) };
    },
    // Name and team change, email kept: the common edit.
    request: (s, a) => ({
      path: member(s, a),
      body: { name: 'Renamed Person', email: a.email, role: 'member', teamId: a.teamId },
    }),
    expectStatus: 200,
  },
  {
    route: 'DELETE /v1/orgs/{orgId}/members/{userId}',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s, a) => ({ path: member(s, a) }),
    expectStatus: 204,
  },
  {
    route: 'POST /v1/orgs/{orgId}/members/{userId}/suspend',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s, a) => ({ path: member(s, a, '/suspend') }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/members/{userId}/reactivate',
    as: 'orgAdmin',
    arrange: async (ctx) => {
      const userId = await addMember(ctx);
      await expectOk(
        ctx.api,
        { method: 'POST', path: `/v1/orgs/${ctx.orgId}/members/${userId}/suspend`, as: 'orgAdmin' },
        200,
      );
      return { userId };
    },
    request: (s, a) => ({ path: member(s, a, '/reactivate') }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/members/bulk-role',
    as: 'orgAdmin',
    variant: `${BULK_SIZE} members`,
    arrange: async (ctx) => {
      const ids: string[] = [];
      for (let i = 0; i < BULK_SIZE; i++) ids.push(await addMember(ctx));
      return { userIds: ids.join(',') };
    },
    request: (s, a) => ({
      path: `/v1/orgs/${s.orgId}/members/bulk-role`,
      body: { userIds: (a.userIds ?? '').split(','), role: 'org_admin' },
    }),
    expectStatus: 200,
    bulk: { unit: 'member', items: (a) => (a.userIds ?? '').split(',').length },
  },
  {
    route: 'GET /v1/orgs/{orgId}/members/export',
    as: 'orgAdmin',
    variant: 'whole org',
    arrange: async (ctx) => {
      const page = await expectOk(
        ctx.api,
        { method: 'GET', path: `/v1/orgs/${ctx.orgId}/members?limit=100`, as: 'orgAdmin' },
        200,
      );
      const { items = [], nextCursor } = page.body as { items?: unknown[]; nextCursor?: string | null };
      if (nextCursor) throw new Error('arranging: the demo org outgrew one page; count its members another way');
      return { members: String(items.length) };
    },
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/members/export` }),
    expectStatus: 200,
    bulk: { unit: 'member', items: (a) => Number(a.members) },
  },

  // Credentials.
  {
    route: 'POST /v1/orgs/{orgId}/members/{userId}/revoke-sessions',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s, a) => ({ path: member(s, a, '/revoke-sessions') }),
    expectStatus: 204,
  },
  {
    route: 'POST /v1/orgs/{orgId}/members/{userId}/reset-password',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s, a) => ({ path: member(s, a, '/reset-password') }),
    expectStatus: 202,
  },
  {
    route: 'POST /v1/orgs/{orgId}/members/{userId}/reset-mfa',
    as: 'orgAdmin',
    arrange: oneMember,
    request: (s, a) => ({ path: member(s, a, '/reset-mfa') }),
    expectStatus: 204,
  },
  {
    route: 'POST /v1/password-resets/{token}',
    // An added member's first link: their identity is created, and recorded (one more write).
    variant: 'first link, lazy identity',
    arrange: async (ctx) => {
      const email = freshEmail('resetting');
      const userId = await addMember(ctx, { email });
      await expectOk(
        ctx.api,
        { method: 'POST', path: `/v1/orgs/${ctx.orgId}/members/${userId}/reset-password`, as: 'orgAdmin' },
        202,
      );
      return { token: await tokenFromOutbox(ctx.db, email, 'password_reset') };
    },
    request: (_s, a) => ({ path: `/v1/password-resets/${a.token}`, body: { password: 'Roster-bench-reset-1!' } }),
    expectStatus: 204,
  },
  {
    route: 'POST /v1/password-resets/{token}',
    variant: 'account with an identity',
    arrange: async (ctx) => {
      const email = freshEmail('resetting-again');
      const userId = await addMember(ctx, { email });
      const resetLink = async () => {
        await expectOk(
          ctx.api,
          { method: 'POST', path: `/v1/orgs/${ctx.orgId}/members/${userId}/reset-password`, as: 'orgAdmin' },
          202,
        );
        return tokenFromOutbox(ctx.db, email, 'password_reset');
      };
      // The first link gives the person their identity; the second is the one measured.
      await expectOk(
        ctx.api,
        {
          method: 'POST',
          path: `/v1/password-resets/${await resetLink()}`,
          body: { password: 'Roster-bench-first-1!' },
        },
        204,
      );
      return { token: await resetLink() };
    },
    request: (_s, a) => ({ path: `/v1/password-resets/${a.token}`, body: { password: 'Roster-bench-reset-2!' } }),
    expectStatus: 204,
  },

  // Teams.
  {
    route: 'GET /v1/orgs/{orgId}/teams',
    as: 'orgAdmin',
    arrange: async (ctx) => ({ teamId: await createTeam(ctx) }),
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/teams` }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/teams',
    as: 'orgAdmin',
    request: (s) => ({
      path: `/v1/orgs/${s.orgId}/teams`,
      body: { name: 'Created Team', description: 'made by the bench' },
    }),
    expectStatus: 201,
  },
  {
    route: 'PUT /v1/orgs/{orgId}/teams/{teamId}',
    as: 'orgAdmin',
    arrange: async (ctx) => ({ teamId: await createTeam(ctx) }),
    // A rename: the name claim moves too.
    request: (s, a) => ({
      path: `/v1/orgs/${s.orgId}/teams/${a.teamId}`,
      body: { name: `Renamed ${a.teamId?.slice(0, 8) ?? ''}`, description: 'renamed' },
    }),
    expectStatus: 200,
  },
  {
    route: 'DELETE /v1/orgs/{orgId}/teams/{teamId}',
    as: 'orgAdmin',
    variant: `${BULK_SIZE} members in it`,
    arrange: async (ctx) => {
      const teamId = await createTeam(ctx);
      for (let i = 0; i < BULK_SIZE; i++) await addMember(ctx, { teamId });
      return { teamId, members: String(BULK_SIZE) };
    },
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/teams/${a.teamId}` }),
    expectStatus: 204,
    bulk: { unit: 'member unassigned', items: (a) => Number(a.members) },
  },
  {
    route: 'DELETE /v1/orgs/{orgId}/teams/{teamId}',
    as: 'orgAdmin',
    variant: 'empty team',
    arrange: async (ctx) => ({ teamId: await createTeam(ctx) }),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/teams/${a.teamId}` }),
    expectStatus: 204,
  },

  // Large member exports: queue, then the status with a download link (signing costs no round trip).
  {
    route: 'POST /v1/orgs/{orgId}/member-exports',
    as: 'orgAdmin',
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/member-exports` }),
    expectStatus: 202,
  },
  {
    route: 'GET /v1/orgs/{orgId}/member-exports/{exportId}',
    as: 'orgAdmin',
    variant: 'ready, with link',
    arrange: async (ctx) => {
      const queued = await expectOk(
        ctx.api,
        { method: 'POST', path: `/v1/orgs/${ctx.orgId}/member-exports`, as: 'orgAdmin' },
        202,
      );
      const exportId = (queued.body as { exportId: string }).exportId;
      // As the writer leaves it (the bench runs no stream consumers).
      await ctx.db.client.send(
        new UpdateCommand({
          TableName: ctx.db.tableName,
          Key: memberExportKey(ctx.orgId, exportId),
          UpdateExpression: 'SET #s = :ready, rowCount = :n, sizeBytes = :b, completedAt = :t',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':ready': 'ready', ':n': 1, ':b': 100, ':t': new Date().toISOString() },
        }),
      );
      return { exportId };
    },
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/member-exports/${a.exportId}` }),
    expectStatus: 200,
  },

  // Invitations.
  {
    route: 'GET /v1/orgs/{orgId}/invitations',
    as: 'orgAdmin',
    arrange: async (ctx) => invite(ctx),
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/invitations` }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/invitations',
    as: 'orgAdmin',
    variant: 'one email',
    request: (s) => ({
      path: `/v1/orgs/${s.orgId}/invitations`,
      body: { emails: [freshEmail('invited')], role: 'member' },
    }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/invitations',
    as: 'orgAdmin',
    variant: `${BULK_SIZE} emails`,
    arrange: async () => ({ emails: Array.from({ length: BULK_SIZE }, () => freshEmail('invited')).join(',') }),
    request: (s, a) => ({
      path: `/v1/orgs/${s.orgId}/invitations`,
      body: { emails: (a.emails ?? '').split(','), role: 'member' },
    }),
    expectStatus: 200,
    bulk: { unit: 'invitation', items: (a) => (a.emails ?? '').split(',').length },
  },
  {
    route: 'POST /v1/orgs/{orgId}/invitations/{invitationId}/resend',
    as: 'orgAdmin',
    arrange: async (ctx) => invite(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/invitations/${a.invitationId}/resend` }),
    expectStatus: 200,
  },
  {
    route: 'DELETE /v1/orgs/{orgId}/invitations/{invitationId}',
    as: 'orgAdmin',
    arrange: async (ctx) => invite(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/invitations/${a.invitationId}` }),
    expectStatus: 204,
  },
  {
    route: 'GET /v1/invitations/{token}',
    arrange: async (ctx) => ({ token: await tokenFromOutbox(ctx.db, (await invite(ctx)).email, 'invitation') }),
    request: (_s, a) => ({ path: `/v1/invitations/${a.token}` }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/invitations/{token}/accept',
    // A person new to Roster accepting: user, email claim, membership, token spent.
    arrange: async (ctx) => ({ token: await tokenFromOutbox(ctx.db, (await invite(ctx)).email, 'invitation') }),
    request: (_s, a) => ({
      path: `/v1/invitations/${a.token}/accept`,
      body: { name: 'Accepting Person', password: 'Roster-bench-accept-1!' },
    }),
    expectStatus: 201,
  },
  {
    route: 'POST /v1/invitations/{token}/accept',
    variant: 'signed-in user',
    // The operator (no membership in Acme) accepts with their bearer token: token + user, then one transaction.
    as: 'operator',
    arrange: async (ctx) => {
      await expectOk(
        ctx.api,
        {
          method: 'POST',
          path: `/v1/orgs/${ctx.orgId}/invitations`,
          as: 'orgAdmin',
          body: { emails: [DEMO.operator.email], role: 'member' },
        },
        200,
      );
      return { token: await tokenFromOutbox(ctx.db, DEMO.operator.email, 'invitation') };
    },
    request: (_s, a) => ({ path: `/v1/invitations/${a.token}/accept` }),
    expectStatus: 201,
  },

  // Audit, API keys, public API.
  {
    route: 'GET /v1/orgs/{orgId}/audit-events',
    as: 'orgAdmin',
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/audit-events?limit=50` }),
    expectStatus: 200,
  },
  {
    route: 'GET /v1/orgs/{orgId}/api-keys',
    as: 'orgAdmin',
    arrange: async (ctx) => createApiKey(ctx),
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/api-keys` }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/api-keys',
    as: 'orgAdmin',
    request: (s) => ({ path: `/v1/orgs/${s.orgId}/api-keys`, body: { name: 'created by the bench' } }),
    expectStatus: 201,
  },
  {
    route: 'DELETE /v1/orgs/{orgId}/api-keys/{keyId}',
    as: 'orgAdmin',
    arrange: async (ctx) => createApiKey(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/api-keys/${a.keyId}` }),
    expectStatus: 204,
  },
  // CSV import: the upload (preview), then an import arranged through the domain function.
  {
    route: 'POST /v1/orgs/{orgId}/imports',
    variant: `${BULK_SIZE} rows`,
    as: 'orgAdmin',
    arrange: async () => ({
      csv: `email,name\n${Array.from({ length: BULK_SIZE }, (_, i) => `${freshEmail('upload')},Uploaded ${i}`).join('\n')}\n`,
    }),
    request: (s, a) => ({
      path: `/v1/orgs/${s.orgId}/imports?mode=invite`,
      body: a.csv,
      headers: { 'content-type': 'text/csv' },
    }),
    expectStatus: 201,
    // Membership and invitation claims read 100 rows a BatchGetItem, chunks written 25 items a BatchWriteItem.
    bulk: { unit: 'row', items: () => BULK_SIZE },
  },
  {
    route: 'GET /v1/orgs/{orgId}/imports/{importId}',
    as: 'orgAdmin',
    arrange: (ctx) => arrangeImport(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/imports/${a.importId}` }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/orgs/{orgId}/imports/{importId}/commit',
    as: 'orgAdmin',
    arrange: (ctx) => arrangeImport(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/imports/${a.importId}/commit` }),
    expectStatus: 202,
  },
  {
    route: 'POST /v1/orgs/{orgId}/imports/{importId}/cancel',
    as: 'orgAdmin',
    arrange: (ctx) => arrangeImport(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/imports/${a.importId}/cancel` }),
    expectStatus: 200,
  },
  {
    route: 'GET /v1/orgs/{orgId}/imports/{importId}/report',
    as: 'orgAdmin',
    arrange: (ctx) => arrangeImport(ctx),
    request: (s, a) => ({ path: `/v1/orgs/${s.orgId}/imports/${a.importId}/report` }),
    expectStatus: 200,
    // The import, then its chunk and batch items page by page: grows with the file (300 rows per chunk item).
    bulk: { unit: 'row', items: (a) => Number(a.rows) },
  },
  {
    route: 'GET /api/public/v1/org',
    arrange: async (ctx) => createApiKey(ctx),
    request: (_s, a) => ({ path: '/api/public/v1/org', headers: { 'x-api-key': a.secret ?? '' } }),
    expectStatus: 200,
  },

  // SCIM and the IdP webhook (authorization: the SCIM token + org BatchGet; the webhook's
  // credential read, which also fetches the replay marker and the user's claims).
  {
    route: 'POST /scim/v2/Users',
    variant: 'person new to Roster, with externalId',
    arrange: async (ctx) => ({ token: await createScimToken(ctx), email: freshEmail('scim') }),
    request: (_s, a) => ({
      path: '/scim/v2/Users',
      headers: scimAuth(a),
      body: scimUserBody(a.email ?? '', `ext-${a.email ?? ''}`),
    }),
    expectStatus: 201,
  },
  {
    route: 'PATCH /scim/v2/Users/{id}',
    variant: 'rename (givenName)',
    arrange: scimUser,
    request: (_s, a) => ({
      path: `/scim/v2/Users/${a.userId}`,
      headers: scimAuth(a),
      body: scimPatchBody({ op: 'replace', path: 'name.givenName', value: 'Renamed' }),
    }),
    expectStatus: 200,
  },
  {
    route: 'PATCH /scim/v2/Users/{id}',
    variant: 'deactivate',
    arrange: scimUser,
    request: (_s, a) => ({
      path: `/scim/v2/Users/${a.userId}`,
      headers: scimAuth(a),
      body: scimPatchBody({ op: 'replace', value: { active: false } }),
    }),
    expectStatus: 200,
  },
  {
    route: 'DELETE /scim/v2/Users/{id}',
    variant: 'deleteAction deprovision',
    arrange: async (ctx) => {
      await setScimDeleteAction(ctx, 'deprovision');
      return scimUser(ctx);
    },
    request: (_s, a) => ({ path: `/scim/v2/Users/${a.userId}`, headers: scimAuth(a) }),
    expectStatus: 204,
  },
  {
    route: 'DELETE /scim/v2/Users/{id}',
    variant: 'deleteAction remove',
    arrange: async (ctx) => {
      await setScimDeleteAction(ctx, 'remove');
      return scimUser(ctx);
    },
    request: (_s, a) => ({ path: `/scim/v2/Users/${a.userId}`, headers: scimAuth(a) }),
    expectStatus: 204,
  },
  {
    route: 'POST /v1/webhooks/idp/{orgId}',
    variant: 'user.deactivated by email',
    arrange: webhookTarget,
    request: (s, a) =>
      signedWebhook(s, a, { id: `evt-${a.email ?? ''}`, type: 'user.deactivated', data: { email: a.email } }),
    expectStatus: 200,
  },
  {
    route: 'POST /v1/webhooks/idp/{orgId}',
    variant: 'user.deactivated by externalId',
    arrange: webhookTarget,
    request: (s, a) =>
      signedWebhook(s, a, {
        id: `evt-x-${a.email ?? ''}`,
        type: 'user.deactivated',
        data: { externalId: a.externalId },
      }),
    expectStatus: 200,
  },
];

export interface ScenarioResult {
  route: string;
  variant?: string;
  as: string;
  status: number;
  expectedStatus: number;
  /** Round trips per origin (see round-trip-counter.ts). */
  counts: Record<Origin, number>;
  /** Every round trip in order. */
  trips: RoundTrip[];
  /** Bulk rows: items the request handled and operation round trips per item. */
  bulk?: { unit: string; items: number; operationPerItem: number };
  /** BULK: authorization within budget, the operation count reported per item, not judged. */
  verdict: 'PASS' | 'FAIL' | 'BULK' | 'ERROR';
  /** Why ERROR: the unexpected answer, or the arrange step that failed. */
  detail?: string;
}

export type RoundTripReport =
  | {
      status: 'measured';
      driver: string;
      budget: typeof ROUND_TRIP_BUDGET;
      scenarios: ScenarioResult[];
      /** Routes in ROUTES with no scenario yet. */
      unmeasuredRoutes: string[];
    }
  | { status: 'skipped'; reason: string };

/** Seats enough for every arranged member and invitation (the demo org has 25). */
const DEMO_SEATS = 1000;

/**
 * Round trips per operation, on the shared bench stack: each scenario arranges its data,
 * then the counter is reset just before its one measured request, what was sent split by
 * origin.
 */
export async function measureRoundTrips(stack: BenchStack, progress: (line: string) => void): Promise<RoundTripReport> {
  const routeKeys = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
  const unknown = SCENARIOS.filter((s) => !routeKeys.has(s.route)).map((s) => s.route);
  if (unknown.length > 0) throw new Error(`Scenarios for routes not in ROUTES: ${unknown.join(', ')}`);

  const { api, counter, db } = stack;
  const ctx: ArrangeContext = { api, db, orgId: api.orgId };
  await expectOk(
    api,
    { method: 'PATCH', path: `/v1/orgs/${api.orgId}`, as: 'operator', body: { maxSeats: DEMO_SEATS } },
    200,
  );
  const scenarios: ScenarioResult[] = [];
  // BENCH_ROUTES: only the scenarios whose route contains one of these comma-separated texts (`/scim/v2,/webhooks/`).
  const only = process.env.BENCH_ROUTES?.split(',').filter((part) => part !== '');
  for (const scenario of SCENARIOS.filter((s) => !only?.length || only.some((part) => s.route.includes(part)))) {
    progress(`round trips: ${scenario.route}${scenario.variant ? ` (${scenario.variant})` : ''}`);
    scenarios.push(await runScenario(api, ctx, counter, scenario));
  }
  const measured = new Set(SCENARIOS.map((s) => s.route));
  return {
    status: 'measured',
    driver: api.description,
    budget: ROUND_TRIP_BUDGET,
    scenarios,
    unmeasuredRoutes: [...routeKeys].filter((key) => !measured.has(key)),
  };
}

async function runScenario(
  api: BenchApi,
  ctx: ArrangeContext,
  counter: RoundTripCounter,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const [method = 'GET'] = scenario.route.split(' ');
  const base = {
    route: scenario.route,
    ...(scenario.variant ? { variant: scenario.variant } : {}),
    as: scenario.as ?? 'anonymous',
    expectedStatus: scenario.expectStatus,
  };
  const none: Record<Origin, number> = { authorization: 0, operation: 0, identity: 0, activity: 0, limit: 0 };
  let arranged: Arranged = {};
  try {
    if (scenario.arrange) arranged = await scenario.arrange(ctx);
  } catch (error) {
    return { ...base, status: 0, counts: none, trips: [], verdict: 'ERROR', detail: (error as Error).message };
  }
  const { path, body, headers } = scenario.request({ orgId: api.orgId }, arranged);
  counter.reset();
  const response = await api.send({
    method,
    path,
    body,
    ...(headers ? { headers } : {}),
    ...(scenario.as ? { as: scenario.as } : {}),
  });
  const trips = counter.taken();
  const counts: Record<Origin, number> = { ...none };
  for (const trip of trips) counts[trip.origin]++;
  const measured = { ...base, status: response.status, counts, trips };
  if (response.status !== scenario.expectStatus) {
    return {
      ...measured,
      verdict: 'ERROR',
      detail: `answered ${response.status}: ${JSON.stringify(response.body)?.slice(0, 200)}`,
    };
  }
  // The fair-use counter (at most one UpdateItem) rides with authorization, outside the operation's budget.
  const authorizationWithin = counts.authorization <= ROUND_TRIP_BUDGET.authorization && counts.limit <= 1;
  if (scenario.bulk) {
    const items = scenario.bulk.items(arranged);
    return {
      ...measured,
      bulk: {
        unit: scenario.bulk.unit,
        items,
        operationPerItem: items > 0 ? counts.operation / items : counts.operation,
      },
      verdict: authorizationWithin ? 'BULK' : 'FAIL',
    };
  }
  const within = authorizationWithin && counts.operation <= ROUND_TRIP_BUDGET.operation;
  return { ...measured, verdict: within ? 'PASS' : 'FAIL' };
}
