import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { parseStringPromise, processors } from 'xml2js';
import type { Database } from '../data/dynamo-client.js';
import { getSamlRequest, putSamlRequest, recordSamlAssertion, takeSamlRequest } from './saml-replay-repository.js';

/**
 * SAML 2.0 assertion checks for a SAML connection, with @node-saml/node-saml (signature against the
 * IdP's certificates, audience, NotBefore/NotOnOrAfter, InResponseTo, status) plus what it leaves
 * to its caller: the recipient/destination must be Roster's ACS URL, and an assertion is accepted
 * once (an assertion-id item put with attribute_not_exists; a replay fails the condition).
 *
 * Where it runs: in AWS, Cognito is the SAML service provider of each connection and verifies the
 * IdP's assertions itself (its ACS is `https://<domain>/saml2/idpresponse`); Roster never sees them.
 * This module is Roster's own verification for where Cognito is not in the path: the local stack's
 * stand-in and a direct SAML ACS route, which would call verifySamlResponse and then
 * completeFederatedSignIn with the verified person.
 */

/** Roster as the service provider: its entity id (the audience) and its ACS URL (the recipient). */
export interface SamlServiceProvider {
  entityId: string;
  acsUrl: string;
}

/** What Roster trusts of a connection's IdP (from its metadata): who it is, what signs, and whether it may start a sign-in. */
export interface SamlIdpTrust {
  providerName: string;
  /** The IdP's entity id: an assertion from another issuer is refused; null accepts any issuer the certificates sign for. */
  entityId: string | null;
  /** PEM or base64 DER X.509 certificates whose keys may sign the IdP's assertions. */
  certificates: string[];
  /** The IdP's SSO URL (HTTP-Redirect), for AuthnRequests. */
  ssoUrl: string | null;
  /** IdP-initiated sign-in (no AuthnRequest, no InResponseTo) is accepted only when the connection turns it on. */
  idpInitiated: boolean;
}

/** Clock skew tolerated between the IdP and Roster on NotBefore/NotOnOrAfter. */
export const SAML_CLOCK_SKEW_MS = 60_000;
/** How long an AuthnRequest Roster sent may be answered. */
export const SAML_REQUEST_LIFETIME_MS = 10 * 60_000;

export type SamlRefusalReason =
  | 'signature'
  | 'audience'
  | 'recipient'
  | 'expired'
  | 'replayed'
  | 'unsolicited'
  | 'unknown_request'
  | 'issuer'
  | 'invalid';

/** A SAML response refused; `reason` says which check, the message is for logs (the person reads a generic sentence). */
export class SamlAssertionRefused extends Error {
  constructor(
    readonly reason: SamlRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'SamlAssertionRefused';
  }
}

/** The person an accepted assertion vouches for. */
export interface VerifiedSamlAssertion {
  assertionId: string;
  issuer: string;
  nameId: string;
  email: string | undefined;
  /** The assertion's attributes (node-saml's profile: one value, or an array of them). */
  attributes: Record<string, unknown>;
  inResponseTo: string | null;
}

const ttlAfter = (ms: number) => Math.floor(ms / 1000) + 24 * 3600;

/** AuthnRequest ids in the table (node-saml's cache provider): single-use, expiring, shared by every Lambda instance. */
export function samlRequestStore(db: Database): CacheProvider {
  return {
    async saveAsync(key, value) {
      // node-saml judges an assertion's instants by the machine's clock, so its request store does too.
      const createdAt = Date.now();
      return (await putSamlRequest(db, key, value, ttlAfter(createdAt))) ? { value, createdAt } : null;
    },
    getAsync: (key) => getSamlRequest(db, key),
    removeAsync: (key) => (key === null ? Promise.resolve(null) : takeSamlRequest(db, key)),
  };
}

function samlOf(db: Database, trust: SamlIdpTrust, sp: SamlServiceProvider): SAML {
  return new SAML({
    idpCert: trust.certificates,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    ...(trust.ssoUrl ? { entryPoint: trust.ssoUrl } : {}),
    // Most IdPs sign the assertion, some only the response; the assertion's signature is required.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: trust.idpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SAML_REQUEST_LIFETIME_MS,
    cacheProvider: samlRequestStore(db),
  });
}

/** The IdP's sign-in URL with a new AuthnRequest (HTTP-Redirect binding); its id is recorded for InResponseTo. */
export async function samlSignInUrl(
  deps: { db: Database },
  trust: SamlIdpTrust,
  sp: SamlServiceProvider,
  relayState: string,
): Promise<string> {
  if (!trust.ssoUrl) throw new Error(`SAML connection ${trust.providerName} has no SSO URL in its metadata`);
  return samlOf(deps.db, trust, sp).getAuthorizeUrlAsync(relayState, undefined, {});
}

function reasonOf(message: string): SamlRefusalReason {
  if (/InResponseTo is missing/i.test(message)) return 'unsolicited';
  if (/InResponseTo/i.test(message)) return 'unknown_request';
  if (/signature/i.test(message)) return 'signature';
  if (/audience/i.test(message)) return 'audience';
  // node-saml says "No valid subject confirmation" when every SubjectConfirmationData is outside its time window.
  if (/expired|not yet valid|too old|no valid subject confirmation/i.test(message)) return 'expired';
  if (/issuer/i.test(message)) return 'issuer';
  return 'invalid';
}

/** An XML element as xml2js reads it with prefixes stripped: attributes under `$`, children by local name. */
interface XmlNode {
  $?: Record<string, string>;
  _?: string;
  [child: string]: XmlNode[] | Record<string, string> | string | undefined;
}

const parseXml = async (xml: string): Promise<Record<string, XmlNode>> =>
  (await parseStringPromise(xml, { tagNameProcessors: [processors.stripPrefix] })) as Record<string, XmlNode>;

const children = (node: XmlNode | undefined, name: string): XmlNode[] => {
  const value = node?.[name];
  return Array.isArray(value) ? value : [];
};

/** Every descendant element of this local name. */
function descendants(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$' || key === '_' || !Array.isArray(value)
      ? []
      : value.flatMap((child) => [...(key === name ? [child] : []), ...descendants(child, name)]),
  );
}

/**
 * Verifies a POSTed SAMLResponse (base64) from the connection's IdP and records its assertion id
 * so it is accepted once. Throws SamlAssertionRefused naming the failed check.
 */
export async function verifySamlResponse(
  deps: { db: Database },
  trust: SamlIdpTrust,
  sp: SamlServiceProvider,
  samlResponse: string,
): Promise<VerifiedSamlAssertion> {
  let profile: Profile | null;
  try {
    ({ profile } = await samlOf(deps.db, trust, sp).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    const message = (error as Error).message;
    throw new SamlAssertionRefused(reasonOf(message), message);
  }
  if (!profile?.getAssertionXml || !profile.getSamlResponseXml)
    throw new SamlAssertionRefused('invalid', 'The SAML response holds no assertion');

  // node-saml checks the issuer of logout messages only: the assertion's (signed) issuer is checked here.
  if (trust.entityId && profile.issuer !== trust.entityId)
    throw new SamlAssertionRefused('issuer', `The assertion's issuer is not ${trust.entityId}`);
  // node-saml read the assertion from the signed XML: the recipient checked here is the signed one.
  const assertion = (await parseXml(profile.getAssertionXml())).Assertion;
  const assertionId = assertion?.$?.ID;
  if (!assertion || !assertionId) throw new SamlAssertionRefused('invalid', 'The assertion has no ID');
  const confirmations = descendants(assertion, 'SubjectConfirmationData');
  if (confirmations.length === 0 || confirmations.some((c) => c.$?.Recipient !== sp.acsUrl))
    throw new SamlAssertionRefused('recipient', `The assertion's Recipient is not ${sp.acsUrl}`);
  const response = (await parseXml(profile.getSamlResponseXml())).Response;
  const destination = response?.$?.Destination;
  if (destination && destination !== sp.acsUrl)
    throw new SamlAssertionRefused('recipient', `The response's Destination is not ${sp.acsUrl}`);

  // Kept past the assertion's last valid instant (plus the skew a replay could use), then the TTL removes it;
  // node-saml judged those instants by the machine's clock, so this does too.
  const validUntil = Math.max(
    ...[
      ...confirmations.map((c) => c.$?.NotOnOrAfter),
      ...children(assertion, 'Conditions').map((c) => c.$?.NotOnOrAfter),
    ]
      .map((at) => (at ? Date.parse(at) : NaN))
      .filter((ms) => Number.isFinite(ms)),
    Date.now() + SAML_REQUEST_LIFETIME_MS,
  );
  const ttl = Math.ceil((validUntil + SAML_CLOCK_SKEW_MS) / 1000);
  if (!(await recordSamlAssertion(deps.db, trust.providerName, assertionId, profile.issuer, ttl)))
    throw new SamlAssertionRefused('replayed', `Assertion ${assertionId} was already used`);
  const { issuer, nameID, email, getAssertionXml, getAssertion, getSamlResponseXml, ...attributes } = profile;
  void getAssertionXml;
  void getAssertion;
  void getSamlResponseXml;
  const inResponseTo = response?.$?.InResponseTo;
  return {
    assertionId,
    issuer,
    nameId: nameID,
    email: typeof email === 'string' ? email : undefined,
    attributes,
    inResponseTo: inResponseTo || null,
  };
}

/** What Roster trusts of an IdP, read from its SAML metadata (entity id, signing certificates, SSO URL). */
export async function samlIdpTrustFromMetadata(
  providerName: string,
  metadataXml: string,
  idpInitiated: boolean,
): Promise<SamlIdpTrust> {
  const entity = (await parseXml(metadataXml)).EntityDescriptor;
  const idp = children(entity, 'IDPSSODescriptor')[0];
  if (!entity || !idp) throw new Error('SAML metadata without an IDPSSODescriptor');
  const certificates = children(idp, 'KeyDescriptor')
    // A key for encryption only does not sign.
    .filter((k) => k.$?.use !== 'encryption')
    .flatMap((k) => descendants(k, 'X509Certificate'))
    .map((c) => (typeof c === 'string' ? c : (c._ ?? '')).replace(/\s+/g, ''))
    .filter(Boolean);
  if (certificates.length === 0) throw new Error('SAML metadata without a signing certificate');
  const sso = children(idp, 'SingleSignOnService').find(
    (s) => s.$?.Binding === 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  );
  return {
    providerName,
    entityId: entity.$?.entityID ?? null,
    certificates,
    ssoUrl: sso?.$?.Location ?? null,
    idpInitiated,
  };
}
