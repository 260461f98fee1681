import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { emailAddress, emailDomain, nameText, resourceId, roleKey, trimmedString } from '../schemas.js';

export const ssoConnectionPathParams = z.object({ orgId: resourceId, connectionId: resourceId });
export const listSsoConnectionsQuery = z.strictObject({ ...pageQuery });
export type ListSsoConnectionsQuery = z.infer<typeof listSsoConnectionsQuery>;

/** Cognito takes at most 50 idp identifiers a provider. */
export const MAX_CONNECTION_DOMAINS = 50;
/** Cognito's SAML metadata document limit (ProviderDetails values are at most 131,072 characters). */
const MAX_METADATA_XML = 131_072;

/** https, or http on this machine (the local demo IdP); Cognito itself only reaches https issuers. */
const isIdpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    if (url.username || url.password || url.hash) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname));
  } catch {
    return false;
  }
};
const idpUrl = trimmedString(1, 2048).check(
  z.refine(isIdpUrl, 'must be an https URL (http only on localhost) without credentials or fragment'),
);
/** A claim or attribute name of the IdP (OIDC claim, SAML attribute name or URI). */
const claimName = trimmedString(1, 256);
const scope = z.string().check(z.regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'must be an OAuth scope token'));

const domains = z.array(emailDomain).check(
  z.minLength(1),
  z.maxLength(MAX_CONNECTION_DOMAINS),
  z.refine((list) => new Set(list).size === list.length, 'each domain may be listed once'),
  z.describe(
    'Email domains the connection serves; each must be one of the org’s verifiedDomains and served by no other connection',
  ),
);

const oidcCreate = z.strictObject({
  issuer: idpUrl,
  clientId: trimmedString(1, 255),
  clientSecret: z.string().check(z.minLength(1), z.maxLength(1024), z.describe('Write-only: never returned')),
  scopes: z.optional(z.array(scope).check(z.minLength(1), z.maxLength(25))),
});
const oidcPatch = z.strictObject({
  issuer: z.optional(idpUrl),
  clientId: z.optional(trimmedString(1, 255)),
  clientSecret: z.optional(
    z.string().check(z.minLength(1), z.maxLength(1024), z.describe('Write-only; left out keeps the current one')),
  ),
  scopes: z.optional(z.array(scope).check(z.minLength(1), z.maxLength(25))),
});
const samlSettings = z
  .strictObject({
    metadataUrl: z.optional(idpUrl),
    metadataXml: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_METADATA_XML))),
    idpInitiated: z.optional(
      z.boolean().check(z.describe('Accept IdP-initiated sign-in (unsolicited responses); default false')),
    ),
  })
  .check(
    z.refine(
      (s) => (s.metadataUrl === undefined) !== (s.metadataXml === undefined),
      'give exactly one of metadataUrl and metadataXml',
    ),
  );

const attributeMapping = z.strictObject({
  email: z.optional(claimName),
  name: z.optional(claimName),
  groups: z.optional(z.nullable(claimName)),
});
/** A role of the org, built-in or custom (checked against the org's roles when saved, manage-connections.ts). */
const role = roleKey;
const roleMapping = z.strictObject({
  rules: z.optional(
    z.array(z.strictObject({ value: trimmedString(1, 256), role })).check(
      z.maxLength(50),
      z.refine(
        (rules) => new Set(rules.map((r) => r.value.toLowerCase())).size === rules.length,
        'each value may be mapped once',
      ),
    ),
  ),
  defaultRole: z.optional(role),
});

export const createSsoConnectionBody = z
  .strictObject({
    name: nameText(100),
    protocol: z.enum(['oidc', 'saml']),
    domains,
    oidc: z.optional(oidcCreate),
    saml: z.optional(samlSettings),
    attributeMapping: z.optional(attributeMapping),
    roleMapping: z.optional(roleMapping),
    jitProvisioning: z.optional(z.boolean()),
    updateOnSignIn: z.optional(z.boolean()),
  })
  .check(
    z.refine((b) => b.protocol !== 'oidc' || b.oidc !== undefined, { message: 'is required for OIDC', path: ['oidc'] }),
    z.refine((b) => b.protocol !== 'saml' || b.saml !== undefined, { message: 'is required for SAML', path: ['saml'] }),
    z.refine((b) => b.protocol !== 'oidc' || b.saml === undefined, { message: 'is for SAML only', path: ['saml'] }),
    z.refine((b) => b.protocol !== 'saml' || b.oidc === undefined, { message: 'is for OIDC only', path: ['oidc'] }),
  );
export type CreateSsoConnectionInput = z.infer<typeof createSsoConnectionBody>;

export const updateSsoConnectionBody = z
  .strictObject({
    name: z.optional(nameText(100)),
    domains: z.optional(domains),
    oidc: z.optional(oidcPatch),
    saml: z.optional(samlSettings),
    attributeMapping: z.optional(attributeMapping),
    roleMapping: z.optional(roleMapping),
    jitProvisioning: z.optional(z.boolean()),
    updateOnSignIn: z.optional(z.boolean()),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'name at least one field to change'));
export type UpdateSsoConnectionInput = z.infer<typeof updateSsoConnectionBody>;

export const ssoConnectionResponse = z.object({
  connectionId: z.string(),
  orgId: z.string(),
  name: z.string(),
  protocol: z.enum(['oidc', 'saml']),
  providerName: z.string(),
  domains: z.array(z.string()),
  oidc: z.nullable(
    z.object({
      issuer: z.string(),
      clientId: z.string(),
      scopes: z.array(z.string()),
      clientSecretSet: z.boolean(),
    }),
  ),
  saml: z.nullable(
    z.object({ metadataUrl: z.nullable(z.string()), metadataXml: z.nullable(z.string()), idpInitiated: z.boolean() }),
  ),
  attributeMapping: z.object({ email: z.string(), name: z.string(), groups: z.nullable(z.string()) }),
  roleMapping: z.object({
    rules: z.array(z.object({ value: z.string(), role: z.string() })),
    defaultRole: z.string(),
  }),
  jitProvisioning: z.boolean(),
  updateOnSignIn: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const ssoConnectionPage = z.object({
  items: z.array(ssoConnectionResponse),
  nextCursor: z.nullable(z.string()),
});

export const ssoDiscoveryBody = z.strictObject({ email: emailAddress });
export const ssoDiscoveryResponse = z.union([
  z.object({ sso: z.literal(false) }),
  z.object({ sso: z.literal(true), idpIdentifier: z.string() }),
]);
