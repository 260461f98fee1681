import type { Membership } from './members/membership.js';
import type { Org } from './orgs/org.js';
import type { User } from './users/user.js';

/** The verified caller: identity claims plus what the table says of them. */
export interface Caller {
  userId: string;
  isPlatformAdmin: boolean;
  user: User | undefined;
  /** For org routes: the org (consistent read) and the caller's membership, if any. */
  org?: Org;
  membership?: Membership;
}
