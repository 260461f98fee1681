import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../shared/data/dynamo-client.js';
import { openedLinkOf, OUTBOX_ENTITY } from '../shared/mail/outbox.js';
import type { ApiRequest, ApiResponse, BenchApi } from './api-client.js';

/**
 * Arranging a scenario's data through the API (as the demo org's admin) or the table: each
 * step must succeed, or the scenario's count would measure a refusal.
 */
export interface ArrangeContext {
  api: BenchApi;
  db: Database;
  /** The demo org ("Acme"). */
  orgId: string;
}

let sequence = 0;
/** A fresh address each call, so arranged people never collide across scenarios. */
export function freshEmail(kind: string): string {
  sequence += 1;
  return `${kind}-${sequence}@bench.test`;
}

export async function expectOk(api: BenchApi, request: ApiRequest, status: number): Promise<ApiResponse> {
  const response = await api.send(request);
  if (response.status !== status) {
    throw new Error(
      `arranging: ${request.method} ${request.path} answered ${response.status}, not ${status}: ${JSON.stringify(response.body)?.slice(0, 300)}`,
    );
  }
  return response;
}

const field = (response: ApiResponse, name: string): string => {
  const value = (response.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string')
    throw new Error(`arranging: no ${name} in ${JSON.stringify(response.body)?.slice(0, 300)}`);
  return value;
};

/** A member added by the admin (no mail); returns the user id. */
export async function addMember(
  ctx: ArrangeContext,
  options: { teamId?: string; email?: string } = {},
): Promise<string> {
  const email = options.email ?? freshEmail('member');
  const body = {
    name: `Bench ${email.split('@')[0] ?? email}`,
    email,
    role: 'member',
    ...(options.teamId ? { teamId: options.teamId } : {}),
  };
  return field(
    await expectOk(ctx.api, { method: 'POST', path: `/v1/orgs/${ctx.orgId}/members`, as: 'orgAdmin', body }, 201),
    'userId',
  );
}

export async function createTeam(ctx: ArrangeContext): Promise<string> {
  const name = `Team ${freshEmail('team').split('@')[0] ?? ''}`;
  return field(
    await expectOk(
      ctx.api,
      { method: 'POST', path: `/v1/orgs/${ctx.orgId}/teams`, as: 'orgAdmin', body: { name } },
      201,
    ),
    'teamId',
  );
}

/** One pending invitation; returns its id and the address it went to. */
export async function invite(ctx: ArrangeContext): Promise<{ invitationId: string; email: string }> {
  const email = freshEmail('invitee');
  const response = await expectOk(
    ctx.api,
    {
      method: 'POST',
      path: `/v1/orgs/${ctx.orgId}/invitations`,
      as: 'orgAdmin',
      body: { emails: [email], role: 'member' },
    },
    200,
  );
  const created = (response.body as { created?: { invitationId: string }[] }).created ?? [];
  const invitationId = created[0]?.invitationId;
  if (!invitationId)
    throw new Error(`arranging: invitation to ${email} not created: ${JSON.stringify(response.body)?.slice(0, 300)}`);
  return { invitationId, email };
}

export async function createApiKey(ctx: ArrangeContext): Promise<{ keyId: string; secret: string }> {
  const response = await expectOk(
    ctx.api,
    {
      method: 'POST',
      path: `/v1/orgs/${ctx.orgId}/api-keys`,
      as: 'orgAdmin',
      body: { name: `key ${freshEmail('key')}` },
    },
    201,
  );
  return { keyId: field(response, 'keyId'), secret: field(response, 'secret') };
}

/**
 * The token in the newest mail queued for `to` with this template: the outbox item the
 * change wrote (the bench runs no mailer), its link ending in the token. A Scan: the outbox
 * has no index by recipient, and the bench's table is small while scenarios run.
 */
export async function tokenFromOutbox(db: Database, to: string, template: string): Promise<string> {
  const found: { createdAt: string; item: Record<string, unknown> }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.client.send(
      new ScanCommand({
        TableName: db.tableName,
        FilterExpression: 'entity = :outbox AND #to = :to AND template = :template',
        ExpressionAttributeNames: { '#to': 'to' },
        ExpressionAttributeValues: { ':outbox': OUTBOX_ENTITY, ':to': to, ':template': template },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) found.push({ createdAt: String(item.createdAt), item });
    start = page.LastEvaluatedKey;
  } while (start);
  const newest = found.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).pop();
  // The link is sealed in the item; this process holds the local data key, as the mailer would.
  const token = newest && (await openedLinkOf(newest.item)).split('/').pop();
  if (!token) throw new Error(`arranging: no ${template} mail to ${to} in the outbox`);
  return token;
}
