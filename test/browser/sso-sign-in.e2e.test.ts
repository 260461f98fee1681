import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_IDP, demoIdpConnection, startDemoIdp, type DemoIdp } from '../../local/demo-idp.js';
import { OAUTH_IDP_RESPONSE_PATH } from '../../local/oauth-paths.js';
import { CONSOLE_DIST_DIR } from '../../local/paths.js';
import type { AuditContext } from '../../shared/audit/audit-event.js';
import { createSsoConnection, updateSsoConnection } from '../../shared/sso/manage-connections.js';
import {
  expectNoConsoleErrors,
  launchChromium,
  openConsolePage,
  seriousAccessibilityViolations,
  signInThroughPage,
} from '../helpers/browser.js';
import { startLocalApi, TEST_PASSWORD, type LocalApi, type SeededOrg } from '../helpers/local-api.js';

/**
 * Enterprise SSO in the browser, end to end: the console's email-first sign-in, the local
 * Cognito stand-in's managed login, the demo IdP (a real OpenID provider) and Roster's
 * federated sign-in triggers (JIT membership, role mapping, refusals).
 */

const audit = (): AuditContext => ({
  actor: { type: 'system', id: 'test' },
  ip: null,
  userAgent: null,
  requestId: null,
  now: new Date(),
});

let local: LocalApi;
let browser: Browser;
let idp: DemoIdp;
let seeded: SeededOrg;
let connectionId: string;

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalApi({ consoleDir: CONSOLE_DIST_DIR }), launchChromium()]);
  idp = await startDemoIdp({
    port: 0,
    password: TEST_PASSWORD,
    redirectUris: [`${local.url}${OAUTH_IDP_RESPONSE_PATH}`],
  });
  seeded = await local.seedOperatorAndOrg({ maxSeats: 5 });
  const verified = await local.api('PATCH', `/v1/orgs/${seeded.orgId}`, {
    token: seeded.operator.accessToken,
    body: { verifiedDomains: [DEMO_IDP.domain] },
  });
  expect(verified.status).toBe(200);
  // As the demo seed does (DESIGN.md §2c), but JIT off until the refusal is seen.
  const connection = await createSsoConnection(
    { db: local.db, identity: local.server.identity },
    seeded.orgId,
    demoIdpConnection(idp.issuer, false),
    audit(),
  );
  connectionId = connection.connectionId;
});
afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await local?.close();
});

/** From the console's sign-in, through the demo IdP's login page, back to the console. */
async function signInThroughIdp(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(DEMO_IDP.person.email);
  await page.getByRole('button', { name: 'Continue with SSO' }).click();
  await page.waitForURL((url) => url.origin === idp.issuer);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByLabel('Email').fill(DEMO_IDP.person.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('SSO sign-in through the demo IdP', () => {
  it('the org admin sees the connection on Settings, without its client secret', async () => {
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughPage(page, seeded.admin.email, TEST_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Demo IdP', exact: true }) });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'Demo IdP',
      'OIDC',
      DEMO_IDP.domain,
      'Off',
      'Member',
      'EditDelete',
    ]);
    expect(await page.content()).not.toContain(DEMO_IDP.clientSecret);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it('with JIT provisioning off, the person is refused clearly and no membership is made', async () => {
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughIdp(page);
    await page.getByRole('heading', { name: 'Sign-in refused' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.not.toMatch(/failed with error/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const members = await local.api('GET', `/v1/orgs/${seeded.orgId}/members?sort=email`, {
      token: seeded.admin.accessToken,
    });
    expect(members.json.items.map((m: { email: string }) => m.email)).not.toContain(DEMO_IDP.person.email);
    expectNoConsoleErrors(cp);
    await cp.close();
  });

  it('with JIT on, the demo person lands in the org as a member with the mapped role and source sso', async () => {
    await updateSsoConnection(
      { db: local.db, identity: local.server.identity },
      seeded.orgId,
      connectionId,
      { jitProvisioning: true },
      audit(),
    );
    const cp = await openConsolePage(browser, local.url);
    const { page } = cp;
    await signInThroughIdp(page);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // A plain member lands on their account page, with the org and their role.
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByRole('cell', { name: 'Member', exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const members = await local.api('GET', `/v1/orgs/${seeded.orgId}/members?sort=email`, {
      token: seeded.admin.accessToken,
    });
    const person = members.json.items.find((m: { email: string }) => m.email === DEMO_IDP.person.email);
    expect(person).toMatchObject({ role: 'member', status: 'active', source: 'sso', name: DEMO_IDP.person.name });
    expectNoConsoleErrors(cp);
    await cp.close();
  });
});
