import { ensureConsoleBuilt } from '../../local/console-build.js';

/** Once per browser-test run: the console the tests drive is the current build of its sources. */
export default async function setup(): Promise<void> {
  await ensureConsoleBuilt((line) => console.log(`[e2e] ${line}`));
}
