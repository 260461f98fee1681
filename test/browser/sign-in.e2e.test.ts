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
import { totpCode } from '../helpers/totp.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
let browser: Browser;
let seeded: SeededOrg;

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalApi({ mail: true, consoleDir: CONSOLE_DIST_DIR }), launchChromium()]);
  seeded = await local.seedOperatorAndOrg({ maxSeats: 5 });
});
afterAll(async () => {
  await browser?.close();
  await local?.close();
});

describe('console sign-in', () => {
  it('an admin signs in with email and password and lands on the Members page of their org', async () => {
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughPage(page, seeded.admin.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(page.url()).toContain(`/orgs/${seeded.orgId}/members`);
    await page.getByRole('cell', { name: seeded.admin.email }).waitFor();
    for (const link of ['Members', 'Invitations', 'Join requests', 'Teams', 'Audit log', 'Settings', 'Account']) {
      await expect(
        page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).count(),
        link,
      ).resolves.toBe(1);
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it("the platform operator lands on Orgs and sets an org's verified domains", async () => {
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughPage(page, seeded.operator.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'Orgs' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Verified domains' }) });
    await form.getByRole('textbox', { name: 'Organization id' }).fill(seeded.orgId);
    await form.getByRole('textbox', { name: 'Verified domains' }).fill('verified-e2e.test');
    await form.getByRole('button', { name: 'Save verified domains' }).click();
    await form.getByRole('status').filter({ hasText: 'verified domains verified-e2e.test.' }).waitFor();
    const org = await local.api('GET', `/v1/orgs/${seeded.orgId}`, { token: seeded.admin.accessToken });
    expect(org.json.settings.verifiedDomains).toEqual(['verified-e2e.test']);
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it('a wrong password shows the sign-in service message and no session', async () => {
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await page.goto('/');
    await page.getByLabel('Email').fill(seeded.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Incorrect username or password.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it('a plain member sees their orgs and account, never the admin pages', async () => {
    const email = `plain-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { name: 'Plain Member', email, role: 'member' },
    });
    expect(added.status).toBe(201);
    await local.setPassword(added.json.userId, TEST_PASSWORD);
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughPage(page, email, TEST_PASSWORD).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${page.url()}\n${await page.locator('body').innerText()}`);
    });
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    // Their org, with their role and a way to leave it; no admin page or action anywhere.
    await page.getByRole('cell', { name: 'Member', exact: true }).waitFor();
    await expect(page.getByRole('button', { name: /^Leave / }).count()).resolves.toBe(1);
    for (const name of ['Members', 'Invitations', 'Join requests', 'Teams', 'Audit log', 'Settings', 'Orgs'])
      await expect(nav.getByRole('link', { name }).count()).resolves.toBe(0);
    await expect(nav.getByRole('link', { name: 'Account' }).count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Typing an admin URL (a reload: the session comes back from the refresh token) leads back to the account page.
    for (const adminPage of ['members', 'settings', 'audit-log']) {
      await page.goto(`/orgs/${seeded.orgId}/${adminPage}`);
      await page.getByRole('heading', { name: 'Account' }).waitFor();
      for (const name of ['Add member', 'Export CSV', 'Change role', 'Save settings'])
        await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }
    await page.goto('/orgs');
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await expect(page.getByRole('button', { name: 'Create organization' }).count()).resolves.toBe(0);
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it('a person sets up two-factor authentication on the Account page, then signs in with the Code', async () => {
    const email = `mfa-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { name: 'Mfa Person', email, role: 'org_admin' },
    });
    expect(added.status).toBe(201);
    await local.setPassword(added.json.userId, TEST_PASSWORD);
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughPage(page, email, TEST_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect(page.getByRole('img', { name: /QR code/ }).count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('enabled').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A code of the next step: the one used to verify may not be replayed.
    await page.getByLabel('Code').fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verify' }).click();
    // Signed in again: the shell (it returns to the page the person left).
    await page
      .getByRole('navigation', { name: 'Main' })
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`${(error as Error).message}\n${page.url()}\n${await page.locator('body').innerText()}`);
      });
    expectNoConsoleErrors(cp);
    await cp.close();
  });
});
