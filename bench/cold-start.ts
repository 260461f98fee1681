import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { baselineKey, bundleBaseline } from './baseline.js';
import { bundle, type Bundle } from './bundle.js';
import { listEntryPoints, type EntryPoint } from './entry-points.js';
import { ImportProbe, type ImportSample } from './import-probe.js';
import { BENCH_DIR } from './paths.js';
import { median, quantile } from './stats.js';

/** DESIGN.md §5: a function's module load time stays within 1.5× that of its bare SDK clients. */
export const COLD_START_BUDGET = 1.5;

export interface ColdStartOptions {
  /** Fresh-process samples per bundle (function and baseline each). */
  samples: number;
  /** Unmeasured imports per bundle first, so every sample finds the files in the page cache. */
  warmups: number;
}

export interface Timing {
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  samplesMs: number[];
}

export interface FunctionColdStart {
  handler: string;
  routes: string[];
  bundleBytes: number;
  sdkPackages: string[];
  /** Name of the baseline bundle (one per distinct set of SDK packages). */
  baseline: string;
  baselineBytes: number;
  /** Wall-clock init (the judged figure: DESIGN.md's "module load time"). */
  init: Timing;
  baselineInit: Timing;
  /** CPU time per sample, same order as the timings' samples. */
  cpuMs: { function: number[]; baseline: number[] };
  /**
   * Median over the rounds of (function sample / the baseline sample taken next to it), so
   * load that drifts over the run cancels within each pair; undefined without SDK clients.
   */
  ratio: number | undefined;
  /** Quartiles of those per-round ratios: how far to trust `ratio` on this machine. */
  ratioSpread: { p25: number; p75: number } | undefined;
  /** The same paired median over CPU time: a cross-check that a busy machine barely moves. */
  cpuRatio: number | undefined;
  verdict: 'PASS' | 'FAIL' | 'n/a';
}

export interface ColdStartReport {
  options: ColdStartOptions;
  budget: number;
  functions: FunctionColdStart[];
  /** Modules under functions/ that export no `handler`, so are no function. */
  skipped: { handler: string; reason: string }[];
  seconds: { bundling: number; measuring: number };
  /** 1-minute load averages around the measuring, against the core count: other work skews samples. */
  load: { before: number; after: number; cores: number };
}

interface Subject {
  entry: EntryPoint;
  bundle: Bundle;
  baseline: Bundle;
  baselineName: string;
}

/**
 * Cold start per function: bundles every function and its baseline as CDK would, then times
 * `await import()` of each in fresh Node processes. Function and baseline samples alternate
 * (and swap order every round) so drift in machine load hits both alike.
 */
export async function measureColdStarts(
  options: ColdStartOptions,
  progress: (line: string) => void,
): Promise<ColdStartReport> {
  const bundlingStarted = performance.now();
  const functionsDir = join(BENCH_DIR, 'functions');
  const baselinesDir = join(BENCH_DIR, 'baselines');
  await rm(functionsDir, { recursive: true, force: true });
  await rm(baselinesDir, { recursive: true, force: true });
  await mkdir(BENCH_DIR, { recursive: true });

  const entries = await listEntryPoints();
  progress(`bundling ${entries.length} function modules`);
  const bundled = await Promise.all(
    entries.map(async (entry) => ({ entry, bundle: await bundle(entry.file, join(functionsDir, entry.handler)) })),
  );
  const skipped = bundled
    .filter(({ bundle: b }) => !b.exports.includes('handler'))
    .map(({ entry }) => ({ handler: entry.handler, reason: 'exports no `handler`' }));
  const functions = bundled.filter(({ bundle: b }) => b.exports.includes('handler'));

  const baselines = new Map<string, Promise<Bundle>>();
  for (const { bundle: b } of functions) {
    const key = baselineKey(b.sdkPackages);
    if (!baselines.has(key)) baselines.set(key, bundleBaseline(b.sdkPackages, join(baselinesDir, key)));
  }
  const subjects: Subject[] = [];
  for (const { entry, bundle: b } of functions) {
    const baselineName = baselineKey(b.sdkPackages);
    const baseline = await baselines.get(baselineName);
    if (!baseline) throw new Error(`No baseline bundle for ${baselineName}`);
    subjects.push({ entry, bundle: b, baseline, baselineName });
  }
  const bundling = (performance.now() - bundlingStarted) / 1000;

  const loadBefore = loadavg()[0] ?? 0;
  const measuringStarted = performance.now();
  const probe = await ImportProbe.create(BENCH_DIR);
  const distinctFiles = [...new Set(subjects.flatMap((s) => [s.bundle.outfile, s.baseline.outfile]))];
  for (let i = 0; i < options.warmups; i++) for (const file of distinctFiles) await probe.measure(file);

  const samples = new Map<Subject, { fn: ImportSample[]; base: ImportSample[] }>(
    subjects.map((s) => [s, { fn: [], base: [] }]),
  );
  for (let round = 0; round < options.samples; round++) {
    progress(`cold start: round ${round + 1}/${options.samples} over ${subjects.length} functions`);
    for (const subject of subjects) {
      const into = samples.get(subject);
      if (!into) continue;
      if (round % 2 === 0) {
        into.fn.push(await probe.measure(subject.bundle.outfile));
        into.base.push(await probe.measure(subject.baseline.outfile));
      } else {
        into.base.push(await probe.measure(subject.baseline.outfile));
        into.fn.push(await probe.measure(subject.bundle.outfile));
      }
    }
  }
  const measuring = (performance.now() - measuringStarted) / 1000;

  return {
    options,
    budget: COLD_START_BUDGET,
    functions: subjects.map((subject) => {
      const { fn, base } = samples.get(subject) ?? { fn: [], base: [] };
      const init = timing(fn.map((s) => s.wallMs));
      const baselineInit = timing(base.map((s) => s.wallMs));
      const pairRatios = pairedRatios(fn, base, 'wallMs');
      const judged = subject.bundle.sdkPackages.length > 0;
      const ratio = judged ? median(pairRatios) : undefined;
      return {
        handler: subject.entry.handler,
        routes: subject.entry.routes,
        bundleBytes: subject.bundle.bytes,
        sdkPackages: subject.bundle.sdkPackages,
        baseline: subject.baselineName,
        baselineBytes: subject.baseline.bytes,
        init,
        baselineInit,
        cpuMs: { function: fn.map((s) => s.cpuMs), baseline: base.map((s) => s.cpuMs) },
        ratio,
        ratioSpread: judged ? { p25: quantile(pairRatios, 0.25), p75: quantile(pairRatios, 0.75) } : undefined,
        cpuRatio: judged ? median(pairedRatios(fn, base, 'cpuMs')) : undefined,
        verdict: ratio === undefined ? 'n/a' : ratio <= COLD_START_BUDGET ? 'PASS' : 'FAIL',
      };
    }),
    skipped,
    seconds: { bundling, measuring },
    load: { before: loadBefore, after: loadavg()[0] ?? 0, cores: cpus().length },
  };
}

/** Per round: the function's sample over the baseline sample taken right next to it. */
function pairedRatios(
  fn: readonly ImportSample[],
  base: readonly ImportSample[],
  metric: keyof ImportSample,
): number[] {
  return fn.map((sample, i) => sample[metric] / (base[i]?.[metric] ?? Number.NaN));
}

function timing(samplesMs: number[]): Timing {
  return { medianMs: median(samplesMs), p25Ms: quantile(samplesMs, 0.25), p75Ms: quantile(samplesMs, 0.75), samplesMs };
}
