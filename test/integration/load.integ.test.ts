import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, type LoadSend } from '../../bench/load.js';
import { startLocalApi, type LocalApi } from '../helpers/local-api.js';

let local: LocalApi;
beforeAll(async () => {
  local = await startLocalApi();
});
afterAll(async () => {
  await local.close();
});

const as =
  (token: string): LoadSend =>
  async (method, path, body) => {
    const answer = await local.api(method, path, { token, ...(body === undefined ? {} : { body }) });
    return { status: answer.status, body: answer.json };
  };

describe('npm run load at a small size', () => {
  it('mixed admin traffic answers no 5xx and leaves the seat counter exactly recounted', async () => {
    const { orgId, operator, admin } = await local.seedOperatorAndOrg();
    const report = await runLoad(
      { orgId, admin: as(admin.accessToken), operator: as(operator.accessToken) },
      { requests: 120, concurrency: 6, maxSeconds: 80, extraSeats: 25 },
    );
    expect(report.serverErrors).toBe(0);
    expect(report.requests).toBe(120);
    // Every kind of request ran, and the seat limit was met (adds or invites past it are refused).
    for (const operation of ['list', 'add', 'invite', 'suspend', 'reactivate'] as const)
      expect(report.byOperation[operation].count).toBeGreaterThan(0);
    expect(report.recount).toMatchObject({ exact: true, reconcileDrift: 0 });
    expect(report.recount.seatsUsed).toBe(report.recount.activeMembers + report.recount.pendingInvitations);
    expect(report.recount.seatsUsed).toBeGreaterThan(1);
  });
});
