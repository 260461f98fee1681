import type { Membership } from '../members/membership.js';
import { oneLine } from '../schemas.js';

/** SCIM-only attributes of a member, kept beside the membership (see keys.ts, scim user profile). */
export interface ScimUserProfile {
  externalId: string | null;
  /** The userName as the IdP wrote it (case kept); Roster's email is its lower-cased form. */
  userName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  displayName: string | null;
  title: string | null;
  preferredLanguage: string | null;
  /** The work email as the IdP wrote it, when it is not the userName. */
  workEmail: string | null;
  employeeNumber: string | null;
  department: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  manager: string | null;
}

export const EMPTY_PROFILE: ScimUserProfile = {
  externalId: null,
  userName: null,
  givenName: null,
  familyName: null,
  formatted: null,
  displayName: null,
  title: null,
  preferredLanguage: null,
  workEmail: null,
  employeeNumber: null,
  department: null,
  costCenter: null,
  organization: null,
  division: null,
  manager: null,
};

/** The enterprise extension's string attributes Roster keeps (manager, complex, apart). */
export const ENTERPRISE_STRING_ATTRIBUTES = [
  'employeeNumber',
  'department',
  'costCenter',
  'organization',
  'division',
] as const;
/** The core User's plain string attributes Roster keeps beside userName and name. */
export const CORE_STRING_ATTRIBUTES = ['displayName', 'title', 'preferredLanguage'] as const;

/** A user as SCIM sees it: the membership's email, name and status plus the profile. */
export interface ScimUserState extends ScimUserProfile {
  userName: string;
  active: boolean;
}

export function userStateOf(membership: Membership, profile: ScimUserProfile | undefined): ScimUserState {
  const p = profile ?? EMPTY_PROFILE;
  const userName = userNameOf(membership, p);
  // A member Roster's admin renamed since the IdP last wrote keeps the admin's name as formatted.
  const derived = nameOf({ ...p, userName, active: true });
  return {
    ...p,
    formatted: derived === membership.name ? p.formatted : membership.name,
    userName,
    active: membership.status === 'active',
  };
}

/**
 * The userName SCIM shows: as the IdP wrote it while it is still the member's email (compared
 * case-insensitively, as Roster compares emails), else the email (changed in Roster since).
 * Okta compares the userName it sent exactly (RFC 7643 §7 lets it be case-insensitive).
 */
export function userNameOf(
  membership: Pick<Membership, 'email'>,
  profile: Pick<ScimUserProfile, 'userName'> | undefined,
): string {
  const submitted = profile?.userName;
  return submitted && submitted.toLowerCase() === membership.email ? submitted : membership.email;
}

/**
 * Name parts of a member Roster named with one field (added outside SCIM): the last word is
 * the family name, the words before it the given name; one word is a given name alone.
 */
export function namePartsOf(name: string): { givenName: string; familyName?: string } {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length < 2) return { givenName: words[0] ?? name };
  return { givenName: words.slice(0, -1).join(' '), familyName: words[words.length - 1]! };
}

/**
 * Roster's single display name from SCIM's name parts: `name.formatted`, else given and family
 * name joined, else `displayName`, else the part of the userName before "@".
 */
export function nameOf(state: ScimUserState): string {
  const joined = [state.givenName, state.familyName]
    .filter((part) => part && part.trim() !== '')
    .join(' ')
    .trim();
  return oneLine(
    state.formatted?.trim() || joined || state.displayName?.trim() || state.userName.split('@')[0] || state.userName,
  );
}
