import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../shared/errors.js';
import { sha256 } from '../../../shared/ids.js';
import { mapOktaEvents, verifyOktaAuthorization } from '../../../shared/webhooks/okta.js';
import { oktaHookBody } from '../../../shared/webhooks/schemas.js';

const oktaEvent = (eventType: string, target: unknown[] = [{ type: 'User', alternateId: 'ada@acme.test', id: '00u1' }], uuid = `uuid-${eventType}`) => ({ uuid, eventType, target });
const delivery = (...events: unknown[]) => oktaHookBody.parse({ eventType: 'com.okta.event_hook', eventId: 'delivery-1', data: { events } });

describe('Okta Event Hook mapping', () => {
  it.each([
    ['user.lifecycle.deactivate', 'deprovision'],
    ['user.lifecycle.suspend', 'deprovision'],
    ['user.lifecycle.delete.initiated', 'deprovision'],
    ['user.lifecycle.activate', 'reactivate'],
    ['user.lifecycle.unsuspend', 'reactivate'],
  ])('maps %s to %s of the User target’s alternateId, with an okta-prefixed replay id', (eventType, action) => {
    expect(mapOktaEvents(delivery(oktaEvent(eventType)))).toEqual([{ event: { eventId: `okta:uuid-${eventType}`, type: eventType, action, user: { email: 'ada@acme.test' } } }]);
  });

  it('maps each event of a delivery in order, skipping unhandled types and events without a user target', () => {
    const mapped = mapOktaEvents(
      delivery(
        oktaEvent('user.session.start'),
        oktaEvent('user.lifecycle.deactivate', [{ type: 'AppInstance', alternateId: 'Roster' }]),
        oktaEvent('user.lifecycle.suspend', [{ type: 'AppInstance', alternateId: 'Roster' }, { type: 'User', alternateId: 'bob@acme.test' }]),
        oktaEvent('toString'),
      ),
    );
    expect(mapped).toEqual([
      { ignored: { eventId: 'okta:uuid-user.session.start', type: 'user.session.start', detail: 'event type not handled' } },
      { ignored: { eventId: 'okta:uuid-user.lifecycle.deactivate', type: 'user.lifecycle.deactivate', detail: 'no User target with an alternateId' } },
      { event: { eventId: 'okta:uuid-user.lifecycle.suspend', type: 'user.lifecycle.suspend', action: 'deprovision', user: { email: 'bob@acme.test' } } },
      { ignored: { eventId: 'okta:uuid-toString', type: 'toString', detail: 'event type not handled' } },
    ]);
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

  it('accepts exactly the configured value', () => expect(code('Basic c2VjcmV0LXZhbHVlLTEyMzQ1Ng==', configured)).toBeUndefined());

  it.each([
    ['a wrong value', 'Basic d3Jvbmc=', configured],
    ['a missing header', undefined, configured],
    ['an empty header', '', configured],
    ['an org with no value configured', 'Basic c2VjcmV0LXZhbHVlLTEyMzQ1Ng==', null],
  ])('refuses %s', (_name, presented, hash) => expect(code(presented, hash)).toBe('invalid_authorization'));
});
