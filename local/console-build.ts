import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIR, CONSOLE_DIST_DIR } from './paths.js';

/** The newest modification time under `path` (a file or a folder, recursively). */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Whether console/dist is missing or older than any of the console's sources. */
export function consoleBuildIsStale(): boolean {
  const built = join(CONSOLE_DIST_DIR, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts']
    .map((p) => join(CONSOLE_DIR, p))
    .filter((p) => existsSync(p));
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

/** `vite build` of the console when its build is stale (what `npm start` and the browser tests serve). */
export async function ensureConsoleBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (!consoleBuildIsStale()) return;
  log('Building the console (console/dist is missing or older than its sources)…');
  const { build } = await import('vite');
  // Vite keeps a NODE_ENV it finds: under vitest ('test') it bundled React's development build
  // (237 KB gzip initial JS instead of 172 KB), which the bench then measured as over budget.
  const callerNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerNodeEnv;
  }
}
