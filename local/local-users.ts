import { newUserRecord } from '../shared/users/user.js';
import type { Database } from '../shared/data/dynamo-client.js';
import { normalizeEmail } from '../shared/data/keys.js';
import { ensureUserRecord, findUserIdByEmail } from '../shared/users/user-repository.js';
import { newId } from '../shared/ids.js';
import type { LocalIdentity } from '../shared/identity/local-identity.js';
import { PLATFORM_ADMIN_GROUP } from '../shared/roles.js';

export interface LocalUserInput {
  email: string;
  name: string;
  password: string;
  /** Identity-provider groups (Cognito groups), e.g. platform_admin. */
  groups?: readonly string[];
}

/**
 * A person who can sign in locally right away: the local identity with a password and its
 * groups, plus Roster's user record. Repeating it for the same email is harmless (the
 * password is set again); a Roster user already holding the email gets the identity, under its id.
 */
export async function ensureLocalUser(
  deps: { db: Database; identity: LocalIdentity },
  input: LocalUserInput,
  now: Date = new Date(),
): Promise<{ userId: string; email: string }> {
  const email = normalizeEmail(input.email);
  const { userId } = await deps.identity.ensureUser({
    userId: (await findUserIdByEmail(deps.db, email)) ?? newId(),
    email,
    name: input.name,
    emailVerified: true,
  });
  await deps.identity.setPassword(userId, input.password);
  for (const group of input.groups ?? []) await deps.identity.addToGroup(userId, group);
  const at = now.toISOString();
  await ensureUserRecord(
    deps.db,
    newUserRecord({ userId, email, name: input.name, createdByOrgId: null }, at, {
      platformOperator: (input.groups ?? []).includes(PLATFORM_ADMIN_GROUP),
    }),
  );
  return { userId, email };
}
