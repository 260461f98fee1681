import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureColdStarts, type ColdStartReport } from './cold-start.js';
import { describeMachine } from './machine.js';
import { BENCH_DIR } from './paths.js';
import { withBenchStack } from './bench-stack.js';
import { measureInvitationExpiry, renderInvitationExpiry, type ExpiryBenchReport } from './invitation-expiry.js';
import { measureListScale, type ListScaleReport } from './list-scale.js';
import { measureImport, renderImport, type ImportBenchReport } from './import.js';
import { measureConsole, type ConsoleBenchReport } from './console.js';
import { ensureConsoleBuilt } from '../local/console-build.js';
import { CONSOLE_DIST_DIR } from '../local/paths.js';
import { measureInitialJs } from './console-bundle.js';
import { renderColdStart, renderConsole, renderHeader, renderListScale, renderRoundTrips } from './report.js';
import { measureRoundTrips, type RoundTripReport } from './round-trips.js';
import { measureCost, renderCost } from './cost.js';

/**
 * `npm run bench`: the quality bars of DESIGN.md §5 that a script can measure, all in one run
 * on one machine. Tables go to stdout, progress to stderr, everything to .bench/results.json.
 * Exits 1 when any figure is over its budget or a scenario did not do its work.
 * BENCH_SAMPLES overrides the number of cold-start samples per bundle; BENCH_MEMBERS the size of
 * the large org in the list-page measurement (default 100000; smaller for a quick run);
 * BENCH_CONSOLE_SAMPLES the browser samples per org of the console's first members page (default 5).
 */
const samples = Number(process.env.BENCH_SAMPLES ?? 15);
if (!Number.isInteger(samples) || samples < 1)
  throw new Error(`BENCH_SAMPLES must be a positive integer, not ${process.env.BENCH_SAMPLES}`);
const largeMembers = Number(process.env.BENCH_MEMBERS ?? 100_000);
if (!Number.isInteger(largeMembers) || largeMembers < 100)
  throw new Error(`BENCH_MEMBERS must be an integer of at least 100, not ${process.env.BENCH_MEMBERS}`);
const consoleSamples = Number(process.env.BENCH_CONSOLE_SAMPLES ?? 5);
if (!Number.isInteger(consoleSamples) || consoleSamples < 1)
  throw new Error(`BENCH_CONSOLE_SAMPLES must be a positive integer, not ${process.env.BENCH_CONSOLE_SAMPLES}`);
// Lambda's Node 22 has no such warning; on Node 20 the SDK would print one into the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
/** BENCH_ONLY=import runs only the import measurement (its own DynamoDB Local and API); BENCH_IMPORT_ROWS sizes it. */
const only = process.env.BENCH_ONLY;
const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
/** BENCH_IMPORT_MODES: which import modes to measure, in order (default both). */
const importModes = (process.env.BENCH_IMPORT_MODES ?? 'invite,add')
  .split(',')
  .filter((m): m is 'invite' | 'add' => m === 'invite' || m === 'add');
/** Each mode on the same stack, one after the other; a failed one is reported skipped. */
const measureImports = async (stack: Parameters<typeof measureImport>[0]): Promise<ImportBenchReport[]> => {
  const reports: ImportBenchReport[] = [];
  for (const mode of importModes) {
    try {
      reports.push(await measureImport(stack, importRows, progress, mode));
    } catch (error) {
      reports.push({ status: 'skipped', reason: `${mode}: ${(error as Error).message}` });
    }
  }
  return reports;
};
if (only === 'import') {
  let reports: ImportBenchReport[];
  try {
    reports = await withBenchStack(progress, measureImports);
  } catch (error) {
    reports = [{ status: 'skipped', reason: (error as Error).message }];
  }
  console.log(renderImport(reports));
  await mkdir(BENCH_DIR, { recursive: true });
  await writeFile(
    join(BENCH_DIR, 'import.json'),
    `${JSON.stringify({ startedAt: new Date().toISOString(), machine: describeMachine(), importBench: reports }, null, 2)}\n`,
  );
  process.exit(reports.every((r) => r.status === 'measured' && r.verdict !== 'FAIL') ? 0 : 1);
}
/** BENCH_ONLY=expiry runs only the invitation expiry measurement; BENCH_EXPIRY_TOTAL / BENCH_EXPIRY_OVERDUE size it. */
const expiryTotal = Number(process.env.BENCH_EXPIRY_TOTAL ?? 100_000);
const expiryOverdue = Number(process.env.BENCH_EXPIRY_OVERDUE ?? 1_000);
if (
  !Number.isInteger(expiryOverdue) ||
  expiryOverdue < 1 ||
  !Number.isInteger(expiryTotal) ||
  expiryTotal < expiryOverdue
)
  throw new Error('BENCH_EXPIRY_TOTAL and BENCH_EXPIRY_OVERDUE must be integers with 1 <= overdue <= total');
if (only === 'expiry') {
  let report: ExpiryBenchReport;
  try {
    report = await withBenchStack(progress, (stack) =>
      measureInvitationExpiry(stack, expiryTotal, expiryOverdue, progress),
    );
  } catch (error) {
    report = { status: 'skipped', reason: (error as Error).message };
  }
  console.log(renderInvitationExpiry(report));
  process.exit(report.status === 'measured' && report.verdict === 'PASS' ? 0 : 1);
}
/** BENCH_ONLY=console runs only the console figures (seeding its own small and large org). */
if (only === 'console') {
  await ensureConsoleBuilt(progress);
  const initialJs = await measureInitialJs(CONSOLE_DIST_DIR);
  let report: ConsoleBenchReport = {
    initialJs,
    firstMembersPage: { status: 'skipped', reason: initialJs.status === 'skipped' ? initialJs.reason : 'not run' },
  };
  if (initialJs.status === 'measured') {
    try {
      report = await withBenchStack(progress, (stack) =>
        measureConsole(stack, { largeMembers, samples: consoleSamples }, progress),
      );
    } catch (error) {
      report = { initialJs, firstMembersPage: { status: 'skipped', reason: (error as Error).message } };
    }
  }
  console.log(renderConsole(report));
  await mkdir(BENCH_DIR, { recursive: true });
  await writeFile(
    join(BENCH_DIR, 'console.json'),
    `${JSON.stringify({ startedAt: new Date().toISOString(), machine: describeMachine(), console: report }, null, 2)}\n`,
  );
  process.exit(consoleFailures(report).length === 0 && report.initialJs.status === 'measured' ? 0 : 1);
}
/** BENCH_ONLY=cold-start runs only the cold-start table (BENCH_SAMPLES samples per bundle). */
if (only === 'cold-start') {
  const report = await measureColdStarts({ samples, warmups: 1 }, progress);
  console.log(renderColdStart(report));
  process.exit(report.functions.every((f) => f.verdict !== 'FAIL') ? 0 : 1);
}
/** BENCH_ONLY=round-trips runs only the round-trip table (BENCH_ROUTES narrows it: `BENCH_ROUTES=/teams,member-exports`). */
if (only === 'round-trips') {
  let report: RoundTripReport;
  try {
    report = await withBenchStack(progress, (stack) => measureRoundTrips(stack, progress));
  } catch (error) {
    report = { status: 'skipped', reason: (error as Error).message };
  }
  console.log(`${renderRoundTrips(report)}\n\n${renderCost(measureCost(report))}`);
  process.exit(
    report.status === 'measured' && report.scenarios.every((s) => s.verdict === 'PASS' || s.verdict === 'BULK') ? 0 : 1,
  );
}
/** BENCH_ONLY=list runs only the list-page table (BENCH_MEMBERS sizes the large org). */
if (only === 'list') {
  let report: ListScaleReport;
  try {
    report = await withBenchStack(progress, (stack) => measureListScale(stack, largeMembers, progress));
  } catch (error) {
    report = { status: 'skipped', reason: (error as Error).message };
  }
  console.log(renderListScale(report));
  process.exit(report.status === 'measured' && report.rows.every((r) => r.verdict === 'PASS') ? 0 : 1);
}
const startedAt = new Date();
const machine = describeMachine();

// The console is served by the bench's API (its browser figure), so it is built before anything starts.
await ensureConsoleBuilt(progress);
// Cold starts first, while nothing else of ours (DynamoDB Local's JVM) competes for the CPU.
const coldStart: ColdStartReport = await measureColdStarts({ samples, warmups: 1 }, progress);
// Then one DynamoDB Local and one API for both table measurements: round trips first, while
// the table is small (arranging scans the outbox), then the seeded list pages.
let roundTrips: RoundTripReport | undefined;
let listScale: ListScaleReport | undefined;
let importBench: ImportBenchReport[] | undefined;
let expiry: ExpiryBenchReport | undefined;
let consoleBench: ConsoleBenchReport | undefined;
const skipped = (error: unknown) => ({ status: 'skipped' as const, reason: (error as Error).message });
try {
  await withBenchStack(progress, async (stack) => {
    try {
      roundTrips = await measureRoundTrips(stack, progress);
    } catch (error) {
      roundTrips = skipped(error);
    }
    try {
      listScale = await measureListScale(stack, largeMembers, progress);
    } catch (error) {
      listScale = skipped(error);
    }
    // Right after the list pages, on the same two orgs (before the import and expiry seeds grow the table).
    try {
      consoleBench = await measureConsole(
        stack,
        { ...(listScale.status === 'measured' ? { orgs: listScale.orgs } : {}), largeMembers, samples: consoleSamples },
        progress,
      );
    } catch (error) {
      consoleBench = { initialJs: skipped(error), firstMembersPage: skipped(error) };
    }
    expiry = await measureInvitationExpiry(stack, expiryTotal, expiryOverdue, progress);
    importBench = await measureImports(stack);
  });
} catch (error) {
  roundTrips ??= skipped(error);
  listScale ??= skipped(error);
}
roundTrips ??= { status: 'skipped', reason: 'not run' };
listScale ??= { status: 'skipped', reason: 'not run' };
importBench ??= [{ status: 'skipped', reason: 'not run' }];
expiry ??= { status: 'skipped', reason: 'not run' };
consoleBench ??= {
  initialJs: { status: 'skipped', reason: 'not run' },
  firstMembersPage: { status: 'skipped', reason: 'not run' },
};

const cost = measureCost(roundTrips);
console.log(
  [
    renderHeader(machine, startedAt),
    renderColdStart(coldStart),
    renderRoundTrips(roundTrips),
    renderCost(cost),
    renderListScale(listScale),
    renderImport(importBench),
    renderInvitationExpiry(expiry),
    renderConsole(consoleBench),
  ].join('\n\n'),
);

await mkdir(BENCH_DIR, { recursive: true });
const resultsFile = join(BENCH_DIR, 'results.json');
await writeFile(
  resultsFile,
  `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, coldStart, roundTrips, cost, listScale, importBench, expiry, console: consoleBench }, null, 2)}\n`,
);

const failures = [
  ...coldStart.functions.filter((f) => f.verdict === 'FAIL').map((f) => `cold start ${f.handler}`),
  ...(roundTrips.status === 'measured'
    ? roundTrips.scenarios
        .filter((s) => s.verdict === 'FAIL' || s.verdict === 'ERROR')
        .map((s) => `round trips ${s.route}${s.variant ? ` [${s.variant}]` : ''} (${s.verdict})`)
    : []),
  ...importBench.flatMap((r) =>
    r.status === 'measured' && r.verdict === 'FAIL'
      ? [`import of ${r.rows} rows, mode ${r.mode} (${r.commitToDoneSeconds.toFixed(1)} s)`]
      : [],
  ),
  ...(expiry.status === 'measured' && expiry.verdict === 'FAIL'
    ? [`invitation expiry read ${expiry.indexItemsRead} index items for ${expiry.overdue} overdue`]
    : []),
  ...consoleFailures(consoleBench),
  ...(listScale.status === 'measured'
    ? listScale.rows
        .filter((r) => r.verdict !== 'PASS')
        .map((r) => `list page ${r.request} limit=${r.limit} page ${r.page} (${r.verdict})`)
    : []),
];
console.log(`\nResults: ${resultsFile}`);
console.log(
  failures.length === 0
    ? 'All measured figures within budget.'
    : `Over budget or broken (${failures.length}): ${failures.join('; ')}`,
);
if (failures.length > 0 || roundTrips.status === 'skipped' || listScale.status === 'skipped') process.exitCode = 1;

/** Console figures over budget (a figure not measured is reported, not failed: the browser may be absent). */
function consoleFailures(report: ConsoleBenchReport): string[] {
  return [
    ...(report.initialJs.status === 'measured' && report.initialJs.verdict === 'FAIL'
      ? [`console initial JavaScript ${(report.initialJs.totalGzipBytes / 1024).toFixed(1)} KB gzip`]
      : []),
    ...(report.firstMembersPage.status === 'measured' && report.firstMembersPage.verdict === 'FAIL'
      ? [`console first members page ratio ${report.firstMembersPage.ratio.toFixed(2)}`]
      : []),
  ];
}
