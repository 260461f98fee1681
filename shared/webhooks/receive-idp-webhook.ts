import type { AuditContext } from '../audit/audit-event.js';
import { DomainError, MalformedBodyError, ValidationError } from '../errors.js';
import { validate } from '../validation.js';
import type { StatusChangeDeps } from '../members/change-member-status.js';
import { applyLifecycleEvent, type LifecycleAction, type LifecycleOutcome } from './apply-lifecycle-event.js';
import { mapOktaEvents, verifyOktaAuthorization } from './okta.js';
import { oktaHookBody, rosterEventBody, type RosterEventType } from './schemas.js';
import { verifySignature } from './signature.js';
import { openSigningSecret } from './webhook-config.js';
import { getWebhookConfig } from './webhook-config-repository.js';
import type { DataKeyPort } from '../secrets/sealed-secret.js';
import { WebhookLookup, type EventLookup } from './webhook-lookup.js';

export interface WebhookDelivery {
  orgId: string;
  /** The `Roster-Signature` header, when the sender signs (Roster form). */
  signature: string | undefined;
  /** The `Authorization` header, when the sender is an Okta Event Hook. */
  authorization: string | undefined;
  rawBody: Buffer;
}

const ROSTER_ACTIONS: Record<RosterEventType, LifecycleAction> = {
  'user.deactivated': 'deprovision',
  'user.deleted': 'deprovision',
  'user.reactivated': 'reactivate',
};

/**
 * An IdP lifecycle delivery for one org. The sender is authenticated before anything in the
 * body is acted on (the first read also fetches what the body names, see WebhookLookup): a Roster-Signature (HMAC of `t.body` with the org's secret, 5 minutes'
 * tolerance) or, without one, Okta's configured Authorization header. A Roster-signed event
 * answers with its outcome (a refusal is its 4xx); an Okta delivery with one outcome per event,
 * refusals included, since Okta does not act on a per-event error status.
 */
export async function receiveIdpWebhook(
  deps: StatusChangeDeps & { secrets: DataKeyPort },
  delivery: WebhookDelivery,
  audit: AuditContext,
): Promise<{ form: 'roster'; result: LifecycleOutcome } | { form: 'okta'; results: LifecycleOutcome[] }> {
  const rosterForm = delivery.signature !== undefined || delivery.authorization === undefined;
  const lookup = await WebhookLookup.read(
    deps.db,
    delivery.orgId,
    rosterForm ? rosterLookups(delivery.rawBody) : oktaLookups(delivery.rawBody, audit.now),
  );
  const config = lookup.config;
  if (rosterForm) {
    verifySignature({
      header: delivery.signature,
      rawBody: delivery.rawBody,
      secret: await openSigningSecret(deps.secrets, delivery.orgId, config?.signingSecret ?? null),
      now: audit.now,
    });
    const body = validate(rosterEventBody, parseJson(delivery.rawBody), '');
    const event = { eventId: body.id, type: body.type, action: ROSTER_ACTIONS[body.type], user: body.data };
    const result = await applyLifecycleEvent(deps, lookup, delivery.orgId, event, {
      ...audit,
      actor: { type: 'webhook', id: body.id },
    });
    return { form: 'roster', result };
  }

  verifyOktaAuthorization(delivery.authorization, config?.oktaAuthorizationHash);
  const hook = validate(oktaHookBody, parseJson(delivery.rawBody), '');
  const results: LifecycleOutcome[] = [];
  // One at a time: events of one delivery may concern one user, in order.
  for (const mapped of mapOktaEvents(hook, audit.now)) {
    if ('ignored' in mapped) {
      results.push({ ...mapped.ignored, outcome: 'ignored', userId: null, status: null, duplicate: false });
      continue;
    }
    if ('refused' in mapped) {
      results.push({ ...mapped.refused, outcome: 'refused', userId: null, status: null, duplicate: false });
      continue;
    }
    try {
      results.push(
        await applyLifecycleEvent(deps, lookup, delivery.orgId, mapped.event, {
          ...audit,
          actor: { type: 'webhook', id: 'okta' },
        }),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({
        eventId: mapped.event.eventId,
        type: mapped.event.type,
        outcome: 'refused',
        userId: null,
        status: null,
        duplicate: false,
        code: error.code,
        detail: error.message,
      });
    }
  }
  return { form: 'okta', results };
}

/**
 * What the (not yet authenticated) body names, for the delivery's first read only: nothing in
 * it is acted on before the sender is verified, and a body that does not parse names nothing.
 */
function rosterLookups(raw: Buffer): EventLookup[] {
  const parsed = rosterEventBody.safeParse(tryJson(raw));
  return parsed.success ? [{ eventId: parsed.data.id, user: parsed.data.data }] : [];
}

function oktaLookups(raw: Buffer, now: Date): EventLookup[] {
  const parsed = oktaHookBody.safeParse(tryJson(raw));
  return parsed.success ? mapOktaEvents(parsed.data, now).flatMap((m) => ('event' in m ? [m.event] : [])) : [];
}

function tryJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedBodyError('The body is not valid JSON');
  }
}

/**
 * Okta's one-time endpoint verification: the challenge header's value echoed back, once the
 * request carries the Authorization value the org configured (so only that org's hook verifies).
 */
export async function answerOktaVerification(
  db: StatusChangeDeps['db'],
  orgId: string,
  authorization: string | undefined,
  challenge: string | undefined,
): Promise<{ verification: string }> {
  const config = await getWebhookConfig(db, orgId);
  verifyOktaAuthorization(authorization, config?.oktaAuthorizationHash);
  if (!challenge || challenge.length > 1024)
    throw new ValidationError([
      { field: 'header.x-okta-verification-challenge', message: 'required, at most 1024 characters' },
    ]);
  return { verification: challenge };
}
