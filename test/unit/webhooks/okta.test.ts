import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../shared/errors.js';
import { sha256 } from '../../../shared/ids.js';
import { REPLAY_WINDOW_HOURS } from '../../../shared/webhooks/apply-lifecycle-event.js';
import { mapOktaEvents, OKTA_EVENT_MAX_AGE_HOURS, verifyOktaAuthorization } from '../../../shared/webhooks/okta.js';
import { oktaHookBody } from '../../../shared/webhooks/schemas.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const oktaEvent = (
  eventType: string,
  target: unknown[] = [{ type: 'User', alternateId: 'ada@acme.test', id: '00u1' }],
  uuid = `uuid-${eventType}`,
  published: string | undefined = '2026-12-07T11:59:58.000Z',
) => ({
  uuid,
  eventType,
  target,
  ...(published ? { published } : {}),
});
const delivery = (...events: unknown[]) =>
  oktaHookBody.parse({ eventType: 'com.okta.event_hook', eventId: 'delivery-1', data: { events } });

describe('Okta Event Hook mapping', () => {
  it.each([
    ['user.lifecycle.deactivate', 'deprovision'],
    ['user.lifecycle.suspend', 'deprovision'],
    ['user.lifecycle.delete.initiated', 'deprovision'],
    ['user.lifecycle.activate', 'reactivate'],
    ['user.lifecycle.unsuspend', 'reactivate'],
  ])('maps %s to %s of the User target’s alternateId, with an okta-prefixed replay id', (eventType, action) => {
    expect(mapOktaEvents(delivery(oktaEvent(eventType)), NOW)).toEqual([
      { event: { eventId: `okta:uuid-${eventType}`, type: eventType, action, user: { email: 'ada@acme.test' } } },
    ]);
  });

  it('maps each event of a delivery in order, skipping unhandled types and events without a user target', () => {
    const mapped = mapOktaEvents(
      delivery(
        oktaEvent('user.session.start'),
        oktaEvent('user.lifecycle.deactivate', [{ type: 'AppInstance', alternateId: 'Roster' }]),
        oktaEvent('user.lifecycle.suspend', [
          { type: 'AppInstance', alternateId: 'Roster' },
          { type: 'User', alternateId: 'bob@acme.test' },
        ]),
        oktaEvent('toString'),
      ),
      NOW,
    );
    expect(mapped).toEqual([
      {
        ignored: {
          eventId: 'okta:uuid-user.session.start',
          type: 'user.session.start',
          detail: 'event type not handled',
        },
      },
      {
        ignored: {
          eventId: 'okta:uuid-user.lifecycle.deactivate',
          type: 'user.lifecycle.deactivate',
          detail: 'no User target with an alternateId',
        },
      },
      {
        event: {
          eventId: 'okta:uuid-user.lifecycle.suspend',
          type: 'user.lifecycle.suspend',
          action: 'deprovision',
          user: { email: 'bob@acme.test' },
        },
      },
      { ignored: { eventId: 'okta:uuid-toString', type: 'toString', detail: 'event type not handled' } },
    ]);
  });
});

describe('Okta event age (a captured delivery sent again later)', () => {
  const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3600_000).toISOString();
  const codeOf = (event: unknown, eventTime?: string) => {
    const [mapped] = mapOktaEvents(
      oktaHookBody.parse({ eventId: 'd', ...(eventTime ? { eventTime } : {}), data: { events: [event] } }),
      NOW,
    );
    return mapped && 'refused' in mapped ? mapped.refused.code : 'event' in (mapped ?? {}) ? 'mapped' : 'ignored';
  };

  it('maps an event published within the bound', () => {
    expect(
      codeOf(oktaEvent('user.lifecycle.deactivate', undefined, 'u1', hoursBefore(OKTA_EVENT_MAX_AGE_HOURS - 0.01))),
    ).toBe('mapped');
  });

  it('refuses an event published longer ago than the bound, and one with no date at all', () => {
    expect(
      codeOf(oktaEvent('user.lifecycle.deactivate', undefined, 'u1', hoursBefore(OKTA_EVENT_MAX_AGE_HOURS + 0.01))),
    ).toBe('event_too_old');
    expect(codeOf(oktaEvent('user.lifecycle.deactivate', undefined, 'u1', hoursBefore(48)))).toBe('event_too_old');
    expect(codeOf(oktaEvent('user.lifecycle.deactivate', undefined, 'u1', 'not a date'))).toBe('event_too_old');
    expect(
      codeOf({
        uuid: 'u1',
        eventType: 'user.lifecycle.deactivate',
        target: [{ type: 'User', alternateId: 'ada@acme.test' }],
      }),
    ).toBe('event_too_old');
  });

  it('dates an event without its own published by the delivery’s eventTime', () => {
    const undated = {
      uuid: 'u1',
      eventType: 'user.lifecycle.deactivate',
      target: [{ type: 'User', alternateId: 'ada@acme.test' }],
    };
    expect(codeOf(undated, hoursBefore(1))).toBe('mapped');
    expect(codeOf(undated, hoursBefore(30))).toBe('event_too_old');
  });

  it('stays inside the replay markers’ lifetime, so no replay falls between the two', () => {
    expect(OKTA_EVENT_MAX_AGE_HOURS).toBeLessThan(REPLAY_WINDOW_HOURS);
  });
});

describe('Okta Authorization header', () => {
  const configured = sha256('Basic c2VjcmV0LXZhbHVlLTEyMzQ1Ng==');
  const code = (presented: string | undefined, hash: string | null) => {
    try {
      verifyOktaAuthorization(presented, hash);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(UnauthorizedError);
      return (error as UnauthorizedError).code;
    }
  };

  it('accepts exactly the configured value', () =>
    expect(code('Basic c2VjcmV0LXZhbHVlLTEyMzQ1Ng==', configured)).toBeUndefined());

  it.each([
    ['a wrong value', 'Basic d3Jvbmc=', configured],
    ['a missing header', undefined, configured],
    ['an empty header', '', configured],
    ['an org with no value configured', 'Basic c2VjcmV0LXZhbHVlLTEyMzQ1Ng==', null],
  ])('refuses %s', (_name, presented, hash) => expect(code(presented, hash)).toBe('invalid_authorization'));
});
