import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LocalApi } from './local-api.js';

/**
 * Browser tests drive Debian's chromium package (Playwright's own browser download cannot
 * work on these machines); CHROMIUM_PATH points elsewhere.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // launch() gives every run a fresh temporary profile (user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Chromium logs every non-2xx fetch as "Failed to load resource"; a 4xx is an answer the page
 * shows (a refused action's detail), so only those are not errors of the console itself.
 */
const EXPECTED = /^Failed to load resource: the server responded with a status of 4\d\d/;

export interface ConsolePage {
  page: Page;
  /** Errors the page logged or threw so far (console.error, uncaught exceptions, 5xx loads). */
  errors: string[];
  close(): Promise<void>;
}

/** A page in a fresh browser context (own storage), recording the page's errors. */
export async function openConsolePage(browser: Browser, baseURL: string): Promise<ConsolePage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors, close: () => context.close() };
}

/** Fails the test when the page logged errors. */
export function expectNoConsoleErrors(consolePage: ConsolePage): void {
  expect(consolePage.errors, 'errors logged by the page').toEqual([]);
}

/** Signs in through the sign-in page as a person would; waits for the signed-in shell. */
export async function signInThroughPage(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's WCAG 2 A/AA checks on the page as it is now: the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  // Code that runs in the page, as text: this project's types are Node's, not the DOM's.
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/**
 * The path of the first link to `path` in the mail to `email` (mail links carry APP_URL's
 * origin; a test's server has its own), for opening it in the test's console.
 */
export async function mailedLink(local: Pick<LocalApi, 'mailTo'>, email: string, path: string): Promise<string> {
  const mails = await local.mailTo(email);
  const text = mails.map((m) => m.body.text ?? m.body.html ?? '').join('\n');
  const match = new RegExp(`https?://[^\\s"'<>]+(${path}/[A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in the mail to ${email}: ${text.slice(0, 500)}`);
  return match[1];
}
