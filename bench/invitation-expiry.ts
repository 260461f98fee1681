import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../local/ensure-table.js';
import { orgKey } from '../shared/data/keys.js';
import { newId } from '../shared/ids.js';
import { EXPIRY_PAGE_SIZE, expireInvitations } from '../shared/invitations/expire-invitations.js';
import type { Invitation } from '../shared/invitations/invitation.js';
import { invitationToItem } from '../shared/invitations/invitation-repository.js';
import { expectOk } from './arrange.js';
import type { BenchStack } from './bench-stack.js';
import { seedItems } from './list-scale.js';

/**
 * Issue 4's bench: the scheduled expiry job when `overdue` of `total` pending invitations are
 * past their expiry. The job reads a sparse index keyed by expiry time, so what it reads must
 * follow the overdue invitations (≈ overdue, plus one look-ahead item per page), not the table.
 */
export type ExpiryBenchReport =
  | {
      status: 'measured';
      total: number;
      overdue: number;
      /** Items the job's Queries read from the expiry index (sum of ScannedCount). */
      indexItemsRead: number;
      /** Keys it read one by one (its consistent re-read of each candidate before the write). */
      keysRead: number;
      transactions: number;
      expired: number;
      seconds: number;
      /** Allowed index reads: every overdue item plus one look-ahead per page. */
      bound: number;
      verdict: 'PASS' | 'FAIL';
    }
  | { status: 'skipped'; reason: string };

export async function measureInvitationExpiry(
  stack: BenchStack,
  total: number,
  overdue: number,
  progress: (line: string) => void,
): Promise<ExpiryBenchReport> {
  const client = DynamoDBDocumentClient.from(localDynamoClient(stack.table.endpoint), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  try {
    const created = await expectOk(
      stack.api,
      {
        method: 'POST',
        path: '/v1/orgs',
        as: 'operator',
        body: { name: 'Expiry Org', maxSeats: 1_000_000, admin: { email: 'admin@acme.test', name: 'Acme Admin' } },
      },
      201,
    );
    const orgId = (created.body as { orgId: string }).orgId;
    const now = new Date();
    const at = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();
    const invitations: Invitation[] = Array.from({ length: total }, (_, i) => ({
      orgId,
      invitationId: newId(),
      email: `invitee-${i}@expiry.test`,
      role: 'member',
      teamId: null,
      message: null,
      status: 'pending',
      invitedBy: { userId: 'bench', email: 'admin@acme.test', name: 'Acme Admin' },
      createdAt: at(-200),
      updatedAt: at(-200),
      // The first `overdue` expired within the last day; the rest expire over the coming week.
      expiresAt: i < overdue ? at(-1 - (i % 23)) : at(1 + (i % 160)),
      delivery: 'sent',
      deliveryAt: at(-200),
      deliveryError: null,
      deliverySendId: null,
      tokenHash: `bench-${i}`,
      acceptedBy: null,
      version: 1,
    }));
    progress(`invitation expiry: seeding ${total} pending invitations, ${overdue} overdue`);
    await seedItems(client, stack.db.tableName, invitations.map(invitationToItem), progress, 'invitation expiry');
    // Pending invitations hold seats: the org's counter says so, as the API would have left it.
    await client.send(
      new UpdateCommand({
        TableName: stack.db.tableName,
        Key: orgKey(orgId),
        UpdateExpression: 'SET seatsUsed = seatsUsed + :n',
        ExpressionAttributeValues: { ':n': total },
      }),
    );

    progress('invitation expiry: running the job');
    stack.counter.reset();
    const started = performance.now();
    const summary = await expireInvitations(stack.db, {
      actor: { type: 'system', id: 'bench' },
      ip: null,
      userAgent: null,
      requestId: null,
      now: new Date(),
    });
    const seconds = (performance.now() - started) / 1000;
    const trips = stack.counter.taken();
    const indexItemsRead = trips
      .filter((t) => t.command.startsWith('Query'))
      .reduce((sum, t) => sum + (t.itemsRead ?? 0), 0);
    const keysRead = trips.reduce((sum, t) => sum + (t.keysRequested ?? 0), 0);
    const transactions = trips.filter((t) => t.command.startsWith('TransactWriteItems')).length;
    const bound = overdue + Math.ceil(overdue / EXPIRY_PAGE_SIZE) + 1;
    const ok = summary.expired === overdue && indexItemsRead <= bound && keysRead <= overdue;
    return {
      status: 'measured',
      total,
      overdue,
      indexItemsRead,
      keysRead,
      transactions,
      expired: summary.expired,
      seconds,
      bound,
      verdict: ok ? 'PASS' : 'FAIL',
    };
  } catch (error) {
    return { status: 'skipped', reason: (error as Error).message };
  } finally {
    client.destroy();
  }
}

export function renderInvitationExpiry(report: ExpiryBenchReport): string {
  const title = '5. Invitation expiry job (issue 4: what it reads follows the overdue invitations, not the table)';
  if (report.status === 'skipped') return `${title}\n\nskipped: ${report.reason}`;
  return [
    title,
    '',
    `pending invitations ${report.total}, overdue ${report.overdue} · expired ${report.expired} in ${report.seconds.toFixed(1)} s`,
    `expiry index items read ${report.indexItemsRead} (bound: overdue + one look-ahead per page of ${EXPIRY_PAGE_SIZE} = ${report.bound}) · ratio read / overdue ${(report.indexItemsRead / report.overdue).toFixed(2)} · read / pending ${(report.indexItemsRead / report.total).toFixed(3)}`,
    `consistent re-reads ${report.keysRead} (one per candidate) · transactions ${report.transactions} · verdict ${report.verdict}`,
  ].join('\n');
}
