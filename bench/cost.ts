import type { RoundTripReport, ScenarioResult } from './round-trips.js';
import { renderTable } from './table.js';

/**
 * What a request costs in AWS, from what the round-trip measurement saw it do: the DynamoDB
 * capacity units it consumed (ReturnConsumedCapacity, round-trip-counter.ts), its Lambda
 * GB-seconds at the configured memory, one API Gateway request. Priced at on-demand list prices
 * (us-east-1), kept here as a dated table: change the date with the figures.
 */
export const PRICES = {
  asOf: '2026-12-07',
  region: 'us-east-1',
  /** HTTP API, first 300 million requests a month. */
  apiGatewayPerMillion: 1.0,
  /** Lambda, arm64 (Roster's functions), per GB-second and per million invocations. */
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** DynamoDB on-demand, standard table class (the November 2024 prices). */
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  /** SES outbound mail, per 1,000 messages. */
  sesPerThousand: 0.1,
  /**
   * Cognito user pools, per monthly active user (a user with a sign-in, token refresh or an
   * administrative create/update/get that month). Roster's pre-token-generation trigger
   * customizes access tokens, which needs Essentials or Plus; Lite is shown for comparison.
   * Free tiers: 10,000 MAU on Lite and Essentials, none on Plus; federated (SAML/OIDC) users
   * are billed on their own line after 50 free.
   */
  cognito: {
    lite: { perMau: 0.0055, freeMau: 10_000 },
    essentials: { perMau: 0.015, freeMau: 10_000 },
    plus: { perMau: 0.02, freeMau: 0 },
    federated: { perMau: 0.015, freeMau: 50 },
  },
} as const;

/** Published per-user prices of the hosted vendors, read on PRICES.asOf: a comparison, not a quote. */
export const VENDOR_PRICES: readonly { vendor: string; price: string; source: string }[] = [
  {
    vendor: 'WorkOS',
    price: 'user management free to 1M MAU; SSO and Directory Sync $125 per connection per month',
    source: 'https://workos.com/pricing',
  },
  {
    vendor: 'Clerk (Pro)',
    price: '$25 a month with 10,000 monthly users, then $0.02 per user; B2B/enterprise SSO add-ons extra',
    source: 'https://clerk.com/pricing',
  },
  {
    vendor: 'Auth0 (B2B Essentials)',
    price: 'from $150 a month for 500 MAU, priced by MAU band; enterprise connections on higher plans',
    source: 'https://auth0.com/pricing',
  },
];

/**
 * How long a request runs in Lambda, modelled rather than timed on this machine (whose load
 * says nothing about AWS): a fixed part for the pipeline's own work, plus each DynamoDB round
 * trip and Cognito call at an in-region latency. Stated assumptions, printed with the table.
 */
export const DURATION_MODEL = { fixedMs: 15, dynamoRoundTripMs: 8, identityCallMs: 50, memoryMb: 512 } as const;

export interface OperationCost {
  /** The route, and the row's variant when the measurement has several. */
  route: string;
  variant?: string;
  readUnits: number;
  writeUnits: number;
  durationMs: number;
  gbSeconds: number;
  /** Dollars per million requests, by service and in all. */
  perMillion: { apiGateway: number; lambda: number; dynamo: number; total: number };
}

/** The cost of one measured request (the round trips it made, as the round-trip table lists them). */
export function operationCost(scenario: ScenarioResult): OperationCost {
  const readUnits = scenario.trips.reduce((n, t) => n + (t.readUnits ?? 0), 0);
  const writeUnits = scenario.trips.reduce((n, t) => n + (t.writeUnits ?? 0), 0);
  const dynamoTrips = scenario.trips.filter((t) => t.origin !== 'identity').length;
  const identityCalls = scenario.trips.length - dynamoTrips;
  const durationMs =
    DURATION_MODEL.fixedMs +
    dynamoTrips * DURATION_MODEL.dynamoRoundTripMs +
    identityCalls * DURATION_MODEL.identityCallMs;
  // Lambda bills by the millisecond.
  const gbSeconds = (Math.ceil(durationMs) / 1000) * (DURATION_MODEL.memoryMb / 1024);
  const apiGateway = PRICES.apiGatewayPerMillion;
  const lambda = PRICES.lambdaPerMillionRequests + gbSeconds * PRICES.lambdaPerGbSecond * 1e6;
  const dynamo = readUnits * PRICES.dynamoPerMillionReadUnits + writeUnits * PRICES.dynamoPerMillionWriteUnits;
  return {
    route: scenario.route,
    ...(scenario.variant || scenario.bulk
      ? {
          variant: [scenario.variant, scenario.bulk && `${scenario.bulk.items} ${scenario.bulk.unit}s`]
            .filter(Boolean)
            .join(', '),
        }
      : {}),
    readUnits,
    writeUnits,
    durationMs,
    gbSeconds,
    perMillion: { apiGateway, lambda, dynamo, total: apiGateway + lambda + dynamo },
  };
}

/**
 * The monthly workload of an org, per member (stated, printed with the estimate): every member
 * opens the console's pages that read /v1/me a few times a day; admins' work scales with the
 * org (list pages, edits, invitations for the month's joiners, the IdP's SCIM sync); mail goes
 * to each invitation and reset.
 */
export const WORKLOAD_PER_MEMBER_MONTH: readonly { route: string; variant?: string; perMember: number; why: string }[] =
  [
    { route: 'GET /v1/me', perMember: 60, why: 'each member opens the console twice a working day' },
    { route: 'GET /v1/orgs/{orgId}/members', perMember: 0.5, why: 'admins page and search the directory' },
    { route: 'GET /v1/orgs/{orgId}/members/{userId}', perMember: 0.5, why: "admins open a member's page" },
    { route: 'PUT /v1/orgs/{orgId}/members/{userId}', perMember: 0.1, why: 'edits, role and status changes' },
    {
      route: 'POST /v1/orgs/{orgId}/invitations',
      variant: 'one email',
      perMember: 0.03,
      why: '3% joiners a month, invited',
    },
    { route: 'POST /v1/invitations/{token}/accept', perMember: 0.03, why: 'and accepting' },
    { route: 'DELETE /v1/orgs/{orgId}/members/{userId}', perMember: 0.02, why: '2% leavers a month' },
    {
      route: 'PATCH /scim/v2/Users/{id}',
      variant: 'rename (givenName)',
      perMember: 1,
      why: "the IdP's monthly attribute sync",
    },
  ];
/** Mail a member causes a month (invitations, resets). */
const MAILS_PER_MEMBER_MONTH = 0.05;

export interface MonthlyEstimate {
  members: number;
  requests: number;
  /** Dollars a month: the requests (API Gateway + Lambda + DynamoDB), SES, Cognito by tier. */
  requestsCost: number;
  sesCost: number;
  cognito: { lite: number; essentials: number; plus: number; federated: number };
  /** Workload routes the measurement had no row for (priced at nothing: say so). */
  unpriced: string[];
}

const cognitoCost = (mau: number, tier: { perMau: number; freeMau: number }) =>
  Math.max(0, mau - tier.freeMau) * tier.perMau;

/** One org of `members` people under WORKLOAD_PER_MEMBER_MONTH, every member active that month. */
export function monthlyEstimate(members: number, costs: readonly OperationCost[]): MonthlyEstimate {
  let requests = 0;
  let requestsCost = 0;
  const unpriced: string[] = [];
  for (const row of WORKLOAD_PER_MEMBER_MONTH) {
    const cost = costs.find((c) => c.route === row.route && (row.variant === undefined || c.variant === row.variant));
    const count = row.perMember * members;
    requests += count;
    if (cost) requestsCost += (count / 1e6) * cost.perMillion.total;
    else unpriced.push(row.variant ? `${row.route} (${row.variant})` : row.route);
  }
  const mau = members;
  return {
    members,
    requests,
    requestsCost,
    sesCost: ((MAILS_PER_MEMBER_MONTH * members) / 1000) * PRICES.sesPerThousand,
    cognito: {
      lite: cognitoCost(mau, PRICES.cognito.lite),
      essentials: cognitoCost(mau, PRICES.cognito.essentials),
      plus: cognitoCost(mau, PRICES.cognito.plus),
      federated: cognitoCost(mau, PRICES.cognito.federated),
    },
    unpriced,
  };
}

export type CostReport =
  | { status: 'skipped'; reason: string }
  | { status: 'measured'; prices: typeof PRICES; operations: OperationCost[]; estimates: MonthlyEstimate[] };

/** The cost table from the round-trip measurement (every request that did its work; a bulk one at its measured size). */
export function measureCost(roundTrips: RoundTripReport, orgSizes: readonly number[] = [1_000, 100_000]): CostReport {
  if (roundTrips.status !== 'measured') return { status: 'skipped', reason: 'no round-trip measurement' };
  const operations = roundTrips.scenarios
    .filter((s) => s.verdict !== 'ERROR')
    .filter((s) => s.trips.some((t) => t.readUnits !== undefined || t.writeUnits !== undefined))
    .map(operationCost);
  if (operations.length === 0) return { status: 'skipped', reason: 'DynamoDB reported no consumed capacity' };
  return {
    status: 'measured',
    prices: PRICES,
    operations,
    estimates: orgSizes.map((n) => monthlyEstimate(n, operations)),
  };
}

const dollars = (n: number) => (n < 10 ? `$${n.toFixed(2)}` : `$${Math.round(n).toLocaleString('en-US')}`);

export function renderCost(report: CostReport): string {
  const title = `2b. What a request costs (on-demand list prices, ${PRICES.region}, as of ${PRICES.asOf})`;
  if (report.status === 'skipped') return [title, '', `SKIPPED: ${report.reason}`].join('\n');
  const table = renderTable(
    [
      { heading: 'operation' },
      { heading: 'RRU', align: 'right' },
      { heading: 'WRU', align: 'right' },
      { heading: 'Lambda ms (model)', align: 'right' },
      { heading: 'GB-s', align: 'right' },
      { heading: '$/M API GW', align: 'right' },
      { heading: '$/M Lambda', align: 'right' },
      { heading: '$/M DynamoDB', align: 'right' },
      { heading: '$/M total', align: 'right' },
    ],
    report.operations.map((c) => [
      c.variant ? `${c.route} (${c.variant})` : c.route,
      c.readUnits.toFixed(1),
      c.writeUnits.toFixed(1),
      String(c.durationMs),
      c.gbSeconds.toFixed(4),
      c.perMillion.apiGateway.toFixed(2),
      c.perMillion.lambda.toFixed(2),
      c.perMillion.dynamo.toFixed(2),
      c.perMillion.total.toFixed(2),
    ]),
  );
  const m = DURATION_MODEL;
  const estimate = renderTable(
    [
      { heading: 'org size', align: 'right' },
      { heading: 'requests/month', align: 'right' },
      { heading: 'API GW + Lambda + DynamoDB', align: 'right' },
      { heading: 'SES', align: 'right' },
      { heading: 'Cognito Essentials', align: 'right' },
      { heading: 'Cognito Lite', align: 'right' },
      { heading: 'Cognito Plus', align: 'right' },
      { heading: 'if all federated', align: 'right' },
    ],
    report.estimates.map((e) => [
      e.members.toLocaleString('en-US'),
      Math.round(e.requests).toLocaleString('en-US'),
      dollars(e.requestsCost),
      dollars(e.sesCost),
      dollars(e.cognito.essentials),
      dollars(e.cognito.lite),
      dollars(e.cognito.plus),
      dollars(e.cognito.federated),
    ]),
  );
  const unpriced = [...new Set(report.estimates.flatMap((e) => e.unpriced))];
  return [
    title,
    '',
    table,
    '',
    `RRU/WRU: the request's DynamoDB read and write units, table and indexes (ReturnConsumedCapacity from DynamoDB Local;`,
    `transactional writes corrected to DynamoDB's published rule, see round-trip-counter.ts). Lambda ms is modelled:`,
    `${m.fixedMs} ms + ${m.dynamoRoundTripMs} ms per DynamoDB round trip + ${m.identityCallMs} ms per Cognito call, at ${m.memoryMb} MB arm64;`,
    `billed per ms. Prices: HTTP API $${PRICES.apiGatewayPerMillion}/M, Lambda $${PRICES.lambdaPerMillionRequests}/M + $${PRICES.lambdaPerGbSecond}/GB-s,`,
    `DynamoDB $${PRICES.dynamoPerMillionWriteUnits}/M WRU and $${PRICES.dynamoPerMillionReadUnits}/M RRU.`,
    '',
    'A month for one org, every member active (workload per member and month):',
    ...WORKLOAD_PER_MEMBER_MONTH.map(
      (w) => `  ${w.perMember} × ${w.route}${w.variant ? ` [${w.variant}]` : ''} (${w.why})`,
    ),
    `  ${MAILS_PER_MEMBER_MONTH} mails (invitations, resets)`,
    '',
    estimate,
    '',
    `Cognito per MAU: Essentials $${PRICES.cognito.essentials.perMau} after ${PRICES.cognito.essentials.freeMau.toLocaleString('en-US')} free (Roster's`,
    `pre-token-generation trigger needs Essentials or Plus), Lite $${PRICES.cognito.lite.perMau}, Plus $${PRICES.cognito.plus.perMau}; federated users`,
    `(SAML/OIDC) $${PRICES.cognito.federated.perMau} after ${PRICES.cognito.federated.freeMau} free, in place of the pool's line. Free tiers are per account, once.`,
    'Hosted vendors, per user, as published:',
    ...VENDOR_PRICES.map((v) => `  ${v.vendor}: ${v.price} (${v.source})`),
    ...(unpriced.length > 0 ? ['', `Not measured, priced at $0: ${unpriced.join(', ')}`] : []),
  ].join('\n');
}
