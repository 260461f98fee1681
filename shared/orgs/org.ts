import type { CustomRoles, Role } from '../roles.js';

/** What DELETE /scim/v2/Users/{id} does: deprovision (row and history kept) or remove the membership. */
export type ScimDeleteAction = 'deprovision' | 'remove';

/** SCIM provisioning settings of an org. */
export interface ScimSettings {
  /**
   * A SCIM user placed in a group (team) of one of these names, compared case-insensitively,
   * gets its role; leaving a mapped group without entering another makes them `member`.
   * Applied when Group requests add or remove members, from the time the mapping is set.
   */
  groupRoles: { group: string; role: Role }[];
  deleteAction: ScimDeleteAction;
}

export const DEFAULT_SCIM_SETTINGS: ScimSettings = { groupRoles: [], deleteAction: 'deprovision' };

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
  scim: ScimSettings;
  /** DNS domains proven to be the org's (set by platform operators only): the org manages accounts with an email in them. */
  verifiedDomains: string[];
  /**
   * Accounts whose email lies in a domain one of the org's SSO connections serves sign in through
   * it only: no password sign-in, no password reset (sso/enforcement.ts). Needs a connection.
   */
  ssoRequired: boolean;
  /** With ssoRequired, active members holding `org:manage` keep their password (break-glass). */
  ssoBreakGlassForAdmins: boolean;
}

export interface Org {
  orgId: string;
  name: string;
  maxSeats: number;
  /** Active members plus pending invitations; kept on the org item by every seat change. */
  seatsUsed: number;
  /** Active members holding `org:manage` (org_admin or a custom role with it); last-admin protection conditions on it. */
  activeAdminCount: number;
  /** Memberships in any status. */
  memberCount: number;
  /** Memberships whose SCIM User the IdP deleted (kept in Roster, gone from SCIM). */
  scimDeletedCount?: number;
  settings: OrgSettings;
  /** The org's own roles by key (bounded by MAX_CUSTOM_ROLES): on the org item so the authorizer reads them with the org. */
  customRoles: CustomRoles;
  /** Bumped by every change of customRoles; role edits are conditioned on the version read. */
  rolesVersion: number;
  /** Memberships (any status) holding each custom role, moved in the membership's transaction: a role in use is not deleted. */
  roleHolders: Readonly<Record<string, number>>;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  autoActivation: false,
  allowedEmailDomains: [],
  mfaRequired: false,
  invitationTtlHours: 168,
  scim: DEFAULT_SCIM_SETTINGS,
  verifiedDomains: [],
  ssoRequired: false,
  ssoBreakGlassForAdmins: true,
};

/** An org's SCIM settings, defaults filled in (orgs stored before they existed have none). */
export function scimSettingsOf(settings: Pick<OrgSettings, 'scim'> | undefined): ScimSettings {
  return { ...DEFAULT_SCIM_SETTINGS, ...settings?.scim };
}

/** The org as the API shows it. */
export function orgView(org: Org) {
  return {
    orgId: org.orgId,
    name: org.name,
    maxSeats: org.maxSeats,
    seatsUsed: org.seatsUsed,
    memberCount: org.memberCount,
    activeAdminCount: org.activeAdminCount,
    settings: org.settings,
    createdAt: org.createdAt,
    updatedAt: org.updatedAt,
  };
}
