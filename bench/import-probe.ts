import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One fresh-process import of a bundle. */
export interface ImportSample {
  /** Wall-clock time from just before `import()` to its settling: a Lambda cold start's init. */
  wallMs: number;
  /**
   * CPU time the process spent meanwhile (all threads: V8 compiles and collects in the
   * background). Other processes on the machine barely move it, unlike the wall clock.
   */
  cpuMs: number;
}

/** The child side: module fetch, parse, link and evaluation of one bundle, timed from inside. */
const PROBE_SOURCE = `const url = process.argv[2];
const cpuBefore = process.cpuUsage();
const started = performance.now();
await import(url);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;

/**
 * The environment a function gets in Lambda (infra/constructs/api-function.ts), with local
 * identity and dummy credentials so nothing reaches for a network or a credential chain.
 * NODE_OPTIONS matches Lambda's: with source maps enabled Node reads each bundle's map at load.
 */
export const FUNCTION_ENV: Readonly<Record<string, string>> = {
  TABLE_NAME: 'bench',
  IDENTITY_MODE: 'local',
  APP_URL: 'http://localhost:3000',
  MAIL_FROM: 'no-reply@roster.test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'roster',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
  // Lambda's Node 22 never emits the SDK's "Node 20 is ending" warning; Node 20 here would.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export class ImportProbe {
  private constructor(private readonly script: string) {}

  /** Writes the child script into `dir`. */
  static async create(dir: string): Promise<ImportProbe> {
    const script = join(dir, 'import-probe.mjs');
    await writeFile(script, PROBE_SOURCE);
    return new ImportProbe(script);
  }

  /** Module init time of `bundle`, measured inside a fresh `node` process. */
  measure(bundle: string): Promise<ImportSample> {
    return new Promise((resolve, reject) => {
      // Only PATH from our environment: no inherited NODE_OPTIONS, loaders or AWS settings.
      const child = spawn(process.execPath, [this.script, pathToFileURL(bundle).href], {
        env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const sample = code === 0 ? parseSample(stdout) : undefined;
        if (sample) resolve(sample);
        else reject(new Error(`Importing ${bundle} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`));
      });
    });
  }
}

function parseSample(stdout: string): ImportSample | undefined {
  try {
    const { wallMs, cpuMs } = JSON.parse(stdout) as Partial<ImportSample>;
    return Number.isFinite(wallMs) && Number.isFinite(cpuMs)
      ? { wallMs: Number(wallMs), cpuMs: Number(cpuMs) }
      : undefined;
  } catch {
    return undefined;
  }
}
