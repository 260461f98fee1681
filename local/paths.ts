import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (local/ sits directly under it). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Machine-local state, gitignored: the DynamoDB Local jar, its data, the token signing key. */
export const LOCAL_STATE_DIR = join(PROJECT_ROOT, '.local');

/** Where handler modules live; ROUTES names them relative to this folder. */
export const FUNCTIONS_DIR = join(PROJECT_ROOT, 'functions');

/** The admin console's sources and its production build (`vite build`). */
export const CONSOLE_DIR = join(PROJECT_ROOT, 'console');
export const CONSOLE_DIST_DIR = join(CONSOLE_DIR, 'dist');
