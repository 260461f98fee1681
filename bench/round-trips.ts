import { ROUTES } from '../infra/routes.js';
import { database } from '../shared/data/dynamo-client.js';
import { startBenchApi, type BenchApi, type CallerName } from './api-client.js';
import { startLocalTable } from './local-table.js';
import { RoundTripCounter, type Origin, type RoundTrip } from './round-trip-counter.js';

/** DESIGN.md §5: DynamoDB round trips per API request. */
export const ROUND_TRIP_BUDGET = { authorization: 1, operation: 2 } as const;

/** One measured request: later operations are one row each. */
export interface Scenario {
  /** The route exactly as ROUTES has it: `PATCH /v1/orgs/{orgId}`. */
  route: string;
  /** Which signed-in caller sends it; omitted for public routes. */
  as?: CallerName;
  /** The concrete path (with query) and body, given the seeded demo org. */
  request: (seed: { orgId: string }) => { path: string; body?: unknown };
  /** Anything else means the request did not do its work, so its count proves nothing. */
  expectStatus: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { route: 'GET /openapi.json', request: () => ({ path: '/openapi.json' }), expectStatus: 200 },
  { route: 'GET /v1/me', as: 'orgAdmin', request: () => ({ path: '/v1/me' }), expectStatus: 200 },
  {
    route: 'POST /v1/orgs',
    as: 'operator',
    // A first admin new to Roster: the usual case, and the one that writes the most.
    request: () => ({ path: '/v1/orgs', body: { name: 'Second Org', maxSeats: 5, admin: { email: 'new-admin@bench.test', name: 'New Admin' } } }),
    expectStatus: 201,
  },
  { route: 'GET /v1/orgs/{orgId}', as: 'orgAdmin', request: (s) => ({ path: `/v1/orgs/${s.orgId}` }), expectStatus: 200 },
  {
    route: 'PATCH /v1/orgs/{orgId}',
    as: 'orgAdmin',
    request: (s) => ({ path: `/v1/orgs/${s.orgId}`, body: { name: 'Acme (renamed)', invitationTtlHours: 48 } }),
    expectStatus: 200,
  },
];

export interface ScenarioResult {
  route: string;
  as: string;
  status: number;
  expectedStatus: number;
  /** Round trips per origin (see round-trip-counter.ts). */
  counts: Record<Origin, number>;
  /** Every round trip in order. */
  trips: RoundTrip[];
  verdict: 'PASS' | 'FAIL' | 'ERROR';
  /** Why ERROR: the unexpected answer. */
  detail?: string;
}

export type RoundTripReport =
  | {
      status: 'measured';
      driver: string;
      budget: typeof ROUND_TRIP_BUDGET;
      scenarios: ScenarioResult[];
      /** Routes in ROUTES with no scenario yet. */
      unmeasuredRoutes: string[];
    }
  | { status: 'skipped'; reason: string };

/**
 * Round trips per operation: DynamoDB Local and the local API server in this process, the
 * counter on the handlers' shared client, then each scenario's request with the counter reset
 * just before it, what was sent split by origin.
 */
export async function measureRoundTrips(progress: (line: string) => void): Promise<RoundTripReport> {
  const routeKeys = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
  const unknown = SCENARIOS.filter((s) => !routeKeys.has(s.route)).map((s) => s.route);
  if (unknown.length > 0) throw new Error(`Scenarios for routes not in ROUTES: ${unknown.join(', ')}`);

  progress('round trips: starting DynamoDB Local');
  const table = await startLocalTable(progress);
  try {
    const counter = new RoundTripCounter();
    counter.install(database().client);
    progress('round trips: starting the local API, seeding, signing in');
    const api = await startBenchApi();
    const scenarios: ScenarioResult[] = [];
    try {
      for (const scenario of SCENARIOS) {
        progress(`round trips: ${scenario.route}`);
        scenarios.push(await runScenario(api, counter, scenario));
      }
    } finally {
      await api.close();
    }
    const measured = new Set(SCENARIOS.map((s) => s.route));
    return {
      status: 'measured',
      driver: api.description,
      budget: ROUND_TRIP_BUDGET,
      scenarios,
      unmeasuredRoutes: [...routeKeys].filter((key) => !measured.has(key)),
    };
  } finally {
    await table.stop();
  }
}

async function runScenario(api: BenchApi, counter: RoundTripCounter, scenario: Scenario): Promise<ScenarioResult> {
  const [method = 'GET'] = scenario.route.split(' ');
  const { path, body } = scenario.request({ orgId: api.orgId });
  counter.reset();
  const response = await api.send({ method, path, body, ...(scenario.as ? { as: scenario.as } : {}) });
  const trips = counter.taken();
  const counts: Record<Origin, number> = { authorization: 0, operation: 0, identity: 0 };
  for (const trip of trips) counts[trip.origin]++;
  const base = { route: scenario.route, as: scenario.as ?? 'anonymous', status: response.status, expectedStatus: scenario.expectStatus, counts, trips };
  if (response.status !== scenario.expectStatus) {
    return { ...base, verdict: 'ERROR', detail: `answered ${response.status}: ${JSON.stringify(response.body)?.slice(0, 200)}` };
  }
  const within = counts.authorization <= ROUND_TRIP_BUDGET.authorization && counts.operation <= ROUND_TRIP_BUDGET.operation;
  return { ...base, verdict: within ? 'PASS' : 'FAIL' };
}
