import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CONSOLE_DIST_DIR } from '../../local/paths.js';
import {
  expectNoConsoleErrors,
  launchChromium,
  openConsolePage,
  seriousAccessibilityViolations,
  signInThroughPage,
  type ConsolePage,
} from '../helpers/browser.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

let local: LocalApi;
let browser: Browser;
let seeded: SeededOrg;
let cp: ConsolePage;

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalApi({ consoleDir: CONSOLE_DIST_DIR }), launchChromium()]);
  seeded = await local.seedOperatorAndOrg({ maxSeats: 10 });
  cp = await openConsolePage(browser, local.url);
  await signInThroughPage(cp.page, seeded.admin.email, TEST_PASSWORD);
});
afterAll(async () => {
  await cp?.close();
  await browser?.close();
  await local?.close();
});

async function addMember(email: string): Promise<{ userId: string; managed: boolean }> {
  const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
    token: seeded.admin.accessToken,
    body: { name: `Person ${uniqueSuffix()}`, email, role: 'member' },
  });
  expect(added.status).toBe(201);
  const userId = String(added.json.userId);
  const member = await local.api('GET', `/v1/orgs/${seeded.orgId}/members/${userId}`, {
    token: seeded.admin.accessToken,
  });
  return { userId, managed: Boolean(member.json.managed) };
}

describe("console member page: account actions follow the API's managed", () => {
  it('an account the org does not manage: Reset MFA and the email are disabled with the reason', async () => {
    // A platform operator's account is never managed by an org that adds them (DESIGN.md section 1).
    const { userId, managed } = await addMember(seeded.operator.email);
    expect(managed).toBe(false);
    const page = cp.page;
    await page.goto(`/orgs/${seeded.orgId}/members/${userId}`);
    const resetMfa = page.getByRole('button', { name: 'Reset MFA' });
    await expect(resetMfa.isDisabled()).resolves.toBe(true);
    await expect(resetMfa.getAttribute('title')).resolves.toBe('Account not managed by this organization');
    await page.getByText('Account not managed by this organization.').waitFor();
    // Ending their sessions in this org still applies (the API scopes it to the membership).
    await page.getByRole('button', { name: 'Terminate sessions' }).click();
    const terminate = page.getByRole('dialog', { name: 'Terminate sessions' });
    await expect(terminate.textContent()).resolves.toContain('sessions in this organization end now');
    await terminate.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit member' });
    await expect(edit.getByRole('textbox', { name: 'Email' }).isDisabled()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await edit.getByRole('button', { name: 'Cancel' }).click();
    expectNoConsoleErrors(cp);
  });

  it('an account the org manages keeps Reset MFA and the email enabled', async () => {
    const { userId, managed } = await addMember(`managed-${uniqueSuffix()}@org.test`);
    expect(managed).toBe(true);
    const page = cp.page;
    await page.goto(`/orgs/${seeded.orgId}/members/${userId}`);
    await expect(page.getByRole('button', { name: 'Reset MFA' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByText('Account not managed by this organization.').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Edit' }).click();
    await expect(
      page.getByRole('dialog', { name: 'Edit member' }).getByRole('textbox', { name: 'Email' }).isEnabled(),
    ).resolves.toBe(true);
    expectNoConsoleErrors(cp);
  });
});
