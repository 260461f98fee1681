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

describe('console invitations', () => {
  it('invite → mail → accept with Name and Password → sign in as the new member', async () => {
    const email = `invitee-${uniqueSuffix()}@org.test`;
    const admin = await openConsolePage(browser, local.url);
    await signInThroughPage(admin.page, seeded.admin.email, TEST_PASSWORD);
    await admin.page.getByRole('button', { name: 'Invite members' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Invite members' });
    await dialog.getByRole('textbox', { name: 'Emails' }).fill(`${email}, not-an-address`);
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    // One refused address is listed with the API's reason; the other was sent.
    await dialog.getByText(/not-an-address:/).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invitations' }).click();
    await admin.page.getByRole('cell', { name: email, exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(admin.page)).toEqual([]);
    expectNoConsoleErrors(admin);

    const link = await mailedLink(local, email, '/invitations');
    const invitee = await openConsolePage(browser, local.url);
    await invitee.page.goto(link);
    await invitee.page.getByRole('button', { name: 'Accept invitation' }).waitFor();
    expect(await seriousAccessibilityViolations(invitee.page)).toEqual([]);
    await invitee.page.getByRole('textbox', { name: 'Name' }).fill('Grace Hopper');
    await invitee.page.getByLabel('Password').fill(TEST_PASSWORD);
    await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
    await invitee.page.getByRole('link', { name: 'Sign in' }).click();
    await invitee.page.getByLabel('Email').fill(email);
    await invitee.page.getByLabel('Password').fill(TEST_PASSWORD);
    await invitee.page.getByRole('button', { name: 'Sign in' }).click();
    await invitee.page.getByRole('heading', { name: 'Account' }).waitFor();
    await invitee.page.getByRole('cell', { name: 'Member', exact: true }).waitFor();
    expectNoConsoleErrors(invitee);

    // The link is single use: opening it again shows the API's reason.
    await invitee.page.goto(link);
    await invitee.page.getByRole('alert').waitFor();
    await admin.close();
    await invitee.close();
  });

  it('a reset-password mail link sets a new password that signs in', async () => {
    const email = `reset-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { name: 'Reset Person', email, role: 'member' },
    });
    expect(added.status).toBe(201);
    expect(
      (
        await local.api('POST', `/v1/orgs/${seeded.orgId}/members/${added.json.userId}/reset-password`, {
          token: seeded.admin.accessToken,
        })
      ).status,
    ).toBe(202);
    const link = await mailedLink(local, email, '/password-reset');
    const cp = await openConsolePage(browser, local.url);
    await cp.page.goto(link);
    await cp.page.getByLabel('New password').fill('New-password-2!');
    expect(await seriousAccessibilityViolations(cp.page)).toEqual([]);
    await cp.page.getByRole('button', { name: 'Set password' }).click();
    await cp.page.getByRole('link', { name: 'Sign in' }).click();
    await signInThroughPage(cp.page, email, 'New-password-2!');
    await cp.page.getByRole('heading', { name: 'Account' }).waitFor();
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it('Forgot password? on the sign-in page mails a reset link; an unknown address hears the same', async () => {
    const email = `forgot-${uniqueSuffix()}@org.test`;
    const added = await local.api('POST', `/v1/orgs/${seeded.orgId}/members`, {
      token: seeded.admin.accessToken,
      body: { name: 'Forgetful Person', email, role: 'member' },
    });
    expect(added.status).toBe(201);
    const cp = await openConsolePage(browser, local.url);
    const ask = async (address: string) => {
      await cp.page.goto('/sign-in');
      await cp.page.getByRole('link', { name: 'Forgot password?' }).click();
      // The page is loaded lazily: until its heading shows, 'Email' is still the sign-in form's field.
      await cp.page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await cp.page.getByLabel('Email').fill(address);
      await cp.page.getByRole('button', { name: 'Send reset link' }).click();
      return (await cp.page.getByRole('status').textContent()) ?? '';
    };
    const unknownAnswer = await ask(`nobody-${uniqueSuffix()}@org.test`);
    expect(await seriousAccessibilityViolations(cp.page)).toEqual([]);
    const knownAnswer = await ask(email);
    // The same words for both, but the address itself: nothing tells whether an account exists.
    expect(knownAnswer.replace(email, '')).toBe(unknownAnswer.replace(/nobody-[a-z0-9]+@org\.test/, ''));

    await cp.page.goto(await mailedLink(local, email, '/password-reset'));
    await cp.page.getByLabel('New password').fill('Forgot-new-pass-4!');
    await cp.page.getByRole('button', { name: 'Set password' }).click();
    await cp.page.getByRole('link', { name: 'Sign in' }).click();
    await signInThroughPage(cp.page, email, 'Forgot-new-pass-4!');
    expectNoConsoleErrors(cp);
    await cp.close();
  });
});
