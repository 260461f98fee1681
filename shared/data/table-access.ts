import type { FallbackOperation, Operation, OperationAuth, OperationLimit } from '../operation.js';
import type { PartitionFamily } from './keys.js';

/**
 * What a function's IAM policy lets it touch in the table: partition-key families (narrowed by
 * `dynamodb:LeadingKeys`), the whole table (a function that scans: IAM cannot narrow a Scan), or
 * nothing. The local stack enforces the same (local/table-access-guard.ts).
 *
 * Narrowing is per route, not per tenant: one Lambda role serves every org, and the org id is a
 * path value IAM never sees (a per-tenant policy would need per-request session credentials).
 */
export type TableAccess = readonly PartitionFamily[] | 'wholeTable' | 'none';

/**
 * The member credential actions (shared/credentials/credential-actions.ts: revoke sessions, reset
 * password, reset MFA) and the self-service reset share one module, so one list: the union of
 * what any of them reaches (the reset's token, mail, rate limit and SSO enforcement reads).
 */
const CREDENTIAL_ACTION_FAMILIES: readonly PartitionFamily[] = [
  'AUDIT',
  'EMAIL',
  'ORG',
  'OUTBOX',
  'RATE',
  'SSODOMAIN',
  'SSOPROVIDER',
  'SSOPROVIDERS',
  'TOKEN',
  'USER',
];

/**
 * The SCIM Users and Groups routes share the SCIM user and group modules, so one list (a user's
 * email change may mail a confirmation link: OUTBOX, TOKEN).
 */
const SCIM_RESOURCE_FAMILIES: readonly PartitionFamily[] = ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'];

/**
 * Per function module (`functions/<handler>.ts`), the partition-key families its use case reads
 * or writes, beyond what the pipeline reads for the operation's auth and limit (pipelineFamilies):
 * declared once here, read by the CDK grant (infra/constructs/api-route.ts and the async
 * constructs) and by the local guard. A function missing here keeps the whole table. For an async
 * worker or a trigger the list is all it touches. Families are whole partitions: `ORG` is every
 * item of an org, its webhook config and SSO connections included (IAM sees no sort key).
 */
export const USE_CASE_FAMILIES: Readonly<Record<string, readonly PartitionFamily[] | 'wholeTable'>> = {
  // API operations: the use case's own families (pipelineFamilies adds the caller's and the limit's).
  'me/get-me': ['ORG', 'USER'],
  'me/leave-org': ['AUDIT', 'EMAIL', 'ORG', 'USER'],
  'me/set-mfa': ['EMAIL', 'ORG', 'USER'],
  'orgs/create-org': ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'orgs/get-org': [],
  'orgs/reconcile-seats': ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'orgs/update-org': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'members/list-members': ['EMAIL', 'ORG', 'USER'],
  'members/add-member': ['AUDIT', 'EMAIL', 'ORG', 'USER'],
  'members/bulk-change-role': ['AUDIT', 'ORG', 'USER'],
  'members/get-member': ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'USER'],
  'members/replace-member': ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'members/remove-member': ['AUDIT', 'EMAIL', 'ORG', 'USER'],
  'members/suspend-member': ['AUDIT', 'EMAIL', 'ORG', 'USER'],
  'members/reactivate-member': ['AUDIT', 'EMAIL', 'ORG', 'USER'],
  'credentials/revoke-sessions': CREDENTIAL_ACTION_FAMILIES,
  'credentials/reset-password': CREDENTIAL_ACTION_FAMILIES,
  'credentials/reset-mfa': CREDENTIAL_ACTION_FAMILIES,
  'credentials/confirm-email-change': ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'credentials/forgot-password': CREDENTIAL_ACTION_FAMILIES,
  'credentials/complete-password-reset': [
    'AUDIT',
    'EMAIL',
    'ORG',
    'OUTBOX',
    'SSODOMAIN',
    'SSOPROVIDER',
    'SSOPROVIDERS',
    'TOKEN',
    'USER',
  ],
  'join-requests/request-to-join': ['AUDIT', 'ORG', 'USER'],
  'join-requests/list-join-requests': ['AUDIT', 'ORG', 'USER'],
  'join-requests/approve-join-request': ['AUDIT', 'ORG', 'USER'],
  'join-requests/reject-join-request': ['AUDIT', 'ORG', 'USER'],
  'members/export-members': ['ORG', 'USER'],
  'exports/request-member-export': ['AUDIT', 'ORG', 'USER'],
  'exports/get-member-export': ['ORG', 'USER'],
  'teams/list-teams': ['ORG'],
  'teams/create-team': ['AUDIT', 'ORG'],
  'teams/update-team': ['AUDIT', 'ORG'],
  'teams/delete-team': ['AUDIT', 'ORG', 'USER'],
  'roles/list-roles': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'roles/create-role': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'roles/update-role': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'roles/delete-role': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'audit/list-audit-events': ['AUDIT'],
  'api-keys/list-api-keys': ['APIKEY', 'AUDIT', 'ORG'],
  'api-keys/create-api-key': ['APIKEY', 'AUDIT', 'ORG'],
  'api-keys/revoke-api-key': ['APIKEY', 'AUDIT', 'ORG'],
  'public/get-public-org': [],
  'invitations/list-invitations': ['ORG', 'TOKEN'],
  'invitations/create-invitations': ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'invitations/resend-invitation': ['AUDIT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'invitations/revoke-invitation': ['AUDIT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'invitations/preview-invitation': ['ORG', 'TOKEN'],
  'invitations/accept-invitation': ['AUDIT', 'EMAIL', 'ORG', 'TOKEN', 'USER'],
  'mail/redrive-mail': ['AUDIT', 'ORG', 'OUTBOX'],
  'scim/list-scim-tokens': ['AUDIT', 'ORG', 'SCIMTOKEN'],
  'scim/create-scim-token': ['AUDIT', 'ORG', 'SCIMTOKEN'],
  'scim/revoke-scim-token': ['AUDIT', 'ORG', 'SCIMTOKEN'],
  'scim/get-service-provider-config': [],
  'scim/list-resource-types': [],
  'scim/list-schemas': [],
  'scim/get-schema': [],
  'scim/get-resource-type': [],
  'scim/list-users': SCIM_RESOURCE_FAMILIES,
  'scim/create-user': SCIM_RESOURCE_FAMILIES,
  'scim/get-user': SCIM_RESOURCE_FAMILIES,
  'scim/replace-user': SCIM_RESOURCE_FAMILIES,
  'scim/patch-user': SCIM_RESOURCE_FAMILIES,
  'scim/delete-user': SCIM_RESOURCE_FAMILIES,
  'scim/list-groups': SCIM_RESOURCE_FAMILIES,
  'scim/create-group': SCIM_RESOURCE_FAMILIES,
  'scim/get-group': SCIM_RESOURCE_FAMILIES,
  'scim/replace-group': SCIM_RESOURCE_FAMILIES,
  'scim/patch-group': SCIM_RESOURCE_FAMILIES,
  'scim/delete-group': SCIM_RESOURCE_FAMILIES,
  'webhooks/rotate-webhook-secret': ['AUDIT', 'ORG'],
  'webhooks/update-webhook-config': ['AUDIT', 'ORG'],
  'webhooks/receive-idp-event': ['AUDIT', 'EMAIL', 'ORG', 'USER', 'WEBHOOK'],
  'webhooks/verify-okta-hook': ['AUDIT', 'EMAIL', 'ORG', 'USER', 'WEBHOOK'],
  'imports/create-import': ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'imports/get-import': ['IMPORT', 'ORG'],
  'imports/commit-import': ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'imports/cancel-import': ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'imports/get-import-report': ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'sso/list-sso-connections': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'sso/create-sso-connection': ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
  'sso/get-sso-connection': ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'sso/update-sso-connection': ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
  'sso/delete-sso-connection': ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
  'sso/discover-sso': ['ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'],
  'scim/unknown-scim-path': [],
  // Async workers and Cognito triggers: everything they touch.
  'imports/run-import': ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'],
  'exports/write-member-export': ['ORG', 'USER'],
  'triggers/pre-token-generation': ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
  'triggers/pre-sign-up': ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
  'triggers/user-migration': ['EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
};

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

/** An operation's table access: its grant, narrowed to the pipeline's and its use case's families when declared. */
export function operationTableAccess(operation: Operation | FallbackOperation): TableAccess {
  if (operation.grants.table === 'none') return 'none';
  const declared = USE_CASE_FAMILIES[operation.handler];
  if (declared === undefined || declared === 'wholeTable') return 'wholeTable';
  return [...new Set([...pipelineFamilies(operation.auth, operation.limit), ...declared])].sort();
}

/** A function that serves no operation (an async worker, a trigger): its declaration, else the whole table. */
export function functionTableAccess(handler: string): TableAccess {
  return USE_CASE_FAMILIES[handler] ?? 'wholeTable';
}
