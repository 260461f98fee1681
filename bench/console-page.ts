import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { median, quantile } from './stats.js';

/** Debian's chromium package: Playwright's own browser download cannot work on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** No GPU, no sandbox (containers), and nothing of Chromium's own traffic competing with the page. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;
/** Large org's median / small org's median (navigation → table) at most this: the page costs the same whatever the org's size. */
export const FIRST_PAGE_RATIO_BUDGET = 1.25;

export interface OrgUnderTest {
  label: 'small' | 'large';
  orgId: string;
  /** Memberships in the org. */
  members: number;
}

export interface PageSample {
  /** page.goto() of the members URL → the members table has rows (sign-in included). */
  navigationToTableMs: number;
  /** The Sign in click → the members table has rows. */
  signInToTableMs: number;
  rows: number;
}

export interface OrgFigures {
  label: 'small' | 'large';
  members: number;
  samples: PageSample[];
  navigationToTable: { medianMs: number; p25: number; p75: number };
  signInToTable: { medianMs: number; p25: number; p75: number };
}

export type ConsolePageReport =
  | {
      status: 'measured';
      browser: string;
      flags: readonly string[];
      path: string;
      orgs: OrgFigures[];
      /** large / small, of the navigation → table medians. */
      ratio: number;
      /**
       * large / small, of the sign-in → table medians: shown, not judged (a shorter interval, so the
       * machine's noise weighs more; the small org also renders fewer rows than a full page).
       */
      signInRatio: number;
      budget: number;
      verdict: 'PASS' | 'FAIL';
      consoleErrors: string[];
    }
  | { status: 'skipped'; reason: string };

export interface ConsolePageOptions {
  /** The local server's origin serving the console and the API (`http://127.0.0.1:<port>`). */
  baseUrl: string;
  email: string;
  password: string;
  orgs: readonly OrgUnderTest[];
  /** Samples per org, taken alternately (small, large, large, small, …). */
  samples: number;
  /** The members page of an org, as the console routes it. */
  membersPath: (orgId: string) => string;
}

const SIGN_IN_TIMEOUT_MS = 30_000;

/** Every sample in a fresh Chromium profile: no cache, no stored session, as a first visit. */
async function withFreshBrowser<T>(work: (context: BrowserContext, page: Page) => Promise<T>): Promise<T> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'roster-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return await work(context, page);
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

/**
 * One sample: navigate to the org's members page, sign in on the page the console shows (fields
 * Email and Password, button Sign in), and stop the clock when the table under the heading
 * "Members" has rows.
 */
async function sample(options: ConsolePageOptions, org: OrgUnderTest, errors: string[]): Promise<PageSample> {
  return withFreshBrowser(async (_context, page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${org.label}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${org.label}: ${error.message}`));
    /** Names the step that did not happen, for the report. */
    const step = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        throw new Error(`${what} (${org.label} org, ${page.url()}): ${(error as Error).message.split('\n')[0] ?? ''}`, {
          cause: error,
        });
      }
    };
    const started = performance.now();
    await step('navigating to the members page', () =>
      page.goto(`${options.baseUrl}${options.membersPath(org.orgId)}`),
    );
    // Not exact: a required field's label carries Mantine's " *".
    const email = page.getByLabel('Email');
    await step('waiting for the sign-in field Email', () => email.waitFor({ timeout: SIGN_IN_TIMEOUT_MS }));
    await email.fill(options.email);
    await page.getByLabel('Password').fill(options.password);
    const signIn = performance.now();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await step('waiting for the heading Members', () =>
      page.getByRole('heading', { name: 'Members', exact: true }).waitFor({ timeout: SIGN_IN_TIMEOUT_MS }),
    );
    const rows = page.getByRole('table').locator('tbody tr');
    await step('waiting for the members table to have rows', () =>
      rows.first().waitFor({ timeout: SIGN_IN_TIMEOUT_MS }),
    );
    const done = performance.now();
    return { navigationToTableMs: done - started, signInToTableMs: done - signIn, rows: await rows.count() };
  });
}

const spread = (values: number[]) => ({
  medianMs: median(values),
  p25: quantile(values, 0.25),
  p75: quantile(values, 0.75),
});

/**
 * Issue 14: the time from navigation to the first members page rendered, in Chromium, for a
 * small and a large org, in one run; their ratio must be 1 within noise (the page reads one page
 * of members whatever the org's size). One warm-up sample first (the server's handlers load once).
 */
export async function measureFirstMembersPage(
  options: ConsolePageOptions,
  progress: (line: string) => void,
): Promise<ConsolePageReport> {
  const errors: string[] = [];
  const [small, large] = [options.orgs.find((o) => o.label === 'small'), options.orgs.find((o) => o.label === 'large')];
  if (!small || !large) throw new Error('measureFirstMembersPage needs a small and a large org');
  const browser = await chromium
    .launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS] })
    .then(async (b) => {
      const version = b.version();
      await b.close();
      return version;
    });
  progress(`console page: Chromium ${browser}, warm-up`);
  await sample(options, small, []);
  const samples: Record<'small' | 'large', PageSample[]> = { small: [], large: [] };
  for (let i = 0; i < options.samples; i++) {
    for (const org of i % 2 === 0 ? [small, large] : [large, small])
      samples[org.label].push(await sample(options, org, errors));
    progress(`console page: round ${i + 1}/${options.samples}`);
  }
  const figures = (org: OrgUnderTest): OrgFigures => ({
    label: org.label,
    members: org.members,
    samples: samples[org.label],
    navigationToTable: spread(samples[org.label].map((s) => s.navigationToTableMs)),
    signInToTable: spread(samples[org.label].map((s) => s.signInToTableMs)),
  });
  const orgs = [figures(small), figures(large)];
  const [smallFigures, largeFigures] = orgs as [OrgFigures, OrgFigures];
  const ratio = largeFigures.navigationToTable.medianMs / smallFigures.navigationToTable.medianMs;
  const signInRatio = largeFigures.signInToTable.medianMs / smallFigures.signInToTable.medianMs;
  return {
    status: 'measured',
    browser: `Chromium ${browser} (${CHROMIUM_PATH})`,
    flags: CHROMIUM_FLAGS,
    path: options.membersPath('{orgId}'),
    orgs,
    ratio,
    signInRatio,
    budget: FIRST_PAGE_RATIO_BUDGET,
    verdict: ratio <= FIRST_PAGE_RATIO_BUDGET ? 'PASS' : 'FAIL',
    consoleErrors: errors,
  };
}
