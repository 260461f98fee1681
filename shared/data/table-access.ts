import type { FallbackOperation, Operation, OperationAuth, OperationLimit, TableGrant } from '../operation.js';
import type { PartitionFamily } from './keys.js';

/**
 * What a function's IAM policy lets it touch in the table, as the local stack's guard sees it
 * (local/table-access-guard.ts): partition-key families (narrowed by `dynamodb:LeadingKeys`), the
 * whole table, or nothing. Each function declares its grant once (TableGrant in shared/operation.ts).
 *
 * Narrowing is per route, not per tenant: one Lambda role serves every org, and the org id is a
 * path value IAM never sees (a per-tenant policy would need per-request session credentials).
 */
export type TableAccess = readonly PartitionFamily[] | 'wholeTable' | 'none';

/** What the request pipeline reads before the function runs, by auth kind (shared/http/authorize.ts) and fair limit. */
export function pipelineFamilies(auth: OperationAuth, limit: OperationLimit | undefined): PartitionFamily[] {
  const byAuth: Record<OperationAuth['kind'], PartitionFamily[]> = {
    public: [],
    optionalBearer: [],
    webhook: [],
    // The caller's user item (a platform operator's first request marks it).
    signedIn: ['USER'],
    platformAdmin: ['USER'],
    // The user, the org and the membership (and the target member's, with targetParam) in one
    // BatchGetItem; the membership's hourly last-active update.
    orgMember: ['USER', 'ORG'],
    // The credential and its org in one BatchGetItem.
    apiKey: ['APIKEY', 'ORG'],
    scimToken: ['SCIMTOKEN', 'ORG'],
  };
  // A SCIM route naming its user (`targetParam`) reads that user's record in the token's BatchGetItem.
  const target: PartitionFamily[] = auth.kind === 'scimToken' && auth.targetParam ? ['USER'] : [];
  return [...byAuth[auth.kind], ...target, ...(limit ? (['RATE'] as const) : [])];
}

/**
 * An operation's table grant as its function gets it: the families its operation object declares
 * for its use case, plus what the pipeline reads for its auth and limit, sorted.
 */
export function operationTableGrant(operation: Operation | FallbackOperation): TableGrant {
  const { table } = operation.grants;
  if (table === 'none' || table.families === undefined) return table;
  const families = [...new Set([...pipelineFamilies(operation.auth, operation.limit), ...table.families])].sort();
  return { access: table.access, families };
}

/** A grant as the local guard checks it: its families, the whole table, or nothing. */
export function tableAccessOf(grant: TableGrant): TableAccess {
  if (grant === 'none') return 'none';
  return grant.families ?? 'wholeTable';
}
