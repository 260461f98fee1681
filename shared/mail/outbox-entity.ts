/** The `entity` of outbox items: a module of its own, with no SDK import, so the consumers table (shared/async/consumers.ts) can read it at synth. */
export const OUTBOX_ENTITY = 'outbox';
