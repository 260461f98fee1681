import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenIssuer } from '../../../local/token-issuer.js';
import { localTokenVerifier, type TokenVerifier } from '../../../shared/identity/token-verifier.js';

let server: Server;
let issuer: TokenIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  // The local server's JWKS route, alone: the verifier fetches the issuer's keys from it.
  server = createServer((req, res) => {
    if (req.url === '/local/.well-known/jwks.json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer = await TokenIssuer.create({ issuer: `http://localhost:${port}/local` });
  verifier = localTokenVerifier(issuer.issuer);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The verifier a signed-in accept uses locally (shared/identity/token-verifier.ts). */
describe('local token verifier', () => {
  it("accepts the issuer's access tokens and reports subject and issue time", async () => {
    const { accessToken } = issuer.issue({ userId: 'u-1', email: 'ann@acme.test', groups: [] });
    expect(await verifier.verify(accessToken)).toEqual({ sub: 'u-1', issuedAtMs: expect.any(Number) });
  });

  it('refuses id tokens, other clients, expired tokens, other keys and garbage', async () => {
    const { idToken } = issuer.issue({ userId: 'u-1', email: 'ann@acme.test', groups: [] });
    expect(await verifier.verify(idToken)).toBeUndefined();
    const t = Math.floor(Date.now() / 1000);
    const claims = { sub: 'u-1', iss: issuer.issuer, client_id: issuer.clientId, token_use: 'access', iat: t };
    expect(await verifier.verify(issuer.sign({ ...claims, exp: t + 60 }))).toEqual({
      sub: 'u-1',
      issuedAtMs: t * 1000,
    });
    expect(await verifier.verify(issuer.sign({ ...claims, exp: t + 60, client_id: 'other' }))).toBeUndefined();
    expect(await verifier.verify(issuer.sign({ ...claims, exp: t - 60 }))).toBeUndefined();
    expect(
      await verifier.verify(issuer.sign({ ...claims, exp: t + 60, iss: 'http://elsewhere/local' })),
    ).toBeUndefined();
    const stranger = await TokenIssuer.create({ issuer: issuer.issuer });
    expect(await verifier.verify(stranger.sign({ ...claims, exp: t + 60 }))).toBeUndefined();
    expect(await verifier.verify('not.a.jwt')).toBeUndefined();
  });
});
