import { ROUTES } from '../infra/routes.js';
import type { ColdStartReport } from './cold-start.js';
import type { Machine } from './machine.js';
import type { RoundTripReport } from './round-trips.js';
import { formatKb, formatMs, renderTable } from './table.js';

export function renderHeader(machine: Machine, startedAt: Date): string {
  return [
    `Roster bench, ${startedAt.toISOString()}`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM (${machine.freeMemoryGiB} free), ${machine.os}, load ${machine.loadAverage}`,
    `Runtime: Node ${machine.node} here; bundles target ${machine.bundleTarget} (Lambda); esbuild ${machine.esbuild}`,
    'Milliseconds depend on this machine and its load: the ratios and the round-trip counts are the figures that matter.',
  ].join('\n');
}

/** `@aws-sdk/client-dynamodb` → `dynamodb`, `@aws-sdk/lib-dynamodb` → `lib-dynamodb`. */
function shortPackage(name: string): string {
  return name.replace('@aws-sdk/client-', '').replace('@aws-sdk/', '').replace('cognito-identity-provider', 'cognito-idp');
}

export function renderColdStart(report: ColdStartReport): string {
  const rows = report.functions.map((f) => [
    f.routes.length > 0 ? f.handler : `${f.handler} (no route)`,
    formatKb(f.bundleBytes),
    formatKb(f.baselineBytes),
    f.sdkPackages.map(shortPackage).join('+') || 'none',
    formatMs(f.init.medianMs),
    formatMs(f.baselineInit.medianMs),
    f.ratio === undefined ? 'n/a' : f.ratio.toFixed(2),
    f.ratioSpread ? `${f.ratioSpread.p25.toFixed(2)}-${f.ratioSpread.p75.toFixed(2)}` : '',
    f.cpuRatio === undefined ? '' : f.cpuRatio.toFixed(2),
    f.verdict,
  ]);
  const table = renderTable(
    [
      { heading: 'function (functions/…)' },
      { heading: 'bundle KB', align: 'right' },
      { heading: 'baseline KB', align: 'right' },
      { heading: 'SDK clients (= baseline)' },
      { heading: 'init ms', align: 'right' },
      { heading: 'baseline ms', align: 'right' },
      { heading: 'ratio', align: 'right' },
      { heading: 'ratio p25-p75', align: 'right' },
      { heading: 'CPU ratio', align: 'right' },
      { heading: 'verdict' },
    ],
    rows,
  );
  const judged = report.functions.filter((f) => f.ratio !== undefined);
  const worst = [...judged].sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0))[0];
  const failed = report.functions.filter((f) => f.verdict === 'FAIL');
  const lines = [
    `1. Cold start per function (DESIGN.md §5: module load time <= ${report.budget}x that of the bare AWS SDK clients it bundles)`,
    '',
    table,
    '',
    `${judged.length - failed.length}/${judged.length} within ${report.budget}x` +
      (worst?.ratio !== undefined ? `; highest ratio ${worst.ratio.toFixed(2)} (${worst.handler})` : '') +
      (failed.length > 0 ? `; FAIL: ${failed.map((f) => f.handler).join(', ')}` : ''),
    'How measured:',
    '- every ROUTES handler (deduplicated) and every other module under functions/ that exports `handler`, bundled',
    '  with infra/bundling.ts exactly as CDK bundles it (minified ESM, linked source map, nothing external);',
    "- baseline: a bundle with the same options whose entry imports only the SDK packages esbuild's metafile shows",
    '  in the function bundle (bytes left after tree shaking) and constructs one client of each (the document',
    '  client wraps the DynamoDB client);',
    `- init ms: median of ${report.options.samples} fresh \`node\` processes per bundle, timing \`await import()\` with performance.now()`,
    "  inside the child, in the function's Lambda environment (NODE_OPTIONS=--enable-source-maps, local identity,",
    `  dummy credentials); function and baseline samples alternate, order swapped each round; ${report.options.warmups} warm-up import each;`,
    '- ratio = median over the rounds of function sample / the baseline sample taken next to it (drift in machine',
    '  load cancels within each pair; the ms columns are plain medians); the verdict is on this wall-clock ratio;',
    '- CPU ratio: the same over process CPU time (process.cpuUsage, all threads), which other processes barely',
    '  move: when it and ratio disagree, the machine was busy and the CPU ratio is the better guide;',
    '- KB = the .mjs file alone (the source map is read at load with --enable-source-maps, but not counted).',
    `Time: ${report.seconds.bundling.toFixed(1)} s bundling, ${report.seconds.measuring.toFixed(1)} s measuring;` +
      ` load average ${report.load.before.toFixed(2)} before, ${report.load.after.toFixed(2)} after, on ${report.load.cores} cores.`,
  ];
  if (Math.max(report.load.before, report.load.after) > report.load.cores * 0.75) {
    lines.push(
      'WARNING: other work kept this machine busy while measuring: wall-clock ratios are noisier than usual (see',
      '  p25-p75); read the CPU ratio, and rerun on a quiet machine before acting on a verdict near the line.',
    );
  }
  if (report.skipped.length > 0) lines.push(`Not functions (skipped): ${report.skipped.map((s) => `${s.handler} (${s.reason})`).join(', ')}`);
  const undeclared = undeclaredClients(report);
  if (undeclared.length > 0) {
    lines.push(
      'Bundles carrying a client their ROUTES row declares no access for (the baseline counts it too, which flatters the ratio):',
      ...undeclared.map((u) => `  ${u.handler}: ${u.packages.map(shortPackage).join(', ')}`),
    );
  }
  return lines.join('\n');
}

/** Clients in a route function's bundle beyond what its ROUTES row says it calls (table, identity). */
function undeclaredClients(report: ColdStartReport): { handler: string; packages: string[] }[] {
  const found: { handler: string; packages: string[] }[] = [];
  for (const f of report.functions) {
    const routes = ROUTES.filter((r) => r.handler === f.handler);
    if (routes.length === 0) continue;
    const usesTable = routes.some((r) => r.table !== 'none');
    const usesIdentity = routes.some((r) => (r.identity?.length ?? 0) > 0);
    const extra = f.sdkPackages.filter((name) => {
      if (name === '@aws-sdk/client-dynamodb' || name === '@aws-sdk/lib-dynamodb') return !usesTable;
      if (name === '@aws-sdk/client-cognito-identity-provider') return !usesIdentity;
      return false;
    });
    if (extra.length > 0) found.push({ handler: f.handler, packages: extra });
  }
  return found;
}

/** `BatchGetItemCommand` → `BatchGetItem`. */
function shortCommand(name: string): string {
  return name.replace(/Command$/, '');
}

export function renderRoundTrips(report: RoundTripReport): string {
  const title = '2. DynamoDB round trips per request (DESIGN.md §5: authorization 1, the operation itself at most 2)';
  if (report.status === 'skipped') return [title, '', `SKIPPED: ${report.reason}`].join('\n');
  const rows = report.scenarios.map((s) => [
    s.route,
    s.as,
    String(s.status),
    String(s.counts.authorization),
    String(s.counts.operation),
    String(s.counts.identity),
    s.verdict,
    s.trips.map((t) => `${t.origin === 'authorization' ? 'auth:' : t.origin === 'identity' ? 'idp:' : ''}${shortCommand(t.command)}`).join(', ') || '-',
  ]);
  const table = renderTable(
    [
      { heading: 'operation' },
      { heading: 'caller' },
      { heading: 'status', align: 'right' },
      { heading: 'authorization', align: 'right' },
      { heading: 'operation', align: 'right' },
      { heading: 'identity*', align: 'right' },
      { heading: 'verdict' },
      { heading: 'requests sent, in order (auth: authorization, idp: identity*)' },
    ],
    rows,
  );
  const lines = [title, '', table, ''];
  for (const s of report.scenarios.filter((x) => x.detail)) lines.push(`ERROR ${s.route}: ${s.detail}`);
  const passed = report.scenarios.filter((s) => s.verdict === 'PASS').length;
  lines.push(
    `${passed}/${report.scenarios.length} within budget (authorization <= ${report.budget.authorization}, operation <= ${report.budget.operation})`,
    'How counted:',
    "- a middleware on the document client's stack at step deserialize, priority low: inside the retry middleware",
    '  (finalizeRequest, high), so it sees every attempt actually sent; a retried request counts once per attempt;',
    '- each request is attributed by the source file on the call stack when the command is sent (recorded by a',
    '  second middleware at initialize, high, which runs synchronously inside send()):',
    '  authorization = sent from shared/http/authorize.ts, the pipeline step that runs before the handler\'s code;',
    '  identity* = sent from shared/identity/local-identity.ts, the local stand-in for Cognito: in AWS these are',
    '  Cognito calls, not DynamoDB round trips, so they are shown but outside the budget;',
    '  operation = every other request the same API request sent;',
    "- only requests through database() (shared/data/dynamo-client.ts) are seen: every repository uses that client;",
    '  a module that built a DynamoDB client of its own would go uncounted;',
    `- requests: ${report.driver},`,
    '  against DynamoDB Local (in memory) seeded by local/seed.ts (platform operator; org "Acme" and its admin).',
  );
  if (report.unmeasuredRoutes.length > 0) {
    lines.push(`No scenario yet (${report.unmeasuredRoutes.length} routes; one SCENARIOS row each in bench/round-trips.ts):`, ...wrap(report.unmeasuredRoutes, 110).map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

/** Comma-separated items on lines of at most `width` characters, never splitting an item. */
function wrap(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 2 > width) {
      lines.push(`${line},`);
      line = item;
    } else line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}
