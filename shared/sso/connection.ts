import type { Role } from '../roles.js';

export type SsoProtocol = 'oidc' | 'saml';

/** Which IdP claim (OIDC) or attribute (SAML) carries each piece of the person. */
export interface SsoAttributeMapping {
  email: string;
  name: string;
  /** The claim listing the person's groups; null when the IdP sends none (everyone gets the default role). */
  groups: string | null;
}

/** IdP group (or attribute value) → an org role; the first matching rule wins, else the default role. */
export interface SsoRoleMapping {
  rules: { value: string; role: Role }[];
  defaultRole: Role;
}

/**
 * An org's SSO connection: one Cognito identity provider serving the connection's email domains.
 * The client secret is not here: it lives only at the identity provider (identity-port.ts).
 */
export interface SsoConnection {
  connectionId: string;
  orgId: string;
  name: string;
  protocol: SsoProtocol;
  /** The Cognito identity provider's name (unique across orgs, derived from the connection id). */
  providerName: string;
  /** Verified domains of the org; each is served by this connection only, platform-wide. */
  domains: string[];
  oidc: { issuer: string; clientId: string; scopes: string[] } | null;
  saml: { metadataUrl: string | null; metadataXml: string | null; idpInitiated: boolean } | null;
  attributeMapping: SsoAttributeMapping;
  roleMapping: SsoRoleMapping;
  /** A first sign-in of a person without a membership makes one (seat permitting). */
  jitProvisioning: boolean;
  /** Later sign-ins update the member's name and mapped role from the IdP. */
  updateOnSignIn: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Cognito's custom attribute that receives the IdP's groups (the pool's schema declares it). */
export const GROUPS_ATTRIBUTE = 'custom:groups';

/**
 * The Cognito provider name of a connection: the protocol and 26 hex digits of its UUID (about
 * 100 random bits; at most 31 characters, no `_`, which Cognito uses between provider and
 * subject in a federated username). The provider claim item makes it unique in any case.
 */
export function providerNameOf(protocol: SsoProtocol, connectionId: string): string {
  return `${protocol}-${connectionId.replaceAll('-', '').slice(0, 26)}`;
}

/**
 * Whether a pool's provider has the shape providerNameOf gives (Roster made it). Anything else
 * (an imported pool's own IdPs) is never Roster's to delete.
 */
export function isRosterProviderName(providerName: string): boolean {
  return /^(oidc|saml)-[0-9a-f]{26}$/.test(providerName);
}

/** Cognito's attribute mapping for a connection: Cognito attribute → IdP claim. */
export function cognitoAttributeMapping(mapping: SsoAttributeMapping): Record<string, string> {
  return {
    email: mapping.email,
    name: mapping.name,
    ...(mapping.groups ? { [GROUPS_ATTRIBUTE]: mapping.groups } : {}),
  };
}

/** The role the IdP's groups map to: the first rule whose value the person has, else the default. */
export function mappedRole(mapping: SsoRoleMapping, groups: readonly string[]): Role {
  const held = new Set(groups.map((g) => g.trim().toLowerCase()));
  return mapping.rules.find((rule) => held.has(rule.value.trim().toLowerCase()))?.role ?? mapping.defaultRole;
}

/** The domain part of an email, lower-cased. */
export const emailDomainOf = (email: string): string => email.trim().toLowerCase().split('@').pop() ?? '';

/** A connection as the API shows it (never a secret: there is none to show). */
export function ssoConnectionView(c: SsoConnection) {
  return {
    connectionId: c.connectionId,
    orgId: c.orgId,
    name: c.name,
    protocol: c.protocol,
    providerName: c.providerName,
    domains: c.domains,
    oidc: c.oidc && { ...c.oidc, clientSecretSet: true },
    saml: c.saml,
    attributeMapping: c.attributeMapping,
    roleMapping: c.roleMapping,
    jitProvisioning: c.jitProvisioning,
    updateOnSignIn: c.updateOnSignIn,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Every role a connection's role mapping gives (its rules' and its default). */
export const ssoMappingRoles = (c: Pick<SsoConnection, 'roleMapping'>): string[] => [
  ...c.roleMapping.rules.map((rule) => rule.role),
  c.roleMapping.defaultRole,
];
