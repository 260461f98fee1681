import { setPasswordCreatingIdentity } from '../../shared/users/ensure-identity.js';
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable, localDynamoClient } from '../../local/ensure-table.js';
import { ensureLocalUser } from '../../local/local-users.js';
import { createHandlerLoader } from '../../local/handler-loader.js';
import type { FederationStore } from '../../local/oauth-federation.js';
import { freePort } from '../../local/ports.js';
import { startLocalServer, type LocalServer } from '../../local/server.js';
import { startSesEmulator, type SesEmulator } from '../../local/ses-emulator.js';
import { startTableStream, type TableStream } from '../../local/table-stream.js';
import type { TokenIssuer } from '../../local/token-issuer.js';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { config, ENV } from '../../shared/config.js';
import { database, type Database } from '../../shared/data/dynamo-client.js';
import type { TableAccess } from '../../shared/data/table-access.js';
import { createOrg } from '../../shared/orgs/create-org.js';
import { PLATFORM_ADMIN_GROUP } from '../../shared/roles.js';
import { totpCode } from './totp.js';

/** A password that meets the pool's policy. */
export const TEST_PASSWORD = 'Test-password-1!';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Bodies are asserted field by field; typing every route's answer here would restate its schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON of any route
  json: any;
}

export interface ApiOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** An object is sent as JSON; a string or Buffer is sent as is (malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SignedInUser {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
}

export interface SeededOrg {
  orgId: string;
  operator: SignedInUser;
  admin: SignedInUser;
}

/** A mail as the SES emulator stores it (the fields tests read). */
export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export interface LocalApiOptions {
  /**
   * Also run the SES emulator and the table stream feeding the mailer, so mail the API
   * queues can be read back with `mailTo`.
   */
  mail?: boolean;
  /** Retries of a failed stream record before it is dropped (as past the DLQ); the table stream's default when omitted. */
  streamRetryAttempts?: number;
  /** Serve this built console at `/` (browser tests). */
  consoleDir?: string;
  /** The user pool's identity providers and federated users (federated sign-in through /local/cognito/oauth2). */
  federation?: FederationStore;
  /** Each function's table access instead of its declaration (tests of the local guard). */
  tableAccess?: (handler: string) => TableAccess;
}

export interface LocalApi {
  url: string;
  server: LocalServer;
  issuer: TokenIssuer;
  /** The test file's own table, for arranging and inspecting items directly. */
  db: Database;
  api(method: string, path: string, options?: ApiOptions): Promise<ApiAnswer>;
  /**
   * Signs in through `POST /local/sign-in`, answering the TOTP challenge at /local/cognito with
   * `totpSecret` when the account has MFA on; throws unless it succeeds.
   */
  signIn(email: string, password: string, totpSecret?: string): Promise<{ accessToken: string; idToken: string }>;
  createUserWithPassword(
    email: string,
    password: string,
    options?: { groups?: string[]; name?: string },
  ): Promise<{ userId: string; email: string }>;
  /**
   * Sets a Roster user's password as their set-password link would: their identity is created
   * first when they have none yet (an added, imported or provisioned person's is pending).
   */
  setPassword(userId: string, password: string): Promise<void>;
  /** A fresh platform operator and a fresh org (via createOrg) with its admin, both signed in. */
  seedOperatorAndOrg(options?: { maxSeats?: number; orgName?: string }): Promise<SeededOrg>;
  /** Waits (up to 10 s) for mail to `email` in the SES emulator; needs `{ mail: true }`. */
  mailTo(email: string): Promise<StoredMail[]>;
  /** Stops the SES emulator (sends fail: connection refused) or starts it again on the same port; needs `{ mail: true }`. */
  setSesDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

/** A unique suffix for emails and names, so tests sharing a file's table never collide. */
export const uniqueSuffix = (): string => randomUUID().slice(0, 8);

const seedAudit = (): AuditContext => ({
  actor: { type: 'system', id: 'seed' },
  ip: null,
  userAgent: null,
  requestId: null,
  now: new Date(),
});

/**
 * The local API server in this process, on a free port, against the test file's own table
 * (created here; deleted at close) with an in-memory token issuer. Needs the integration
 * setup file's environment (DynamoDB endpoint, table name, local identity).
 */
export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  let ses: SesEmulator | undefined;
  if (options.mail) {
    ses = await startSesEmulator(await freePort());
    // Before the configuration is first read: the mailer reads it once, at cold start.
    process.env[ENV.sesEndpoint] = ses.endpoint;
  }
  const { tableName, dynamoDbEndpoint, identityMode, sesEndpoint } = config();
  if (!dynamoDbEndpoint || identityMode !== 'local')
    throw new Error('startLocalApi needs the integration project setup (test/helpers/integration-env.ts)');
  if (ses && sesEndpoint !== ses.endpoint)
    throw new Error('shared/config.ts was read before startLocalApi could point it at the SES emulator');
  await ensureTable(dynamoDbEndpoint, tableName);
  const db = database();
  const server = await startLocalServer({
    db,
    ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
    ...(options.federation ? { federation: options.federation } : {}),
    ...(options.tableAccess ? { tableAccess: options.tableAccess } : {}),
  });
  let stream: TableStream | undefined;
  if (ses) {
    stream = await startTableStream({
      endpoint: dynamoDbEndpoint,
      tableName,
      loadHandler: createHandlerLoader(),
      intervalMs: 100,
      ...(options.streamRetryAttempts === undefined ? {} : { retryAttempts: options.streamRetryAttempts }),
    });
  }
  const baseUrl = `http://127.0.0.1:${server.port}`;

  const api: LocalApi['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const isJson = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: isJson && text ? JSON.parse(text) : undefined,
    };
  };

  const signIn: LocalApi['signIn'] = async (email, password, totpSecret) => {
    let answer = await api('POST', '/local/sign-in', { body: { email, password } });
    if (answer.status !== 200) throw new Error(`sign-in of ${email} failed: ${answer.status} ${answer.text}`);
    if (answer.json.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
      if (!totpSecret) throw new Error(`sign-in of ${email} asks for a TOTP code; pass the secret enableMfa answered`);
      const session = answer.json.Session as string;
      // A code is good once: a second sign-in within one 30 s step uses the next step's code.
      for (const offsetMs of [0, 30_000]) {
        answer = await api('POST', '/local/cognito', {
          body: {
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            ClientId: server.issuer.clientId,
            Session: session,
            ChallengeResponses: {
              USERNAME: email,
              SOFTWARE_TOKEN_MFA_CODE: totpCode(totpSecret, Date.now() + offsetMs),
            },
          },
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
          },
        });
        if (answer.status === 200) break;
      }
      if (answer.status !== 200) throw new Error(`MFA sign-in of ${email} failed: ${answer.status} ${answer.text}`);
    }
    return {
      accessToken: answer.json.AuthenticationResult.AccessToken as string,
      idToken: answer.json.AuthenticationResult.IdToken as string,
    };
  };

  const createUserWithPassword: LocalApi['createUserWithPassword'] = (email, password, options = {}) =>
    ensureLocalUser(
      { db, identity: server.identity },
      { email, password, name: options.name ?? email.split('@')[0] ?? email, groups: options.groups ?? [] },
    );

  const setPassword: LocalApi['setPassword'] = (userId, password) =>
    setPasswordCreatingIdentity({ db, identity: server.identity }, userId, password);

  const seedOperatorAndOrg: LocalApi['seedOperatorAndOrg'] = async (options = {}) => {
    const suffix = uniqueSuffix();
    const operator = await createUserWithPassword(`operator-${suffix}@roster.test`, TEST_PASSWORD, {
      groups: [PLATFORM_ADMIN_GROUP],
      name: 'Test Operator',
    });
    const { org, admin } = await createOrg(
      { db, appUrl: config().appUrl },
      {
        name: options.orgName ?? `Org ${suffix}`,
        maxSeats: options.maxSeats ?? 10,
        admin: { email: `admin-${suffix}@org.test`, name: `Admin ${suffix}` },
      },
      seedAudit(),
    );
    await setPassword(admin.userId, TEST_PASSWORD);
    const [operatorTokens, adminTokens] = await Promise.all([
      signIn(operator.email, TEST_PASSWORD),
      signIn(admin.email, TEST_PASSWORD),
    ]);
    return {
      orgId: org.orgId,
      operator: { ...operator, password: TEST_PASSWORD, accessToken: operatorTokens.accessToken },
      admin: {
        userId: admin.userId,
        email: admin.email,
        password: TEST_PASSWORD,
        accessToken: adminTokens.accessToken,
      },
    };
  };

  const mailTo: LocalApi['mailTo'] = async (email) => {
    if (!ses) throw new Error('startLocalApi({ mail: true }) runs the SES emulator; this one has none');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const store = (await (await fetch(ses.storeUrl)).json()) as { emails: StoredMail[] };
      const mails = store.emails.filter((m) => m.destination.to.includes(email));
      if (mails.length > 0 || Date.now() > deadline) return mails;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  let sesDown = false;
  const setSesDown: LocalApi['setSesDown'] = async (down) => {
    if (!ses) throw new Error('startLocalApi({ mail: true }) runs the SES emulator; this one has none');
    if (down === sesDown) return;
    if (down) await ses.stop();
    else ses = await startSesEmulator(Number(new URL(ses.endpoint).port));
    sesDown = down;
  };

  return {
    url: baseUrl,
    server,
    issuer: server.issuer,
    db,
    api,
    signIn,
    createUserWithPassword,
    setPassword,
    seedOperatorAndOrg,
    mailTo,
    setSesDown,
    close: async () => {
      await stream?.stop();
      await server.close();
      if (!sesDown) await ses?.stop();
      const client = localDynamoClient(dynamoDbEndpoint);
      try {
        // In-memory tables live as long as the JVM; dropping them keeps a long run's memory flat.
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      } finally {
        client.destroy();
      }
    },
  };
}
