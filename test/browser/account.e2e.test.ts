import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CONSOLE_DIST_DIR } from '../../local/paths.js';
import {
  expectNoConsoleErrors,
  launchChromium,
  openConsolePage,
  seriousAccessibilityViolations,
  signInThroughPage,
} from '../helpers/browser.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
let browser: Browser;
let seeded: SeededOrg;

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalApi({ consoleDir: CONSOLE_DIST_DIR }), launchChromium()]);
  seeded = await local.seedOperatorAndOrg({ maxSeats: 10 });
});
afterAll(async () => {
  await browser?.close();
  await local?.close();
});

const leaveButton = (orgName: string) => ({ name: `Leave ${orgName}` });

describe('console account: leaving an org', () => {
  it("the org's last admin is refused with the API's detail", async () => {
    const me = await local.api('GET', '/v1/me', { token: seeded.admin.accessToken });
    const orgName = String(me.json.memberships.find((m: { orgId: string }) => m.orgId === seeded.orgId).orgName);
    const admin = await openConsolePage(browser, local.url);
    await signInThroughPage(admin.page, seeded.admin.email, TEST_PASSWORD);
    await admin.page.goto('/account');
    await admin.page.getByRole('button', leaveButton(orgName)).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Leave' });
    await dialog.getByRole('button', { name: 'Leave' }).click();
    const refusal = await local.api('DELETE', `/v1/me/memberships/${seeded.orgId}`, {
      token: seeded.admin.accessToken,
    });
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    await expect(dialog.getByRole('alert').textContent()).resolves.toBe(String(refusal.json.detail));
    expect(await seriousAccessibilityViolations(admin.page)).toEqual([]);
    await admin.close();
  });

  it('a member leaves after the confirmation; the org is gone from their list', async () => {
    const email = `leaver-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { name: 'Leaver', email, role: 'member' },
    });
    expect(added.status).toBe(201);
    await local.setPassword(String(added.json.userId), TEST_PASSWORD);
    const me = await local.api('GET', '/v1/me', { token: seeded.admin.accessToken });
    const orgName = String(me.json.memberships.find((m: { orgId: string }) => m.orgId === seeded.orgId).orgName);

    const member = await openConsolePage(browser, local.url);
    await signInThroughPage(member.page, email, TEST_PASSWORD);
    await member.page.getByRole('heading', { name: 'Account' }).waitFor();
    await member.page.getByRole('button', leaveButton(orgName)).click();
    await member.page.getByRole('dialog', { name: 'Leave' }).getByRole('button', { name: 'Leave' }).click();
    await member.page.getByRole('button', leaveButton(orgName)).waitFor({ state: 'detached' });
    await member.page.getByText('You are not a member of any organization.').waitFor();
    const list = await local.api('GET', `/v1/orgs/${seeded.orgId}/members?sort=email`, {
      token: seeded.admin.accessToken,
    });
    expect(list.json.items.map((m: { email: string }) => m.email)).not.toContain(email);
    expectNoConsoleErrors(member);
    await member.close();
  });
});
