import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../shared/clock.js';
import { outboxKey, outboxStatePartition } from '../../shared/data/keys.js';
import { queryPage } from '../../shared/data/pagination.js';
import { deliverOutboxMail, type OutboxItem } from '../../shared/mail/deliver-outbox.js';
import type { MailSender } from '../../shared/mail/mail-port.js';
import { SesMailSender } from '../../shared/mail/ses-mail-sender.js';
import { freePort } from '../../local/ports.js';
import { startSesEmulator, type SesEmulator } from '../../local/ses-emulator.js';
import { startLocalApi, type LocalApi, type SeededOrg, type StoredMail } from './local-api.js';

/**
 * The local API with the mailer driven by hand (no table stream): the real SES sender on an SES
 * emulator, so a test reads an outbox item before and after it is sent, or refused.
 */
export interface MailerHarness {
  readonly local: LocalApi;
  /** The real SES sender on the emulator. */
  readonly sesSender: MailSender;
  /** Runs the mailer's delivery step on one outbox item, with the real sender unless given another. */
  deliver(item: OutboxItem, sender?: MailSender): Promise<void>;
  /** The mail the SES emulator received for `email`. */
  mailsTo(email: string): Promise<StoredMail[]>;
  /** The outbox item as stored (strongly consistent), or undefined once gone. */
  storedOutboxItem(messageId: string): Promise<Record<string, unknown> | undefined>;
  /** The org's outbox items in `state`, each read itself (the state index is eventually consistent). */
  outboxItems(orgId: string, state: 'queued' | 'failed'): Promise<OutboxItem[]>;
  /** A seeded org whose own setup mail (the first admin's set-password link) is already sent, so a test sees only its own mail. */
  seededOrgWithMailSent(): Promise<SeededOrg>;
  close(): Promise<void>;
}

/** An SES error as the SDK throws it (`MessageRejected` 400 is a refusal for good, 429 and 5xx are transient). */
export const sesError = (name: string, status: number): Error =>
  Object.assign(new Error(`${name} from SES`), { name, $metadata: { httpStatusCode: status } });

export async function startMailerHarness(): Promise<MailerHarness> {
  const local = await startLocalApi();
  const ses: SesEmulator = await startSesEmulator(await freePort());
  const sesSender = new SesMailSender(
    new SESv2Client({
      endpoint: ses.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    'no-reply@roster.test',
  );
  const deliver = (item: OutboxItem, sender: MailSender = sesSender) =>
    deliverOutboxMail({ db: local.db, sender, clock: systemClock }, item);
  const storedOutboxItem = async (messageId: string) => {
    const { Item } = await local.db.client.send(
      new GetCommand({ TableName: local.db.tableName, Key: outboxKey(messageId), ConsistentRead: true }),
    );
    return Item;
  };
  const outboxItems = async (orgId: string, state: 'queued' | 'failed') => {
    const page = await queryPage(local.db, {
      index: 'GSI1',
      partition: outboxStatePartition(orgId, state),
      forward: true,
      limit: 100,
      cursor: undefined,
    });
    const items = await Promise.all(page.items.map((i) => storedOutboxItem(i.messageId as string)));
    return items.filter((i): i is Record<string, unknown> => i !== undefined).map((i) => i as unknown as OutboxItem);
  };
  return {
    local,
    sesSender,
    deliver,
    storedOutboxItem,
    outboxItems,
    async mailsTo(email) {
      const store = (await (await fetch(ses.storeUrl)).json()) as { emails: StoredMail[] };
      return store.emails.filter((m) => m.destination.to.includes(email));
    },
    async seededOrgWithMailSent() {
      const org = await local.seedOperatorAndOrg();
      for (const item of await outboxItems(org.orgId, 'queued')) await deliver(item);
      return org;
    },
    async close() {
      await ses.stop();
      await local.close();
    },
  };
}
