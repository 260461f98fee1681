import { describe, expect, it } from 'vitest';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { markOutboxFailed } from '../../../shared/mail/outbox.js';
import { OUTBOX_FAILED_ATTRIBUTES } from '../../../shared/mail/outbox-entity.js';

describe('marking an outbox item failed', () => {
  it("writes only the attributes the mailer's IAM grant allows (OUTBOX_FAILED_ATTRIBUTES)", async () => {
    const sent: { input: Record<string, unknown> }[] = [];
    // The command as it would go on the wire; what DynamoDB does with it is the integration tests' part.
    const db = {
      tableName: 'roster',
      client: { send: (command: { input: Record<string, unknown> }) => (sent.push(command), Promise.resolve({})) },
    } as unknown as Database;
    await markOutboxFailed(db, { messageId: 'm1', orgId: 'o1' }, 'MessageRejected', new Date('2026-12-07T00:00:00Z'));
    const input = sent.map((c) => c.input).find((i) => typeof i.UpdateExpression === 'string');
    expect(input).toBeDefined();
    const names = (input!.ExpressionAttributeNames ?? {}) as Record<string, string>;
    const written = String(input!.UpdateExpression)
      .replace(/^SET /, '')
      .split(',')
      .map((clause) => clause.split('=')[0]!.trim())
      .map((name) => names[name] ?? name);
    expect(written.sort()).toEqual([...OUTBOX_FAILED_ATTRIBUTES].sort());
    expect(input!.ReturnValues ?? 'NONE').toBe('NONE');
  });
});
