import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The local stack's master key for secrets at rest (KMS's role under `npm start`): 32 random
 * bytes in base64, kept in a file beside the token-signing key so a restarted stack still opens
 * what it sealed into .local/dynamodb-data.
 */
export async function loadOrCreateSecretsKey(keyFile: string): Promise<string> {
  try {
    return (await readFile(keyFile, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64');
  await mkdir(dirname(keyFile), { recursive: true });
  try {
    // 'wx': when two starts race, the first key written wins and both use it.
    await writeFile(keyFile, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(keyFile, 'utf8')).trim();
  }
}
