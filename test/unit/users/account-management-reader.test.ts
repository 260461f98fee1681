import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../../shared/errors.js';
import {
  accountManagement,
  requireManagedAccount,
  type AccountReader,
} from '../../../shared/users/account-management.js';
import type { User } from '../../../shared/users/user.js';

/** An in-memory AccountReader: users by id, and the orgs each user has a membership in. */
function fakeReader(users: User[], memberships: Record<string, string[]>): AccountReader {
  const byId = new Map(users.map((u) => [u.userId, u]));
  return {
    getUser: (userId) => Promise.resolve(byId.get(userId)),
    orgIdsOf: (userId) => Promise.resolve(memberships[userId] ?? []),
  };
}

const user = (userId: string, fields: Partial<User> = {}): User => ({
  userId,
  email: `${userId}@gmail.com`,
  name: userId,
  authSource: { kind: 'password' },
  mfaEnabled: false,
  sessionsRevokedAt: null,
  lastLoginAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  createdByOrgId: null,
  platformOperator: false,
  ...fields,
});

const acme = { orgId: 'acme', verifiedDomains: ['acme.com'] };
const reader = fakeReader(
  [
    user('ann', { email: 'ann@acme.com' }),
    user('bob', { createdByOrgId: 'acme' }),
    user('cid', { createdByOrgId: 'acme' }),
    user('dee'),
    user('eve', { email: 'eve@acme.com', platformOperator: true }),
  ],
  // cid was created by acme but has joined another org since; an account may hold a membership twice over time.
  { ann: ['acme', 'vendor'], bob: ['acme', 'acme'], cid: ['acme', 'vendor'], dee: ['acme'], eve: ['acme'] },
);

describe('accountManagement through a reader (who may act on the account)', () => {
  it.each([
    ['an address in the org’s verified domain, whatever else it belongs to', 'ann', true],
    ['an account the org created and that belongs to it alone', 'bob', true],
    ['an account the org created that has joined another org since', 'cid', false],
    ['an account the org neither created nor holds the domain of', 'dee', false],
    ['a platform operator, even in the org’s domain', 'eve', false],
  ])('%s', async (_, userId, managed) => {
    const result = await accountManagement(reader, acme, userId);
    expect(result.user.userId).toBe(userId);
    expect(result.managed).toBe(managed);
  });

  it('an unknown person is a 404, not an unmanaged account', async () => {
    await expect(accountManagement(reader, acme, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('requireManagedAccount hands back a managed account and refuses another with account_not_managed', async () => {
    await expect(requireManagedAccount(reader, acme, 'bob')).resolves.toMatchObject({ userId: 'bob' });
    const refusal = await requireManagedAccount(reader, acme, 'dee').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect((refusal as ForbiddenError).code).toBe('account_not_managed');
  });
});
