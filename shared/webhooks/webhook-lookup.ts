import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import {
  emailClaimKey,
  orgKey,
  scimExternalIdKey,
  webhookConfigKey,
  webhookEventKey,
  type ItemKey,
} from '../data/keys.js';
import { orgFromItem } from '../orgs/org-repository.js';
import { managingOrg, type ManagingOrg } from '../users/account-management.js';
import { webhookConfigFromItem, type WebhookConfig } from './webhook-config.js';

/** Who an event names, and its replay id: what a delivery needs read before it changes anything. */
export interface EventLookup {
  eventId: string;
  user: { email?: string | undefined; externalId?: string | undefined };
}

/** Keys a delivery's first read may ask for: BatchGetItem takes 100, the config and the org among them. */
const MAX_LOOKUP_KEYS = 99;

/**
 * A delivery's one read before it acts: the org's webhook credentials, the org itself (whether
 * it manages the member's account decides whether a deactivation ends their sessions) and, for
 * the events the body names (read before authentication, but used only after it), each event's
 * replay marker, the org's externalId claim and the platform-wide email claim. One strongly
 * consistent BatchGetItem, so a delivery costs this read, the member's memberships and one
 * transaction.
 * Keys that did not fit (a large Okta delivery) are read when their event is applied.
 */
export class WebhookLookup {
  private constructor(
    private readonly db: Database,
    private readonly orgId: string,
    readonly config: WebhookConfig | undefined,
    /** The org as the account rule needs it (as of this read); undefined when there is none. */
    readonly org: ManagingOrg | undefined,
    private readonly items: Map<string, Record<string, unknown> | undefined>,
  ) {}

  static async read(db: Database, orgId: string, events: EventLookup[]): Promise<WebhookLookup> {
    const keys = new Map<string, ItemKey>();
    keys.set(keyString(webhookConfigKey(orgId)), webhookConfigKey(orgId));
    keys.set(keyString(orgKey(orgId)), orgKey(orgId));
    for (const key of events.flatMap((event) => eventKeys(orgId, event))) {
      if (keys.size > MAX_LOOKUP_KEYS) break;
      keys.set(keyString(key), key);
    }
    const found = await batchGetConsistent(db, [...keys.values()]);
    const items = new Map<string, Record<string, unknown> | undefined>([...keys.keys()].map((k) => [k, undefined]));
    for (const item of found) items.set(keyString({ PK: String(item.PK), SK: String(item.SK) }), item);
    const configItem = items.get(keyString(webhookConfigKey(orgId)));
    const orgItem = items.get(keyString(orgKey(orgId)));
    return new WebhookLookup(
      db,
      orgId,
      configItem ? webhookConfigFromItem(configItem) : undefined,
      orgItem ? managingOrg(orgFromItem(orgItem)) : undefined,
      items,
    );
  }

  /** Whether the event id was already processed (as of the first read; the transaction re-checks). */
  async replayed(eventId: string): Promise<boolean> {
    return (await this.item(webhookEventKey(this.orgId, eventId))) !== undefined;
  }

  /** By externalId (the SCIM mapping of this org) first, then by email (platform-wide claim). */
  async userIdOf(user: EventLookup['user']): Promise<string | undefined> {
    if (user.externalId) {
      const claim = await this.item(scimExternalIdKey(this.orgId, user.externalId));
      if (typeof claim?.userId === 'string') return claim.userId;
    }
    if (!user.email) return undefined;
    const claim = await this.item(emailClaimKey(user.email));
    return typeof claim?.userId === 'string' ? claim.userId : undefined;
  }

  private async item(key: ItemKey): Promise<Record<string, unknown> | undefined> {
    const k = keyString(key);
    if (!this.items.has(k)) this.items.set(k, (await batchGetConsistent(this.db, [key]))[0]);
    return this.items.get(k);
  }
}

function eventKeys(orgId: string, event: EventLookup): ItemKey[] {
  return [
    webhookEventKey(orgId, event.eventId),
    ...(event.user.externalId ? [scimExternalIdKey(orgId, event.user.externalId)] : []),
    ...(event.user.email ? [emailClaimKey(event.user.email)] : []),
  ];
}

const keyString = (key: ItemKey) => `${key.PK}\u0000${key.SK}`;
