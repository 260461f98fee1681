/**
 * `npm start`: the whole stack on this machine, no AWS account. DynamoDB Local (data kept in
 * .local/dynamodb-data), the SES emulator with its inbox, the local API server routing to the
 * very handler modules Lambda runs, and the table stream feeding the mailer as in AWS. Seeds a
 * demo operator and org on first start.
 *
 * Only modules that never read the handlers' configuration are imported statically (config.ts
 * only for its variable names; it reads nothing until asked): the environment below is set
 * first, then the server and seed, which reach the rest of shared/, are loaded.
 */
import { join } from 'node:path';
import { ENV } from '../shared/config.js';
import { SECRETS_ENV } from '../shared/secrets/secrets-env.js';
import { assertJavaAvailable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { ensureTable } from './ensure-table.js';
import { ensureConsoleBuilt } from './console-build.js';
import { CONSOLE_DIST_DIR, LOCAL_STATE_DIR } from './paths.js';
import { assertPortFree } from './ports.js';
import { loadOrCreateSecretsKey } from './secrets-key.js';
import { startSesEmulator, type SesEmulator } from './ses-emulator.js';
import { DEMO_IDP, startDemoIdp } from './demo-idp.js';
import { OAUTH_IDP_RESPONSE_PATH } from './oauth-paths.js';

const TABLE_NAME = 'roster-local';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${name} must be a port number (1-65535), not "${raw}"`);
  return port;
}

/** Single-quotes a value for a POSIX shell. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

const stoppers: (() => Promise<void>)[] = [];
let dynamo: DynamoDbLocal | undefined;
let stopping = false;

async function stopAll(): Promise<void> {
  for (const stop of stoppers.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error('while stopping:', (error as Error).message);
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second Ctrl-C: stop waiting for a clean shutdown.
    dynamo?.process.kill('SIGKILL');
    process.exit(130);
  }
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  void stopAll().then(() => process.exit(0));
}

async function main(): Promise<void> {
  const apiPort = portFromEnv('PORT', 3000);
  const sesPort = portFromEnv('SES_PORT', 8005);
  const dynamoPort = portFromEnv('DYNAMODB_PORT', 8000);
  const ssoPort = portFromEnv('SSO_PORT', DEMO_IDP.defaultPort);
  const password = process.env.ROSTER_DEMO_PASSWORD || 'Roster-demo-1!';

  assertJavaAvailable();
  await assertPortFree(apiPort, 'API', 'PORT');
  await assertPortFree(sesPort, 'SES emulator', 'SES_PORT');
  await assertPortFree(dynamoPort, 'DynamoDB Local', 'DYNAMODB_PORT');
  await assertPortFree(ssoPort, 'SSO demo IdP', 'SSO_PORT');

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Last resort if the process ends another way: the JVM must not outlive us.
  process.on('exit', () => dynamo?.process.kill('SIGKILL'));

  await ensureConsoleBuilt();
  dynamo = await startDynamoDbLocal({
    port: dynamoPort,
    dbPath: join(LOCAL_STATE_DIR, 'dynamodb-data'),
    log: (line) => console.log(line),
  });
  stoppers.push(dynamo.stop);
  const ses: SesEmulator = await startSesEmulator(sesPort);
  stoppers.push(ses.stop);
  await ensureTable(dynamo.endpoint, TABLE_NAME);

  const apiUrl = `http://localhost:${apiPort}`;
  const appUrl = process.env[ENV.appUrl] || apiUrl;
  Object.assign(process.env, {
    [ENV.identityMode]: 'local',
    [ENV.tableName]: TABLE_NAME,
    [ENV.dynamoDbEndpoint]: dynamo.endpoint,
    [ENV.sesEndpoint]: ses.endpoint,
    [ENV.appUrl]: appUrl,
    [ENV.mailFrom]: process.env[ENV.mailFrom] || 'no-reply@roster.test',
    // KMS's stand-in: webhook signing secrets and mail links are sealed under this key (shared/secrets).
    [SECRETS_ENV.localKey]:
      process.env[SECRETS_ENV.localKey] || (await loadOrCreateSecretsKey(join(LOCAL_STATE_DIR, 'secrets-key'))),
    // Fixed fake credentials: nothing started here can reach a real AWS account by accident.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: process.env.POWERTOOLS_SERVICE_NAME || 'roster-local',
    // Node 20 is this project's documented local runtime; the SDK's reminder adds only noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED || 'true',
  });

  const { startLocalServer } = await import('./server.js');
  const { seedDemo } = await import('./seed.js');
  const { database } = await import('../shared/data/dynamo-client.js');
  const { LocalIdentity } = await import('../shared/identity/local-identity.js');
  // Seed before serving: a sign-in that arrives as soon as the port answers must find the demo users.
  const db = database();
  const seed = await seedDemo(
    { db, identity: new LocalIdentity(db), appUrl, ssoIssuer: `http://localhost:${ssoPort}` },
    password,
  );
  const server = await startLocalServer({
    db,
    port: apiPort,
    host: '127.0.0.1',
    keyFile: join(LOCAL_STATE_DIR, 'token-signing-key.pem'),
    consoleDir: CONSOLE_DIST_DIR,
    log: (line) => console.log(line),
  });
  stoppers.push(server.close);
  // The demo IdP sends the person back to the Cognito stand-in on the API's origin.
  const idp = await startDemoIdp({ port: ssoPort, password, redirectUris: [`${apiUrl}${OAUTH_IDP_RESPONSE_PATH}`] });
  stoppers.push(idp.close);
  // The table stream's readers, as in AWS: the mailer (queued mail lands in the SES inbox) and
  // the dispatcher feeding the import and export workers' queues (in process here).
  const { startTableStream } = await import('./table-stream.js');
  const { createHandlerLoader } = await import('./handler-loader.js');
  const loadHandler = createHandlerLoader();
  const stream = await startTableStream({ endpoint: dynamo.endpoint, tableName: TABLE_NAME, loadHandler });
  stoppers.push(stream.stop);
  // The schedules of shared/async/consumers.ts, at their local rate (minutes, not a quarter hour); runs of one job never overlap.
  const { lambdaContext } = await import('./lambda-context.js');
  const { SCHEDULED_JOBS } = await import('../shared/async/consumers.js');
  for (const job of Object.values(SCHEDULED_JOBS)) {
    let run: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      run = run
        .then(async () => (await loadHandler(job.handler))({}, lambdaContext(job.handler, job.timeoutSeconds * 1000)))
        .catch((error: unknown) => console.error(`${job.handler} failed:`, (error as Error).message));
    }, job.localRateMinutes * 60_000);
    stoppers.push(() => {
      clearInterval(timer);
      return run.then(() => undefined);
    });
  }

  const body = (email: string) => shellQuote(JSON.stringify({ email, password }));
  const signInCurl = (email: string) =>
    `curl -s ${apiUrl}/local/sign-in -H 'content-type: application/json' -d ${body(email)}`;
  const readToken = `node -pe 'JSON.parse(require("fs").readFileSync(0)).AuthenticationResult.AccessToken'`;
  console.log(`
Roster is running locally.

  Console      ${apiUrl}        (sign in as ${seed.admin.email})
  API          ${apiUrl}        (OpenAPI: ${apiUrl}/openapi.json)
  Mail inbox   ${ses.endpoint}        (JSON: ${ses.storeUrl})
  DynamoDB     ${dynamo.endpoint}   table ${TABLE_NAME}, data in .local/dynamodb-data
  SSO demo     ${idp.issuer}        (demo IdP: sign in at the console as ${DEMO_IDP.person.email}, same password)

  ${seed.created ? 'Seeded' : 'Existing'} demo data (password ${process.env.ROSTER_DEMO_PASSWORD ? 'from ROSTER_DEMO_PASSWORD' : `"${password}"`}${seed.created ? '' : ', as set at first start'}):
    platform operator  ${seed.operator.email}
    org "Acme"         ${seed.orgId}
    org admin          ${seed.admin.email}

Sign in as the admin:
  ${signInCurl(seed.admin.email)}

Call the API with the token:
  TOKEN=$(${signInCurl(seed.admin.email)} | ${readToken})
  curl -s ${apiUrl}/v1/me -H "authorization: Bearer $TOKEN"

Ctrl-C stops everything.
`);
}

main().catch(async (error: unknown) => {
  console.error(`\nnpm start failed: ${(error as Error).message ?? String(error)}`);
  await stopAll();
  process.exit(1);
});
