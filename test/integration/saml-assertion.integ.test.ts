import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { ensureTable } from '../../local/ensure-table.js';
import { config } from '../../shared/config.js';
import { database, type Database } from '../../shared/data/dynamo-client.js';
import { samlAssertionKey } from '../../shared/data/keys.js';
import {
  samlIdpTrustFromMetadata,
  samlRequestStore,
  verifySamlResponse,
  type SamlIdpTrust,
  type SamlServiceProvider,
} from '../../shared/sso/saml-assertion.js';

const IDP_ENTITY_ID = 'https://idp.example.test/saml';
const sp: SamlServiceProvider = {
  entityId: 'urn:roster:test',
  acsUrl: 'https://roster.example.test/saml/acs',
};

interface KeyPair {
  key: string;
  cert: string;
}

/** A key pair and self-signed certificate made now, as an IdP's signing credential. */
function makeKeyPair(dir: string, name: string): KeyPair {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');

interface AssertionOptions {
  audience?: string;
  recipient?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  inResponseTo?: string | null;
  assertionId?: string;
  issuer?: string;
  email?: string;
}

/** A SAML Response with one assertion, the assertion signed (enveloped, RSA-SHA256, exclusive c14n) with `signer`. */
function samlResponse(signer: KeyPair, options: AssertionOptions = {}): string {
  const now = Date.now();
  const notBefore = (options.notBefore ?? new Date(now - 30_000)).toISOString();
  const notOnOrAfter = (options.notOnOrAfter ?? new Date(now + 5 * 60_000)).toISOString();
  const issuer = options.issuer ?? IDP_ENTITY_ID;
  const inResponseTo = options.inResponseTo === undefined ? null : options.inResponseTo;
  const irt = inResponseTo ? ` InResponseTo="${inResponseTo}"` : '';
  const assertionId = options.assertionId ?? `_a${randomUUID().replaceAll('-', '')}`;
  const email = options.email ?? 'pat@corp.example.test';
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${new Date(now).toISOString()}">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${email}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${options.recipient ?? sp.acsUrl}"${irt}/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}">` +
    `<saml:AudienceRestriction><saml:Audience>${options.audience ?? sp.entityId}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${new Date(now).toISOString()}" SessionIndex="s1">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    `<saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${email}</saml:AttributeValue></saml:Attribute>` +
    `<saml:Attribute Name="groups"><saml:AttributeValue>Staff</saml:AttributeValue><saml:AttributeValue>Roster Admins</saml:AttributeValue></saml:Attribute>` +
    `</saml:AttributeStatement></saml:Assertion>`;
  const sig = new SignedXml({
    privateKey: signer.key,
    publicCert: signer.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(assertion, {
    location: { reference: "//*[local-name(.)='Issuer']", action: 'after' },
  });
  const response =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replaceAll('-', '')}" Version="2.0" IssueInstant="${new Date(now).toISOString()}" Destination="${options.recipient ?? sp.acsUrl}"${irt}>` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    sig.getSignedXml() +
    `</samlp:Response>`;
  return Buffer.from(response).toString('base64');
}

let db: Database;
let dir: string;
let idp: KeyPair;
let impostor: KeyPair;
let trust: SamlIdpTrust;

/** An AuthnRequest Roster sent: its id is what the IdP answers InResponseTo. */
async function sentRequest(): Promise<string> {
  const id = `_q${randomUUID().replaceAll('-', '')}`;
  await samlRequestStore(db).saveAsync(id, new Date().toISOString());
  return id;
}

const verify = (samlResponseB64: string, t: SamlIdpTrust = trust) => verifySamlResponse({ db }, t, sp, samlResponseB64);

beforeAll(async () => {
  const { dynamoDbEndpoint, tableName } = config();
  await ensureTable(dynamoDbEndpoint!, tableName);
  db = database();
  dir = mkdtempSync(join(tmpdir(), 'roster-saml-'));
  idp = makeKeyPair(dir, 'idp');
  impostor = makeKeyPair(dir, 'impostor');
  const metadata =
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP_ENTITY_ID}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n${certBody(idp.cert)}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(impostor.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  trust = await samlIdpTrustFromMetadata('saml-test', metadata, false);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SAML metadata', () => {
  it('reads the entity id, the signing certificate only (not the encryption one) and the redirect SSO URL', () => {
    expect(trust).toEqual({
      providerName: 'saml-test',
      entityId: IDP_ENTITY_ID,
      certificates: [certBody(idp.cert)],
      ssoUrl: 'https://idp.example.test/sso',
      idpInitiated: false,
    });
  });
});

describe('verifySamlResponse', () => {
  it('accepts a signed assertion answering a request Roster sent, and records its id until after it expires', async () => {
    const requestId = await sentRequest();
    const assertionId = `_a${randomUUID().replaceAll('-', '')}`;
    const verified = await verify(samlResponse(idp, { inResponseTo: requestId, assertionId }));
    expect(verified).toMatchObject({
      assertionId,
      issuer: IDP_ENTITY_ID,
      nameId: 'pat@corp.example.test',
      email: 'pat@corp.example.test',
      inResponseTo: requestId,
    });
    expect(verified.attributes.groups).toEqual(['Staff', 'Roster Admins']);
    const { Item } = await db.client.send(
      new GetCommand({
        TableName: db.tableName,
        Key: samlAssertionKey('saml-test', assertionId),
        ConsistentRead: true,
      }),
    );
    expect(Item?.ttl).toBeGreaterThan(Date.now() / 1000 + 5 * 60);
    // The request was answered: it cannot be answered again.
    expect(await samlRequestStore(db).getAsync(requestId)).toBeNull();
  });

  it('refuses a replayed assertion (the assertion-id item exists)', async () => {
    const requestId = await sentRequest();
    const response = samlResponse(idp, { inResponseTo: requestId });
    await verify(response);
    // Even with a fresh request id recorded again, the same assertion is not accepted twice.
    await samlRequestStore(db).saveAsync(requestId, new Date().toISOString());
    await expect(verify(response)).rejects.toMatchObject({ reason: 'replayed' });
  });

  it('refuses a tampered assertion (the signature no longer matches)', async () => {
    const requestId = await sentRequest();
    const xml = Buffer.from(samlResponse(idp, { inResponseTo: requestId }), 'base64').toString();
    const tampered = xml.replaceAll('pat@corp.example.test', 'boss@corp.example.test');
    expect(tampered).not.toBe(xml);
    await expect(verify(Buffer.from(tampered).toString('base64'))).rejects.toMatchObject({ reason: 'signature' });
  });

  it('refuses an assertion signed by a key other than the connection’s certificate', async () => {
    const requestId = await sentRequest();
    await expect(verify(samlResponse(impostor, { inResponseTo: requestId }))).rejects.toMatchObject({
      reason: 'signature',
    });
  });

  it('refuses a wrong audience', async () => {
    const requestId = await sentRequest();
    await expect(
      verify(samlResponse(idp, { inResponseTo: requestId, audience: 'urn:someone:else' })),
    ).rejects.toMatchObject({ reason: 'audience' });
  });

  it('refuses a wrong recipient', async () => {
    const requestId = await sentRequest();
    await expect(
      verify(samlResponse(idp, { inResponseTo: requestId, recipient: 'https://evil.example.test/acs' })),
    ).rejects.toMatchObject({ reason: 'recipient' });
  });

  it('refuses an expired assertion, and one not yet valid, past the clock skew; accepts one within it', async () => {
    const expired = await sentRequest();
    await expect(
      verify(
        samlResponse(idp, {
          inResponseTo: expired,
          notBefore: new Date(Date.now() - 10 * 60_000),
          notOnOrAfter: new Date(Date.now() - 2 * 60_000),
        }),
      ),
    ).rejects.toMatchObject({ reason: 'expired' });
    const early = await sentRequest();
    await expect(
      verify(samlResponse(idp, { inResponseTo: early, notBefore: new Date(Date.now() + 5 * 60_000) })),
    ).rejects.toMatchObject({ reason: 'expired' });
    const skewed = await sentRequest();
    await expect(
      verify(samlResponse(idp, { inResponseTo: skewed, notBefore: new Date(Date.now() + 20_000) })),
    ).resolves.toMatchObject({ inResponseTo: skewed });
  });

  it('refuses an IdP-initiated response (no InResponseTo) unless the connection turns it on', async () => {
    await expect(verify(samlResponse(idp, { inResponseTo: null }))).rejects.toMatchObject({ reason: 'unsolicited' });
    await expect(
      verify(samlResponse(idp, { inResponseTo: null }), { ...trust, idpInitiated: true }),
    ).resolves.toMatchObject({ inResponseTo: null });
  });

  it('refuses an answer to a request Roster never sent, and a second answer to one it did', async () => {
    await expect(verify(samlResponse(idp, { inResponseTo: '_never-sent' }))).rejects.toMatchObject({
      reason: 'unknown_request',
    });
    const requestId = await sentRequest();
    await verify(samlResponse(idp, { inResponseTo: requestId }));
    await expect(verify(samlResponse(idp, { inResponseTo: requestId }))).rejects.toMatchObject({
      reason: 'unknown_request',
    });
  });

  it('refuses an assertion from another issuer signed with the trusted key', async () => {
    const requestId = await sentRequest();
    await expect(
      verify(samlResponse(idp, { inResponseTo: requestId, issuer: 'https://other-idp.example.test' })),
    ).rejects.toMatchObject({ reason: 'issuer' });
  });
});
