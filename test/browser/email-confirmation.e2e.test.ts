import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CONSOLE_DIST_DIR } from '../../local/paths.js';
import {
  expectNoConsoleErrors,
  mailedLink,
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
  [local, browser] = await Promise.all([startLocalApi({ mail: true, consoleDir: CONSOLE_DIST_DIR }), launchChromium()]);
  seeded = await local.seedOperatorAndOrg({ maxSeats: 10 });
});
afterAll(async () => {
  await browser?.close();
  await local?.close();
});

describe('console email confirmation', () => {
  it('an admin changes a member’s email outside a verified domain → mailed link → the member’s email changed, once', async () => {
    const suffix = uniqueSuffix();
    const before = `mover-${suffix}@gmail.test`;
    const next = `mover-new-${suffix}@gmail.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { name: `Mover ${suffix}`, email: before, role: 'member' },
    });
    expect(added.status).toBe(201);
    const userId = String(added.json.userId);

    const admin = await openConsolePage(browser, local.url);
    await signInThroughPage(admin.page, seeded.admin.email, TEST_PASSWORD);
    await admin.page.goto(`${local.url}/orgs/${seeded.orgId}/members/${userId}`);
    await admin.page.getByRole('button', { name: 'Edit' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Edit member' });
    await dialog.getByRole('textbox', { name: 'Email' }).fill(next);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Not applied yet: the new address's owner has to confirm it.
    const pending = await local.api('GET', `/v1/orgs/${seeded.orgId}/members/${userId}`, {
      token: seeded.admin.accessToken,
    });
    expect(pending.json).toMatchObject({ email: before, pendingEmail: next });
    expectNoConsoleErrors(admin);
    await admin.close();

    const link = await mailedLink(local, next, '/email-confirmations');
    const person = await openConsolePage(browser, local.url);
    await person.page.goto(`${local.url}${link}`);
    await person.page.getByRole('status').getByText(`Your email address is now ${next}.`).waitFor();
    expect(await seriousAccessibilityViolations(person.page)).toEqual([]);
    const after = await local.api('GET', `/v1/orgs/${seeded.orgId}/members/${userId}`, {
      token: seeded.admin.accessToken,
    });
    expect(after.json).toMatchObject({ email: next, pendingEmail: null });

    // The link is single use: opening it again shows the API's detail verbatim.
    const again = await local.api('POST', `/v1/email-confirmations/${link.split('/').pop()}`);
    expect(again.status).toBe(404);
    await person.page.reload();
    await expect(person.page.getByRole('alert').textContent()).resolves.toBe(String(again.json.detail));
    expectNoConsoleErrors(person);
    await person.close();
  });
});
