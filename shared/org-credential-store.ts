import { batchGetConsistent } from './data/batch-get.js';
import { getItem } from './data/get-item.js';
import { orgFromItem } from './orgs/org-repository.js';
import type { Org } from './orgs/org.js';
import { auditStep, type AuditContext } from './audit/audit-event.js';
import type { Database } from './data/dynamo-client.js';
import { orgCredentialIndexKeys, orgCredentialPartition, orgKey, type ItemKey } from './data/keys.js';
import { queryPage, type Page } from './data/pagination.js';
import { put, remove, transactWrite } from './data/transactions.js';
import { ConflictError, NotFoundError } from './errors.js';
import { digestsEqual, newId, newSecret, sha256 } from './ids.js';
import { formatOrgCredential, parseOrgCredential } from './org-credential.js';

/**
 * The one store of org credentials (API keys, SCIM tokens): issued with the secret shown once
 * and only its SHA-256 kept, listed from the org's credential index partition, revoked by
 * delete, every change audited in the same transaction. A kind says how its items are named.
 */
export interface OrgCredentialKind<Id extends string> {
  /** Item key and index partition name. */
  kind: 'APIKEY' | 'SCIMTOKEN';
  /** The credential's id attribute (`keyId`, `tokenId`). */
  idField: Id;
  /** Presented-value prefix (see org-credential.ts). */
  prefix: string;
  /** The item's `entity` attribute. */
  entity: string;
  itemKey: (id: string) => ItemKey;
  /** Audit target type; also names the audit actions (`<type>.created`, `<type>.revoked`) and the not-found code. */
  auditType: 'api_key' | 'scim_token';
  /** For error messages: `API key`, `SCIM token`. */
  label: string;
}

export type OrgCredential<Id extends string> = { [K in Id]: string } & {
  orgId: string;
  name: string;
  /** SHA-256 (hex) of the full presented value; the value itself is shown once and never stored. */
  secretHash: string;
  createdAt: string;
  /** User id of the admin who created it. */
  createdBy: string | null;
};

const CREDENTIAL_INDEX = 'GSI1';

export function orgCredentialToItem<Id extends string>(
  kind: OrgCredentialKind<Id>,
  credential: OrgCredential<Id>,
): Record<string, unknown> {
  const id = credential[kind.idField] as string;
  return {
    ...kind.itemKey(id),
    ...orgCredentialIndexKeys(kind.kind, credential.orgId, credential.createdAt, id),
    entity: kind.entity,
    ...credential,
  };
}

export function orgCredentialFromItem<Id extends string>(
  kind: OrgCredentialKind<Id>,
  item: Record<string, unknown>,
): OrgCredential<Id> {
  return {
    [kind.idField]: item[kind.idField] as string,
    orgId: item.orgId as string,
    name: item.name as string,
    secretHash: item.secretHash as string,
    createdAt: item.createdAt as string,
    createdBy: (item.createdBy as string | null | undefined) ?? null,
  } as OrgCredential<Id>;
}

/** One page of an org's credentials of this kind, oldest first, from the org's credential index partition. */
export async function queryOrgCredentials<Id extends string>(
  kind: OrgCredentialKind<Id>,
  db: Database,
  orgId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<OrgCredential<Id>>> {
  const page = await queryPage(db, {
    index: CREDENTIAL_INDEX,
    partition: orgCredentialPartition(kind.kind, orgId),
    forward: true,
    limit,
    cursor,
  });
  return { items: page.items.map((item) => orgCredentialFromItem(kind, item)), nextCursor: page.nextCursor };
}

/**
 * Issues an org credential. The value is returned once, here; the table keeps only its
 * SHA-256. The credential item and its audit event are one transaction.
 */
export async function createOrgCredential<Id extends string>(
  kind: OrgCredentialKind<Id>,
  db: Database,
  orgId: string,
  input: { name: string },
  audit: AuditContext,
): Promise<{ credential: OrgCredential<Id>; secret: string }> {
  const id = newId();
  const secret = formatOrgCredential(kind.prefix, orgId, id, newSecret());
  const credential = {
    [kind.idField]: id,
    orgId,
    name: input.name,
    secretHash: sha256(secret),
    createdAt: audit.now.toISOString(),
    createdBy: audit.actor.type === 'user' ? audit.actor.id : null,
  } as OrgCredential<Id>;
  await transactWrite(db, [
    put(
      db,
      orgCredentialToItem(kind, credential),
      'attribute_not_exists(PK)',
      () => new ConflictError(`${kind.label} id collision; retry`),
    ),
    auditStep(
      db,
      {
        orgId,
        action: `${kind.auditType}.created`,
        target: { type: kind.auditType, id },
        after: { name: credential.name },
      },
      audit,
    ),
  ]);
  return { credential, secret };
}

/** One credential by its (global) id, strongly consistent; undefined when there is none. */
export async function getOrgCredential<Id extends string>(
  kind: OrgCredentialKind<Id>,
  db: Database,
  id: string,
): Promise<OrgCredential<Id> | undefined> {
  const item = await getItem(db, kind.itemKey(id));
  return item ? orgCredentialFromItem(kind, item) : undefined;
}

/**
 * Revokes a credential by deleting it: authorization reads the item with a consistent read,
 * so the very next request with it is refused. Ids are global, so the delete is conditioned
 * on the credential belonging to the path's org: another org's id reads as unknown.
 */
export async function revokeOrgCredential<Id extends string>(
  kind: OrgCredentialKind<Id>,
  db: Database,
  orgId: string,
  id: string,
  audit: AuditContext,
): Promise<void> {
  const notFound = () => new NotFoundError(`No such ${kind.label}`, `${kind.auditType}_not_found`);
  const credential = await getOrgCredential(kind, db, id);
  if (!credential || credential.orgId !== orgId) throw notFound();
  await transactWrite(db, [
    remove(db, kind.itemKey(id), { expression: 'orgId = :org', values: { ':org': orgId } }, notFound),
    auditStep(
      db,
      {
        orgId,
        action: `${kind.auditType}.revoked`,
        target: { type: kind.auditType, id },
        before: { name: credential.name },
      },
      audit,
    ),
  ]);
}

/** Compared against when no credential item exists, so an unknown credential costs what a wrong one does. */
const NO_CREDENTIAL_DIGEST = sha256('no such credential');

/**
 * Verifies a presented credential in one strongly consistent BatchGetItem: it names its org and
 * its id, so the credential item and the org are read together, and the hash is compared in
 * constant time. Missing, garbled, unknown, revoked (deleted) and foreign credentials all
 * answer undefined alike, so a refusal reveals nothing.
 */
export async function verifyOrgCredential<Id extends string>(
  db: Database,
  kind: OrgCredentialKind<Id>,
  presented: string | undefined,
  /** More items the caller's operation needs, read in the same BatchGetItem (returned only to a valid credential). */
  extraKeys: readonly ItemKey[] = [],
): Promise<{ credential: OrgCredential<Id>; org: Org; extra: Record<string, unknown>[] } | undefined> {
  const ids = parseOrgCredential(kind.prefix, presented);
  if (!ids || presented === undefined) return undefined;
  const credentialKey = kind.itemKey(ids.id);
  const items = await batchGetConsistent(db, [credentialKey, orgKey(ids.orgId), ...extraKeys]);
  const credentialItem = items.find((i) => i.PK === credentialKey.PK);
  const orgItem = items.find((i) => i.PK === orgKey(ids.orgId).PK);
  const credential = credentialItem ? orgCredentialFromItem(kind, credentialItem) : undefined;
  const hashMatches = digestsEqual(sha256(presented.trim()), credential?.secretHash ?? NO_CREDENTIAL_DIGEST);
  if (!credential || !hashMatches || credential.orgId !== ids.orgId || !orgItem) return undefined;
  const extra = items.filter((i) => extraKeys.some((key) => key.PK === i.PK && key.SK === i.SK));
  return { credential, org: orgFromItem(orgItem), extra };
}
