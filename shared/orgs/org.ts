/** An organization and its settings, as the domain sees it. */
export interface OrgSettings {
  /** Join requests become memberships at once (seat permitting). */
  autoActivation: boolean;
  /** Empty: anyone may ask to join; otherwise only these email domains. */
  allowedEmailDomains: string[];
  /** Members must have MFA enrolled before the org's API answers them. */
  mfaRequired: boolean;
  /** Lifetime of new invitations, 1..720 hours. */
  invitationTtlHours: number;
}

export interface Org {
  orgId: string;
  name: string;
  maxSeats: number;
  /** Active members plus pending invitations; kept on the org item by every seat change. */
  seatsUsed: number;
  /** Active org_admin members; last-admin protection conditions on it. */
  activeAdminCount: number;
  /** Memberships in any status. */
  memberCount: number;
  settings: OrgSettings;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  autoActivation: false,
  allowedEmailDomains: [],
  mfaRequired: false,
  invitationTtlHours: 168,
};

/** The org as the API shows it. */
export function orgView(org: Org) {
  return {
    orgId: org.orgId,
    name: org.name,
    maxSeats: org.maxSeats,
    seatsUsed: org.seatsUsed,
    memberCount: org.memberCount,
    settings: org.settings,
    createdAt: org.createdAt,
    updatedAt: org.updatedAt,
  };
}
