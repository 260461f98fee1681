import { quantile } from './stats.js';

/** One request as the load sends it; the answer's body is parsed JSON when there is one. */
export type LoadSend = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export interface LoadTarget {
  orgId: string;
  /** Requests as the org's admin. */
  admin: LoadSend;
  /** Requests as a platform operator (seat limit set-up and the recount). */
  operator: LoadSend;
}

export interface LoadOptions {
  /** Requests to send in all (the mixed traffic; set-up and recount not counted). */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Stops sending new requests after this long, whatever is left of `requests`. */
  maxSeconds: number;
  /** Seats the org gets on top of those in use before the run; adds and invites past them answer 409. */
  extraSeats: number;
}

export const LOAD_OPERATIONS = ['list', 'add', 'invite', 'suspend', 'reactivate'] as const;
export type LoadOperation = (typeof LOAD_OPERATIONS)[number];

/** The mix of admin traffic, in percent: mostly reads, the rest the writes that move seats. */
const MIX: Record<LoadOperation, number> = { list: 35, add: 20, invite: 15, suspend: 15, reactivate: 15 };

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SeatRecount {
  /** The org's counter after the run. */
  seatsUsed: number;
  /** Counted through the API: active members (every page) plus pending invitations (every page). */
  activeMembers: number;
  pendingInvitations: number;
  /** The platform's own recount (`POST …/seats/reconcile`): seats it had to repair. */
  reconcileDrift: number;
  /** seatsUsed = activeMembers + pendingInvitations and the reconciler repaired nothing. */
  exact: boolean;
}

export interface LoadReport {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  overall: LatencySummary;
  byOperation: Record<LoadOperation, LatencySummary & { statuses: Record<string, number> }>;
  statuses: Record<string, number>;
  serverErrors: number;
  recount: SeatRecount;
}

interface Sample {
  operation: LoadOperation;
  status: number;
  ms: number;
}

/**
 * Mixed admin traffic on one org at a fixed concurrency — lists, adds, invites, suspends and
 * reactivations of the people it added — then a recount of the org's seats two ways. Bounded in
 * requests and in time; a request that fails to connect counts as status 0.
 */
export async function runLoad(
  target: LoadTarget,
  options: LoadOptions,
  random: () => number = Math.random,
): Promise<LoadReport> {
  const base = `/v1/orgs/${target.orgId}`;
  const org = await expectStatus(target.operator('GET', base), 200, 'reading the org');
  const seatsUsed = numberField(org.body, 'seatsUsed');
  await expectStatus(
    target.operator('PATCH', base, { maxSeats: seatsUsed + options.extraSeats }),
    200,
    'setting the seat limit',
  );

  const active: string[] = [];
  const suspended: string[] = [];
  const samples: Sample[] = [];
  const runId = Math.floor(random() * 1e9).toString(36);
  let issued = 0;
  const deadline = Date.now() + options.maxSeconds * 1000;
  const started = performance.now();

  const take = (pool: string[]): string | undefined =>
    pool.length === 0 ? undefined : pool.splice(Math.floor(random() * pool.length), 1)[0];

  const one = async (n: number): Promise<void> => {
    let operation = pick(random);
    // Nobody to suspend or reactivate yet: add someone instead, so every request does work.
    if ((operation === 'suspend' && active.length === 0) || (operation === 'reactivate' && suspended.length === 0))
      operation = 'add';
    const email = `load-${runId}-${n}@load.test`;
    const userId = operation === 'suspend' ? take(active) : operation === 'reactivate' ? take(suspended) : undefined;
    const t0 = performance.now();
    let status = 0;
    let body: unknown;
    try {
      ({ status, body } = await send(target.admin, base, operation, email, userId));
    } catch {
      // No answer (connection refused or reset): counted as status 0, a server error.
    }
    samples.push({ operation, status, ms: performance.now() - t0 });
    if (operation === 'add' && status === 201) active.push(stringField(body, 'userId'));
    // A refused suspend or reactivate leaves the person where they were.
    if (operation === 'suspend' && userId) (status === 200 ? suspended : active).push(userId);
    if (operation === 'reactivate' && userId) (status === 200 ? active : suspended).push(userId);
  };

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (issued < options.requests && Date.now() < deadline) await one(issued++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const recount = await recountSeats(target, base);
  const statuses = countStatuses(samples);
  return {
    requests: samples.length,
    seconds,
    requestsPerSecond: samples.length / seconds,
    overall: summarize(samples),
    byOperation: Object.fromEntries(
      LOAD_OPERATIONS.map((operation) => {
        const own = samples.filter((s) => s.operation === operation);
        return [operation, { ...summarize(own), statuses: countStatuses(own) }];
      }),
    ) as LoadReport['byOperation'],
    statuses,
    serverErrors: samples.filter((s) => s.status >= 500 || s.status === 0).length,
    recount,
  };
}

function pick(random: () => number): LoadOperation {
  let roll = random() * 100;
  for (const operation of LOAD_OPERATIONS) {
    roll -= MIX[operation];
    if (roll < 0) return operation;
  }
  return 'list';
}

function send(admin: LoadSend, base: string, operation: LoadOperation, email: string, userId: string | undefined) {
  switch (operation) {
    case 'list':
      return admin('GET', `${base}/members?limit=25`);
    case 'add':
      return admin('POST', `${base}/members`, { email, name: `Load ${email.split('@')[0] ?? ''}`, role: 'member' });
    case 'invite':
      return admin('POST', `${base}/invitations`, { emails: [email], role: 'member' });
    case 'suspend':
      return admin('POST', `${base}/members/${userId ?? ''}/suspend`);
    case 'reactivate':
      return admin('POST', `${base}/members/${userId ?? ''}/reactivate`);
  }
}

/** After the traffic: the counter against the API's own lists, and the platform's reconciler. */
async function recountSeats(target: LoadTarget, base: string): Promise<SeatRecount> {
  const activeMembers = await countPages(target.admin, `${base}/members?status=active&limit=100`);
  const pendingInvitations = await countPages(target.admin, `${base}/invitations?status=pending&limit=100`);
  const org = await expectStatus(target.operator('GET', base), 200, 'reading the org after the run');
  const seatsUsed = numberField(org.body, 'seatsUsed');
  const reconciled = await expectStatus(target.operator('POST', `${base}/seats/reconcile`), 200, 'reconciling seats');
  const reconcileDrift = numberField(reconciled.body, 'drift');
  return {
    seatsUsed,
    activeMembers,
    pendingInvitations,
    reconcileDrift,
    exact: reconcileDrift === 0 && seatsUsed === activeMembers + pendingInvitations,
  };
}

async function countPages(admin: LoadSend, firstPage: string): Promise<number> {
  let count = 0;
  let path: string | undefined = firstPage;
  while (path) {
    const page = await expectStatus(admin('GET', path), 200, `listing ${path}`);
    const { items, nextCursor } = page.body as { items?: unknown[]; nextCursor?: string | null };
    count += items?.length ?? 0;
    path = nextCursor ? `${firstPage}&cursor=${encodeURIComponent(nextCursor)}` : undefined;
  }
  return count;
}

function summarize(samples: readonly Sample[]): LatencySummary {
  const ms = samples.map((s) => s.ms);
  return { count: samples.length, p50Ms: ms.length ? quantile(ms, 0.5) : 0, p99Ms: ms.length ? quantile(ms, 0.99) : 0 };
}

function countStatuses(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[String(s.status)] = (counts[String(s.status)] ?? 0) + 1;
  return counts;
}

async function expectStatus(answer: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const response = await answer;
  if (response.status !== status)
    throw new Error(
      `${what}: answered ${response.status}, not ${status}: ${JSON.stringify(response.body)?.slice(0, 300)}`,
    );
  return response;
}

function numberField(body: unknown, name: string): number {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'number') throw new Error(`no number ${name} in ${JSON.stringify(body)?.slice(0, 300)}`);
  return value;
}

function stringField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string') throw new Error(`no ${name} in ${JSON.stringify(body)?.slice(0, 300)}`);
  return value;
}

/** The report as the table `npm run load` prints. */
export function renderLoad(report: LoadReport, options: LoadOptions): string {
  const row = (name: string, s: LatencySummary, statuses: Record<string, number>) =>
    `| ${name} | ${s.count} | ${s.p50Ms.toFixed(0)} | ${s.p99Ms.toFixed(0)} | ${Object.entries(statuses)
      .sort()
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')} |`;
  const r = report.recount;
  return [
    `## Load: mixed admin traffic on one org (${options.concurrency} in flight, ${report.requests} requests in ${report.seconds.toFixed(1)} s)`,
    '',
    `${report.requestsPerSecond.toFixed(1)} requests/s; ${report.serverErrors} server errors (5xx or no answer).`,
    '',
    '| operation | requests | p50 ms | p99 ms | statuses |',
    '| --- | ---: | ---: | ---: | --- |',
    ...LOAD_OPERATIONS.map((op) => row(op, report.byOperation[op], report.byOperation[op].statuses)),
    row('all', report.overall, report.statuses),
    '',
    `Seats after the run: counter ${r.seatsUsed}; active members ${r.activeMembers} + pending invitations ${r.pendingInvitations} = ${r.activeMembers + r.pendingInvitations}; reconciler repaired ${r.reconcileDrift}: ${r.exact ? 'EXACT' : 'DRIFT'}.`,
  ].join('\n');
}
