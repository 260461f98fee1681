import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureColdStarts, type ColdStartReport } from './cold-start.js';
import { describeMachine } from './machine.js';
import { BENCH_DIR } from './paths.js';
import { renderColdStart, renderHeader, renderRoundTrips } from './report.js';
import { measureRoundTrips, type RoundTripReport } from './round-trips.js';

/**
 * `npm run bench`: the quality bars of DESIGN.md §5 that a script can measure, all in one run
 * on one machine. Tables go to stdout, progress to stderr, everything to .bench/results.json.
 * Exits 1 when any figure is over its budget or a scenario did not do its work.
 * BENCH_SAMPLES overrides the number of cold-start samples per bundle.
 */
const samples = Number(process.env.BENCH_SAMPLES ?? 15);
if (!Number.isInteger(samples) || samples < 1) throw new Error(`BENCH_SAMPLES must be a positive integer, not ${process.env.BENCH_SAMPLES}`);
// Lambda's Node 22 has no such warning; on Node 20 the SDK would print one into the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const startedAt = new Date();
const machine = describeMachine();

// Cold starts first, while nothing else of ours (DynamoDB Local's JVM) competes for the CPU.
const coldStart: ColdStartReport = await measureColdStarts({ samples, warmups: 1 }, progress);
let roundTrips: RoundTripReport;
try {
  roundTrips = await measureRoundTrips(progress);
} catch (error) {
  roundTrips = { status: 'skipped', reason: (error as Error).message };
}

console.log([renderHeader(machine, startedAt), renderColdStart(coldStart), renderRoundTrips(roundTrips)].join('\n\n'));

await mkdir(BENCH_DIR, { recursive: true });
const resultsFile = join(BENCH_DIR, 'results.json');
await writeFile(resultsFile, `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, coldStart, roundTrips }, null, 2)}\n`);

const failures = [
  ...coldStart.functions.filter((f) => f.verdict === 'FAIL').map((f) => `cold start ${f.handler}`),
  ...(roundTrips.status === 'measured' ? roundTrips.scenarios.filter((s) => s.verdict !== 'PASS').map((s) => `round trips ${s.route} (${s.verdict})`) : []),
];
console.log(`\nResults: ${resultsFile}`);
console.log(failures.length === 0 ? 'All measured figures within budget.' : `Over budget or broken (${failures.length}): ${failures.join('; ')}`);
if (failures.length > 0 || roundTrips.status === 'skipped') process.exitCode = 1;
