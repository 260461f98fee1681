import { ROUTES } from '../infra/routes.js';
import type { ColdStartReport } from './cold-start.js';
import type { ConsoleBenchReport } from './console.js';
import type { Machine } from './machine.js';
import type { ListScaleReport } from './list-scale.js';
import { ROUND_TRIP_BUDGET, type RoundTripReport } from './round-trips.js';
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
  return name
    .replace('@aws-sdk/client-', '')
    .replace('@aws-sdk/', '')
    .replace('cognito-identity-provider', 'cognito-idp');
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
  if (report.skipped.length > 0)
    lines.push(`Not functions (skipped): ${report.skipped.map((s) => `${s.handler} (${s.reason})`).join(', ')}`);
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
    s.variant ? `${s.route} (${s.variant})` : s.route,
    s.as,
    String(s.status),
    String(s.counts.authorization),
    String(s.counts.operation),
    String(s.counts.identity),
    s.bulk ? `${s.bulk.items} ${s.bulk.unit}, ${formatPerItem(s.bulk.operationPerItem)}/item` : '',
    s.verdict,
    s.trips
      .map(
        (t) =>
          `${t.origin === 'authorization' ? 'auth:' : t.origin === 'identity' ? 'idp:' : t.origin === 'limit' ? 'limit:' : ''}${shortCommand(t.command)}`,
      )
      .join(', ') || '-',
  ]);
  const table = renderTable(
    [
      { heading: 'operation' },
      { heading: 'caller' },
      { heading: 'status', align: 'right' },
      { heading: 'authorization', align: 'right' },
      { heading: 'operation', align: 'right' },
      { heading: 'identity*', align: 'right' },
      { heading: 'bulk: items, operation/item' },
      { heading: 'verdict' },
      { heading: 'requests sent, in order (auth: authorization, idp: identity*)' },
    ],
    rows,
  );
  const lines = [title, '', table, ''];
  for (const s of report.scenarios.filter((x) => x.detail)) lines.push(`ERROR ${s.route}: ${s.detail}`);
  const single = report.scenarios.filter((s) => !s.bulk);
  const passed = single.filter((s) => s.verdict === 'PASS').length;
  const bulk = report.scenarios.filter((s) => s.bulk);
  const failed = report.scenarios
    .filter((s) => s.verdict === 'FAIL')
    .map((s) => (s.variant ? `${s.route} (${s.variant})` : s.route));
  lines.push(
    `${passed}/${single.length} single-item requests within budget (authorization <= ${report.budget.authorization}, operation <= ${report.budget.operation})` +
      (failed.length > 0 ? `; FAIL: ${failed.join(', ')}` : ''),
    `${bulk.length} bulk requests (BULK): authorization judged (<= ${report.budget.authorization}); the operation's round trips grow with its items, so they`,
    '  are reported per item, not judged against the per-request budget.',
    'How counted:',
    "- a middleware on the document client's stack at step deserialize, priority low: inside the retry middleware",
    '  (finalizeRequest, high), so it sees every attempt actually sent; a retried request counts once per attempt;',
    '- each request is attributed by the source file on the call stack when the command is sent (recorded by a',
    '  second middleware at initialize, high, which runs synchronously inside send()):',
    "  authorization = sent from shared/http/authorize.ts, the pipeline step that runs before the handler's code;",
    '  identity* = sent from shared/identity/local-identity.ts, the local stand-in for Cognito: in AWS these are',
    '  Cognito calls, not DynamoDB round trips, so they are shown but outside the budget;',
    '  operation = every other request the same API request sent;',
    '- only requests through database() (shared/data/dynamo-client.ts) are seen: every repository uses that client;',
    '  a module that built a DynamoDB client of its own would go uncounted;',
    `- requests: ${report.driver},`,
    '  against DynamoDB Local (in memory) seeded by local/seed.ts (platform operator; org "Acme" and its admin);',
    "- each scenario first arranges its own data (members, teams, invitations, keys through the API as Acme's admin;",
    "  mailed tokens read from the outbox item in the table; Acme's seat cap raised to 1000 by the operator), then",
    '  the counter is reset and exactly one request is measured.',
  );
  if (report.unmeasuredRoutes.length > 0) {
    lines.push(
      `No scenario yet (${report.unmeasuredRoutes.length} routes; one SCENARIOS row each in bench/round-trips.ts):`,
      ...wrap(report.unmeasuredRoutes, 110).map((l) => `  ${l}`),
    );
  }
  return lines.join('\n');
}

function formatPerItem(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function renderListScale(report: ListScaleReport): string {
  const title =
    '3. Items read per member-list page at a small and a large org (DESIGN.md §5: at most limit+1, the same at 100,000 members as at 10)';
  if (report.status === 'skipped') return [title, '', `SKIPPED: ${report.reason}`].join('\n');
  const { small, large } = report.seeded;
  const figure = (f: { itemsRead: number; bound: number } | undefined) => (f ? `${f.itemsRead}/${f.bound}` : '-');
  const fetched = (f: { keysRequested: number } | undefined) => (f ? String(f.keysRequested) : '-');
  const trips = (f: { roundTrips: { authorization: number; operation: number } } | undefined) =>
    f ? `${f.roundTrips.authorization}+${f.roundTrips.operation}` : '-';
  const rows = report.rows.map((r) => [
    r.request,
    String(r.limit),
    String(r.page),
    r.small ? String(r.small.matching) : '-',
    figure(r.small),
    fetched(r.small),
    trips(r.small),
    r.large ? String(r.large.matching) : '-',
    figure(r.large),
    fetched(r.large),
    trips(r.large),
    r.ratio === undefined ? 'n/a' : r.ratio.toFixed(2),
    r.verdict,
  ]);
  const table = renderTable(
    [
      { heading: 'list request' },
      { heading: 'limit', align: 'right' },
      { heading: 'page', align: 'right' },
      { heading: `matching @${small}`, align: 'right' },
      { heading: `read/bound @${small}`, align: 'right' },
      { heading: `by key @${small}`, align: 'right' },
      { heading: `trips @${small}`, align: 'right' },
      { heading: `matching @${large}`, align: 'right' },
      { heading: `read/bound @${large}`, align: 'right' },
      { heading: `by key @${large}`, align: 'right' },
      { heading: `trips @${large}`, align: 'right' },
      { heading: `ratio read @${large} / @${small}`, align: 'right' },
      { heading: 'verdict' },
    ],
    rows,
  );
  const passed = report.rows.filter((r) => r.verdict === 'PASS').length;
  const lines = [title, '', table, ''];
  for (const r of report.rows.filter((x) => x.detail)) lines.push(`ERROR ${r.request} page ${r.page}: ${r.detail}`);
  const bothFull = report.rows.filter((r) => r.small && r.large && r.small.bound === r.large.bound);
  const equalWhenFull = bothFull.filter((r) => r.small?.itemsRead === r.large?.itemsRead).length;
  lines.push(
    `${passed}/${report.rows.length} pages within bounds at both sizes; where both orgs fill the page (same bound, ${bothFull.length} rows) the two figures`,
    `  are equal in ${equalWhenFull} (ratio 1.00).`,
    `Columns: @${small} / @${large} = the orgs seeded with ${small} and ${large} members; matching counts include the admin membership`,
    `  createOrg wrote (${report.members.small} and ${report.members.large} memberships in all).`,
    'What "equal" means here:',
    '- read = member index items DynamoDB read for the page: the sum of ScannedCount over the Query responses the',
    '  operation sent (captured by the round-trip counter on each response); bound = min(limit+1, members matching the',
    '  request from this page on): a page that reads its own items plus the one that tells whether another page exists;',
    "- by key = keys the operation then asked for by key (BatchGetItem of the page's users, for their sign-in method;",
    '  the seeded members have no user items, so these find nothing, but the request and its size are real): at most',
    "  the page's items, whatever the org size;",
    `- trips = authorization+operation round trips (budget authorization <= ${ROUND_TRIP_BUDGET.authorization}, operation <= ${ROUND_TRIP_BUDGET.operation});`,
    '- search rows (q with sort=name): the index holds one entry per search term of a member (at most 4: three name',
    '  words and the email), and a page keeps each member once (their first matching term), so bound = the entries in',
    '  index order up to the (limit+1)th member kept, computed from the seeded members by the same rule; by key = the',
    "  page's memberships and their users (two keys a member, one BatchGetItem);",
    '- PASS: read = bound at each size (never more than limit+1), by key <= items returned, trips within budget. The cost',
    `  of a page is then a function of the page size only: at ${large} members it equals the ${small}-member figure whenever`,
    `  both orgs fill the page (limit=5 rows, ratio 1.00); with limit=${report.rows[0]?.limit ?? 50} the small org has fewer than limit+1`,
    '  members, so it reads all it has and the ratio is large/small = (limit+1)/matching, not a growth with org size;',
    '- a filter-then-paginate plan (a FilterExpression discarding items) would show read > bound at the large org;',
    "- page 2 follows page 1's cursor; '-' where the small org has no second page;",
    `- orgs: created through the API (demo admin as their admin, plus a team), then ${small} and ${large} members written`,
    '  directly with BatchWriteItem, items built by membershipToItem and memberSearchItems (real index keys): names from 29x15 first/last',
    '  names, 80% active / 15% suspended / 5% deprovisioned, 10% org_admin, 30% in the team, createdAt over two years,',
    '  20% never signed in.',
    `Seeding: ${report.seeding.items} members in ${report.seeding.seconds.toFixed(1)} s (${Math.round(report.seeding.itemsPerSecond)} items/s; ` +
      `BatchWriteItem, ${report.seeding.batch} a request, ${report.seeding.concurrency} in flight; DynamoDB Local in memory, 8 GSIs per item).`,
  );
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

export function renderConsole(report: ConsoleBenchReport): string {
  const title =
    '6. Console (issue 14): initial JavaScript, and the first members page in Chromium at a small and a large org';
  const lines = [title, ''];
  const js = report.initialJs;
  if (js.status === 'skipped') lines.push(`Initial JavaScript: SKIPPED: ${js.reason}`);
  else {
    lines.push(
      renderTable(
        [
          { heading: 'initial script (console/dist/…)' },
          { heading: 'loaded by' },
          { heading: 'KB', align: 'right' },
          { heading: 'gzip KB', align: 'right' },
        ],
        js.scripts.map((s) => [s.file, s.via, formatKb(s.bytes), formatKb(s.gzipBytes)]),
      ),
      '',
      `Initial JavaScript: ${formatKb(js.totalGzipBytes)} KB gzip (${formatKb(js.totalBytes)} KB raw) of ${formatKb(js.budgetBytes)} KB budget: ${js.verdict}; ` +
        `${js.lazyChunks} chunk${js.lazyChunks === 1 ? '' : 's'} the initial scripts load later by import() not counted.`,
      '- counted: every <script src> and <link rel="modulepreload"> of index.html, inline scripts, and transitively the static',
      "  imports and re-exports of each (es-module-lexer); gzip at zlib's default level, per file.",
    );
  }
  lines.push('');
  const page = report.firstMembersPage;
  if (page.status === 'skipped') {
    lines.push(`First members page: NOT MEASURED: ${page.reason}`);
    return lines.join('\n');
  }
  const ms = (f: { medianMs: number; p25: number; p75: number }) =>
    `${formatMs(f.medianMs)} (${formatMs(f.p25)}-${formatMs(f.p75)})`;
  lines.push(
    renderTable(
      [
        { heading: 'org' },
        { heading: 'members', align: 'right' },
        { heading: 'samples', align: 'right' },
        { heading: 'rows shown', align: 'right' },
        { heading: 'navigation → table ms, median (p25-p75)', align: 'right' },
        { heading: 'Sign in → table ms, median (p25-p75)', align: 'right' },
      ],
      page.orgs.map((o) => [
        o.label,
        String(o.members),
        String(o.samples.length),
        [...new Set(o.samples.map((s) => s.rows))].join('/'),
        ms(o.navigationToTable),
        ms(o.signInToTable),
      ]),
    ),
    '',
    `Ratio large / small of the medians, navigation → table: ${page.ratio.toFixed(2)} (budget <= ${page.budget}: ${page.verdict}); Sign in → table: ${page.signInRatio.toFixed(2)} (shown, not judged).`,
    `- ${page.browser}, flags ${page.flags.join(' ')}; each sample in a fresh profile (no cache, no session), one warm-up first;`,
    `- a sample: page.goto(${page.path}) on the local server (API and console on one origin), the sign-in page's Email and`,
    '  Password filled, Sign in clicked, then the heading "Members" and the first row of the table awaited;',
    '- the orgs alternate (small, large, large, small, …) so drift in machine load falls on both; the same run measures both.',
  );
  if (page.consoleErrors.length > 0)
    lines.push(
      `Browser console errors (${page.consoleErrors.length}): ${[...new Set(page.consoleErrors)].slice(0, 5).join(' | ')}`,
    );
  return lines.join('\n');
}
