import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root: esbuild's working directory, as for CDK's NodejsFunction. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Everything the bench writes (gitignored); rebuilt on every run. */
export const BENCH_DIR = join(PROJECT_ROOT, '.bench');
