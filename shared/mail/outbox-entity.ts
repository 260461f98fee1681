/** The `entity` of outbox items: a module of its own, with no SDK import, so the consumers table (shared/async/consumers.ts) can read it at synth. */
export const OUTBOX_ENTITY = 'outbox';

/**
 * What marking an outbox item failed writes (markOutboxFailed): its state, reason and time, and
 * its index keys, moved to the org's failed-mail partition. The mailer's IAM grant allows these
 * attributes only (infra/constructs/roster-table.ts).
 */
export const OUTBOX_FAILED_ATTRIBUTES = ['state', 'failedReason', 'failedAt', 'GSI1PK', 'GSI1SK'] as const;
