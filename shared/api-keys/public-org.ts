import type { Org } from '../orgs/org.js';

/**
 * The org as the public API shows it to a holder of one of its keys. Authorization already
 * read the org with a consistent read, in the same round trip as the key.
 */
export function publicOrgView(org: Org) {
  return {
    orgId: org.orgId,
    name: org.name,
    maxSeats: org.maxSeats,
    seatsUsed: org.seatsUsed,
    memberCount: org.memberCount,
  };
}
