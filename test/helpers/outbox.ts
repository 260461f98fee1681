import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { Database } from '../../shared/data/dynamo-client.js';
import { openedLinkOf, OUTBOX_ENTITY, type MailMessage } from '../../shared/mail/outbox.js';

/**
 * The tokens of every link queued for `to`, each opened as the mailer opens it (the outbox item
 * holds the link sealed; this process holds the local data key): the link's last path segment.
 * With `template`, only mails of that template; a test may scan.
 */
export async function queuedTokens(db: Database, to: string, template?: MailMessage['template']): Promise<string[]> {
  const tokens: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out: ScanCommandOutput = await db.client.send(
      new ScanCommand({
        TableName: db.tableName,
        FilterExpression:
          template === undefined ? 'entity = :e AND #to = :to' : 'entity = :e AND #to = :to AND template = :t',
        ExpressionAttributeNames: { '#to': 'to' },
        ExpressionAttributeValues: {
          ':e': OUTBOX_ENTITY,
          ':to': to,
          ...(template === undefined ? {} : { ':t': template }),
        },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) tokens.push((await openedLinkOf(item)).split('/').pop()!);
    start = out.LastEvaluatedKey;
  } while (start);
  return tokens;
}

/** The token of the one link queued for `to` (see queuedTokens); fails the test unless there is exactly one. */
export async function onlyQueuedToken(db: Database, to: string, template?: MailMessage['template']): Promise<string> {
  const tokens = await queuedTokens(db, to, template);
  expect(tokens).toHaveLength(1);
  return tokens[0]!;
}
