import { fileURLToPath } from 'node:url';

/**
 * A built console in miniature: index.html with a module script, a modulepreload and a
 * stylesheet; hashed scripts under assets/ with static imports, a re-export, a dynamic import()
 * of a large chunk, and an import-like string that is no import.
 */
export const CONSOLE_DIST_FIXTURE = fileURLToPath(new URL('./fixtures/console-dist', import.meta.url));
