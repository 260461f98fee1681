import { UnauthorizedError } from '../errors.js';
import { digestsEqual, sha256 } from '../ids.js';
import type { LifecycleAction, LifecycleEvent } from './apply-lifecycle-event.js';
import type { OktaHook } from './schemas.js';

/** The header of Okta's one-time endpoint verification request. */
export const OKTA_CHALLENGE_HEADER = 'x-okta-verification-challenge';

/** Okta's lifecycle event types and what each does to the membership. */
export const OKTA_EVENT_ACTIONS: Readonly<Record<string, LifecycleAction>> = {
  'user.lifecycle.deactivate': 'deprovision',
  'user.lifecycle.suspend': 'deprovision',
  'user.lifecycle.delete.initiated': 'deprovision',
  'user.lifecycle.activate': 'reactivate',
  'user.lifecycle.unsuspend': 'reactivate',
};

/**
 * Okta authenticates a delivery with a fixed header and signs nothing, so a captured delivery
 * could be sent again; its events' replay markers last REPLAY_WINDOW_HOURS. An event older than
 * this bound (well inside that window) is refused by its own time, so a replay after its marker
 * expired changes nothing. Okta delivers within seconds and retries once.
 */
export const OKTA_EVENT_MAX_AGE_HOURS = 12;

/** An Okta event as a lifecycle event, or why it is skipped (type not mapped, no user target) or refused (too old). */
export type MappedOktaEvent =
  | { event: LifecycleEvent }
  | { ignored: { eventId: string; type: string; detail: string } }
  | { refused: { eventId: string; type: string; code: string; detail: string } };

/** Maps each event of a delivery; the target user is the `User` target's `alternateId` (login/email). */
export function mapOktaEvents(hook: OktaHook, now: Date): MappedOktaEvent[] {
  const oldest = now.getTime() - OKTA_EVENT_MAX_AGE_HOURS * 3600_000;
  return hook.data.events.map((e) => {
    const eventId = `okta:${e.uuid}`;
    const happened = Date.parse(e.published ?? hook.eventTime ?? '');
    if (!(happened >= oldest)) {
      return {
        refused: {
          eventId,
          type: e.eventType,
          code: 'event_too_old',
          detail: `The event is undated or older than ${OKTA_EVENT_MAX_AGE_HOURS} hours; a replayed delivery changes nothing`,
        },
      };
    }
    const action = Object.hasOwn(OKTA_EVENT_ACTIONS, e.eventType) ? OKTA_EVENT_ACTIONS[e.eventType] : undefined;
    if (!action) return { ignored: { eventId, type: e.eventType, detail: 'event type not handled' } };
    const email = e.target?.find((t) => t.type === undefined || t.type.toLowerCase() === 'user')?.alternateId?.trim();
    if (!email) return { ignored: { eventId, type: e.eventType, detail: 'no User target with an alternateId' } };
    return { event: { eventId, type: e.eventType, action, user: { email } } };
  });
}

/** Compared against when no header value is configured, so that case costs what a wrong one does. */
const NOT_CONFIGURED = sha256('okta authorization not configured');

/**
 * Okta authenticates with a fixed Authorization header value the admin configured; it is
 * compared as SHA-256 digests (equal lengths, constant time), and only the digest is stored.
 */
export function verifyOktaAuthorization(
  presented: string | undefined,
  configuredHash: string | null | undefined,
): void {
  const matches = digestsEqual(sha256(presented ?? ''), configuredHash ?? NOT_CONFIGURED);
  if (!presented || !configuredHash || !matches) {
    throw new UnauthorizedError(
      'invalid_authorization',
      'The Authorization header does not match the value configured for Okta Event Hooks',
    );
  }
}
