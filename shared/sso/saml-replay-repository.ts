import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import { getItem } from '../data/get-item.js';
import { samlAssertionKey, samlRequestKey } from '../data/keys.js';
import { put } from '../data/transactions.js';

/**
 * The table's side of SAML's single-use rules: AuthnRequest ids (node-saml's cache provider, shared
 * by every Lambda instance) and the ids of assertions already accepted, each removed by its TTL.
 */

/** Records an AuthnRequest id; false when it is already recorded. */
export function putSamlRequest(db: Database, requestId: string, createdAt: string, ttl: number): Promise<boolean> {
  return writeStep(
    db,
    put(db, { ...samlRequestKey(requestId), entity: 'samlRequest', createdAt, ttl }, 'attribute_not_exists(PK)'),
  );
}

/** When the AuthnRequest was recorded, or null when it is not (never issued, used, or expired away). */
export async function getSamlRequest(db: Database, requestId: string): Promise<string | null> {
  return ((await getItem(db, samlRequestKey(requestId)))?.createdAt as string | undefined) ?? null;
}

/** Removes the AuthnRequest id, answering when it was recorded (null when it was not there): its one use. */
export async function takeSamlRequest(db: Database, requestId: string): Promise<string | null> {
  const { Attributes } = await db.client.send(
    new DeleteCommand({ TableName: db.tableName, Key: samlRequestKey(requestId), ReturnValues: 'ALL_OLD' }),
  );
  return (Attributes?.createdAt as string | undefined) ?? null;
}

/** Records that the provider's assertion was accepted, until `ttl`; false when it already was (a replay). */
export function recordSamlAssertion(
  db: Database,
  providerName: string,
  assertionId: string,
  issuer: string,
  ttl: number,
): Promise<boolean> {
  return writeStep(
    db,
    put(
      db,
      { ...samlAssertionKey(providerName, assertionId), entity: 'samlAssertion', issuer, ttl },
      'attribute_not_exists(PK)',
    ),
  );
}
