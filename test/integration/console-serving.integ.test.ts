import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../helpers/local-api.js';

let local: LocalApi;
let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'roster-console-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Roster</title>');
  await writeFile(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  local = await startLocalApi({ consoleDir: dist });
});
afterAll(async () => {
  await local?.close();
  await rm(dist, { recursive: true, force: true });
});

const get = (path: string, accept = 'text/html') => fetch(`${local.url}${path}`, { headers: { accept } });

describe('npm start serves the console on the API port', () => {
  it('serves index.html for console routes a browser navigates to (history fallback), revalidated', async () => {
    for (const path of ['/', '/orgs/o1/members', '/invitations/some-token', '/password-reset/t']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>Roster</title>');
    }
  });

  it('serves hashed assets with their type, cached for a year', async () => {
    const res = await get('/assets/index-abc.js', '*/*');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('leaves API paths to the API, even for a browser, and never serves files outside dist', async () => {
    const api = await get('/v1/me');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('json');
    expect((await get('/openapi.json', 'application/json')).headers.get('content-type')).toContain('json');
    // A missing asset fetched by a script is a 404, not index.html.
    expect((await get('/assets/missing.js', '*/*')).status).toBe(404);
    // A console route without an extension is the page whatever the Accept header (curl, link checkers), as in AWS.
    const plain = await get('/invitations/some-token', '*/*');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await (await get('/..%2f..%2fetc%2fpasswd', '*/*')).text()).not.toContain('root:');
  });

  it('answers /config.json with the local Cognito endpoint and app client of this origin', async () => {
    const res = await get('/config.json', 'application/json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cognito: { endpoint: string; clientId: string; region: string } };
    expect(body.cognito).toEqual({
      endpoint: `${local.url}/local/cognito`,
      clientId: local.issuer.clientId,
      region: 'local',
    });
  });
});
