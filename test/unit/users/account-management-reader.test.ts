import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../../shared/errors.js';
import { accountManagement, requireManagedAccount } from '../../../shared/users/account-management.js';
import { aMembership, aUser } from '../../fakes/fixtures.js';
import { InMemoryMembers } from '../../fakes/in-memory-members.js';

const acme = { orgId: 'acme', verifiedDomains: ['acme.com'] };
/** The in-memory store the rule tests share (test/fakes; its contract runs against the table too). */
const reader = new InMemoryMembers({
  users: [
    aUser('ann', { email: 'ann@acme.com' }),
    aUser('bob', { email: 'bob@gmail.com', createdByOrgId: 'acme' }),
    aUser('cid', { email: 'cid@gmail.com', createdByOrgId: 'acme' }),
    aUser('dee', { email: 'dee@gmail.com' }),
    aUser('eve', { email: 'eve@acme.com', platformOperator: true }),
  ],
  // cid was created by acme but has joined another org since.
  memberships: [
    aMembership('acme', 'ann'),
    aMembership('vendor', 'ann'),
    aMembership('acme', 'bob'),
    aMembership('acme', 'cid'),
    aMembership('vendor', 'cid', { status: 'suspended' }),
    aMembership('acme', 'dee'),
    aMembership('acme', 'eve'),
  ],
});

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
