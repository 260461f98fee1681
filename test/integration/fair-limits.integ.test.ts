import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import type { OperationLimit } from '../../shared/operation.js';
import { startLocalApi, type LocalApi } from '../helpers/local-api.js';

let local: LocalApi;

beforeAll(async () => {
  local = await startLocalApi();
});

afterAll(async () => {
  await local?.close();
});

/**
 * Limits count in fixed windows: a storm that straddles a window's end would be counted in two.
 * Waits for the next window when less than 15 s are left in this one.
 */
async function atWindowStart(limit: OperationLimit): Promise<void> {
  const windowMs = limit.windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** A request from another loopback address (127.0.0.0/8 is all local on Linux): the local server reports it as sourceIp. */
function fromAddress(
  localAddress: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; retryAfter: string | undefined; json: { code?: string } | undefined }> {
  const url = new URL(path, local.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            json: /json/.test(res.headers['content-type'] ?? '') && text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Well-formed, never issued: the preview answers 404 after looking it up. */
const UNKNOWN_TOKEN = 'a'.repeat(43);

const countBy = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

describe('per-org limits (issue 21: one org cannot starve another)', () => {
  it("a storm from org A gets 429 with Retry-After past its budget while org B's same route answers", async () => {
    const a = await local.seedOperatorAndOrg();
    const b = await local.seedOperatorAndOrg();
    const limit = LIMITS.exports;
    const exportOf = (orgId: string, token: string) => local.api('GET', `/v1/orgs/${orgId}/members/export`, { token });
    await atWindowStart(limit);

    // Refused requests spend nothing: org B's admin knocking on org A's route leaves A's budget whole.
    const knocks = await Promise.all(Array.from({ length: 5 }, () => exportOf(a.orgId, b.admin.accessToken)));
    expect(knocks.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);

    const storm = await Promise.all(
      Array.from({ length: limit.limit + 4 }, () => exportOf(a.orgId, a.admin.accessToken)),
    );
    // Concurrent requests never pass the budget together: exactly `limit` answered, the rest refused.
    expect(countBy(storm.map((r) => r.status))).toEqual({ 200: limit.limit, 429: 4 });
    const refused = storm.find((r) => r.status === 429)!;
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.json.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(limit.windowSeconds);

    const other = await exportOf(b.orgId, b.admin.accessToken);
    expect(other.status, other.text).toBe(200);
    // Org A's other routes (no budget of theirs spent) still answer.
    expect((await local.api('GET', `/v1/orgs/${a.orgId}/members`, { token: a.admin.accessToken })).status).toBe(200);
  });
});

describe('per-source limits (issue 21: one anonymous client cannot starve the public token routes)', () => {
  it("a storm from one address gets 429 past its budget while another address's same request answers", async () => {
    const limit = LIMITS.ssoDiscovery;
    const discover = (address: string) =>
      fromAddress(address, 'POST', '/v1/sso/discovery', { email: 'someone@example.test' });
    await atWindowStart(limit);

    const storm = await Promise.all(Array.from({ length: limit.limit + 3 }, () => discover('127.0.0.3')));
    expect(countBy(storm.map((r) => r.status))).toEqual({ 200: limit.limit, 429: 3 });
    const refused = storm.find((r) => r.status === 429)!;
    expect(refused.json?.code).toBe('rate_limited');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);

    expect((await discover('127.0.0.4')).status).toBe(200);
    // Budgets are per bucket: the stormed address still previews an invitation (an unknown token: 404).
    expect((await fromAddress('127.0.0.3', 'GET', `/v1/invitations/${UNKNOWN_TOKEN}`)).status).toBe(404);
  });

  it('the invitation token routes count per address before the token is looked up', async () => {
    const limit = LIMITS.invitationToken;
    await atWindowStart(limit);
    const storm = await Promise.all(
      Array.from({ length: limit.limit + 2 }, () =>
        fromAddress('127.0.0.5', 'GET', `/v1/invitations/${UNKNOWN_TOKEN}`),
      ),
    );
    expect(countBy(storm.map((r) => r.status))).toEqual({ 404: limit.limit, 429: 2 });
    expect((await fromAddress('127.0.0.6', 'GET', `/v1/invitations/${UNKNOWN_TOKEN}`)).status).toBe(404);
  });
});
