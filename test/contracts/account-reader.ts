import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccountReader } from '../../shared/users/account-management.js';
import type { MembersWorld } from '../fakes/in-memory-members.js';
import { aMembership, anOrg, aUser } from '../fakes/fixtures.js';

/** One AccountReader under test, with a way to arrange the table's items. */
export interface AccountReaderSubject {
  reader: AccountReader;
  seed(world: MembersWorld): Promise<void>;
}

/**
 * The cases every AccountReader answers alike: the table's (accountReader(db), DynamoDB Local)
 * and the in-memory fake of test/unit/users/account-management-reader.test.ts.
 */
export function accountReaderContract(name: string, subject: () => AccountReaderSubject): void {
  describe(`AccountReader contract: ${name}`, () => {
    it('reads the user record as stored, and nothing for a stranger', async () => {
      const s = subject();
      const id = randomUUID().slice(0, 8);
      const user = aUser(`ann-${id}`, { createdByOrgId: `acme-${id}`, platformOperator: true });
      await s.seed({ users: [user] });
      expect(await s.reader.getUser(user.userId)).toEqual(user);
      expect(await s.reader.getUser(`nobody-${id}`)).toBeUndefined();
    });

    it("lists the orgs of the user's memberships in any status, and none of anyone else's", async () => {
      const s = subject();
      const id = randomUUID().slice(0, 8);
      const [ann, bob, acme, vendor] = [`ann-${id}`, `bob-${id}`, `acme-${id}`, `vendor-${id}`];
      await s.seed({
        orgs: [anOrg(acme), anOrg(vendor)],
        users: [aUser(ann), aUser(bob)],
        memberships: [
          aMembership(acme, ann),
          aMembership(vendor, ann, { status: 'deprovisioned' }),
          aMembership(acme, bob, { status: 'suspended' }),
        ],
      });
      expect((await s.reader.orgIdsOf(ann)).sort()).toEqual([acme, vendor].sort());
      expect(await s.reader.orgIdsOf(bob)).toEqual([acme]);
      expect(await s.reader.orgIdsOf(`nobody-${id}`)).toEqual([]);
    });
  });
}
