import { withBenchStack } from './bench-stack.js';
import { describeMachine } from './machine.js';
import { renderLoad, runLoad, type LoadOptions } from './load.js';
import type { BenchApi, CallerName } from './api-client.js';

/**
 * `npm run load`: mixed admin traffic against the local stack on loopback (DynamoDB Local and
 * the local API in this process, as the bench runs them), then a seat recount. Bounded:
 * LOAD_REQUESTS requests (default 2000), LOAD_CONCURRENCY in flight (default 8), at most
 * LOAD_SECONDS (default 300). Exits 1 on any 5xx or a recount that is not exact.
 */
const positiveInt = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, not ${process.env[name]}`);
  return value;
};
const requests = positiveInt('LOAD_REQUESTS', 2000);
const options: LoadOptions = {
  requests,
  concurrency: positiveInt('LOAD_CONCURRENCY', 8),
  maxSeconds: positiveInt('LOAD_SECONDS', 300),
  // Seats for most of the adds and invites (35% of the traffic, less what suspensions free), so the last ones meet the limit (409) and the recount covers it.
  extraSeats: Math.max(1, Math.floor(requests * 0.25)),
};
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const progress = (line: string) => process.stderr.write(`[load] ${line}\n`);
const as = (api: BenchApi, caller: CallerName) => (method: string, path: string, body?: unknown) =>
  api.send({ method, path, as: caller, ...(body === undefined ? {} : { body }) });

const report = await withBenchStack(progress, async ({ api }) => {
  progress(`sending ${options.requests} requests, ${options.concurrency} at a time`);
  return runLoad({ orgId: api.orgId, admin: as(api, 'orgAdmin'), operator: as(api, 'operator') }, options);
});
const machine = describeMachine();
console.log(renderLoad(report, options));
console.log(
  `\nMachine: ${machine.cores} × ${machine.cpu}, load average ${machine.loadAverage} at the end, Node ${machine.node}.`,
);
process.exit(report.serverErrors === 0 && report.recount.exact ? 0 : 1);
