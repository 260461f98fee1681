import { describe, expect, it } from 'vitest';
import {
  emailInDomains,
  orgManagesAccount,
  orgManagesAccountHint,
  type AccountFacts,
} from '../../../shared/users/account-management.js';

const acme = { orgId: 'acme', verifiedDomains: ['acme.com'] };
const vendor = { orgId: 'vendor', verifiedDomains: [] as string[] };
const account = (fields: Partial<AccountFacts>): AccountFacts => ({
  email: 'ann@acme.com',
  platformOperator: false,
  createdByOrgId: null,
  orgIds: ['acme'],
  ...fields,
});

describe('orgManagesAccount (DESIGN.md section 1)', () => {
  it.each([
    ['email in a verified domain', acme, account({}), true],
    ['email in a verified domain, also in another org', acme, account({ orgIds: ['acme', 'vendor'] }), true],
    [
      'email in a verified domain, created by another org',
      acme,
      account({ createdByOrgId: 'vendor', orgIds: ['vendor', 'acme'] }),
      true,
    ],
    [
      'another org, same person (not its domain, did not create it)',
      vendor,
      account({ orgIds: ['acme', 'vendor'] }),
      false,
    ],
    [
      'created it and is its only org',
      vendor,
      account({ email: 'bob@gmail.com', createdByOrgId: 'vendor', orgIds: ['vendor'] }),
      true,
    ],
    [
      'created it but the person is also in another org',
      vendor,
      account({ email: 'bob@gmail.com', createdByOrgId: 'vendor', orgIds: ['vendor', 'acme'] }),
      false,
    ],
    [
      'only org but did not create it (attached an existing account)',
      vendor,
      account({ email: 'bob@gmail.com', createdByOrgId: null, orgIds: ['vendor'] }),
      false,
    ],
    [
      'created it, no longer a member (left)',
      vendor,
      account({ email: 'bob@gmail.com', createdByOrgId: 'vendor', orgIds: ['acme'] }),
      false,
    ],
    ['a platform operator in a verified domain', acme, account({ platformOperator: true }), false],
    [
      'a platform operator the org created, only org',
      vendor,
      account({ email: 'op@gmail.com', platformOperator: true, createdByOrgId: 'vendor', orgIds: ['vendor'] }),
      false,
    ],
    [
      'a subdomain of a verified domain is not verified',
      acme,
      account({ email: 'ann@eu.acme.com', orgIds: ['acme', 'vendor'] }),
      false,
    ],
    [
      'a look-alike domain is not verified',
      acme,
      account({ email: 'ann@acme.com.evil.test', orgIds: ['acme', 'vendor'] }),
      false,
    ],
  ])('%s → %s', (_case, org, facts, expected) => {
    expect(orgManagesAccount(org, facts)).toBe(expected);
  });

  it('the page hint never says managed where the rule cannot (operator, foreign account)', () => {
    expect(orgManagesAccountHint(acme, { email: 'ann@acme.com', platformOperator: true, createdByOrgId: 'acme' })).toBe(
      false,
    );
    expect(
      orgManagesAccountHint(vendor, { email: 'ann@acme.com', platformOperator: false, createdByOrgId: 'acme' }),
    ).toBe(false);
    expect(
      orgManagesAccountHint(vendor, { email: 'bob@gmail.com', platformOperator: false, createdByOrgId: 'vendor' }),
    ).toBe(true);
  });

  it('compares domains exactly and case-insensitively', () => {
    expect(emailInDomains('Ann@ACME.com', ['acme.com'])).toBe(true);
    expect(emailInDomains('ann@notacme.com', ['acme.com'])).toBe(false);
  });
});
