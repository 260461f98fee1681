import { TRANSACTIONS_IN_FLIGHT } from '../shared/imports/import-rows.js';
import { BATCHES_IN_FLIGHT } from '../shared/imports/run-import.js';
import type { WriteCost } from './write-cost.js';

/**
 * The import's time in AWS, projected from the requests the bench's worker actually sent, at
 * stated DynamoDB latencies rather than DynamoDB Local's. Assumptions (documented in README):
 * - the worker is a Lambda in the table's Region; latencies are typical same-Region figures
 *   for small items (single-item calls a few ms, a 100-action transaction tens of ms);
 * - the worker's structure (run-import.ts): BATCHES_IN_FLIGHT batches at once; within a batch
 *   its other requests one after another, and its row transactions and the batch writes of new
 *   members' search items (import-rows.ts) TRANSACTIONS_IN_FLIGHT at once;
 *   each batch has 2 transactions of its own (reservation, settle), the import 1 (finish);
 * - the worker's CPU is added, not overlapped (conservative);
 * - no throttling: an on-demand table; the org's partition (memberships, search entries, the org
 *   item) takes up to 1,000 WCU/s before DynamoDB splits it for heat, so the WCU rate is printed;
 * - no identity-provider call: imports create Roster users whose identity comes later.
 */
export const AWS_LATENCY_MS = {
  GetItemCommand: 4,
  PutItemCommand: 6,
  UpdateItemCommand: 6,
  DeleteItemCommand: 6,
  QueryCommand: 8,
  BatchGetItemCommand: 12,
  BatchWriteItemCommand: 15,
  /** Base; plus TRANSACTION_MS_PER_ACTION for each action. */
  TransactWriteItemsCommand: 12,
} as const;
export const TRANSACTION_MS_PER_ACTION = 0.25;
/** A partition's write throughput before DynamoDB splits it (on-demand and provisioned alike). */
export const PARTITION_WCU_PER_SECOND = 1000;

export interface AwsProjection {
  projectedSeconds: number;
  /** Seconds of DynamoDB requests on the worker's critical path, and of its CPU. */
  requestSeconds: number;
  cpuSeconds: number;
  /** Write units per second the projected time implies. */
  writeUnitsPerSecond: number;
}

export function projectAwsSeconds(cost: WriteCost, run: { batches: number; cpuSeconds: number }): AwsProjection {
  let sequentialMs = 0;
  let inFlightMs = 0;
  for (const [command, r] of Object.entries(cost.requests)) {
    if (command === 'TransactWriteItemsCommand') {
      const own = Math.min(r.count, 2 * run.batches + 1);
      const meanMs =
        AWS_LATENCY_MS.TransactWriteItemsCommand + TRANSACTION_MS_PER_ACTION * (r.actions / Math.max(1, r.count));
      sequentialMs += own * (AWS_LATENCY_MS.TransactWriteItemsCommand + TRANSACTION_MS_PER_ACTION * 2);
      inFlightMs += (r.count - own) * meanMs;
    } else if (command === 'BatchWriteItemCommand') {
      inFlightMs += r.count * AWS_LATENCY_MS.BatchWriteItemCommand;
    } else {
      sequentialMs += r.count * (AWS_LATENCY_MS[command as keyof typeof AWS_LATENCY_MS] ?? 10);
    }
  }
  const requestSeconds = (sequentialMs + inFlightMs / TRANSACTIONS_IN_FLIGHT) / BATCHES_IN_FLIGHT / 1000;
  const projectedSeconds = requestSeconds + run.cpuSeconds;
  return {
    projectedSeconds,
    requestSeconds,
    cpuSeconds: run.cpuSeconds,
    writeUnitsPerSecond: cost.writeUnits / projectedSeconds,
  };
}

export function renderProjection(p: AwsProjection): string[] {
  return [
    `projected in AWS: ${p.projectedSeconds.toFixed(1)} s (DynamoDB requests ${p.requestSeconds.toFixed(1)} s at the latencies of bench/import-projection.ts, ${BATCHES_IN_FLIGHT} batches × ${TRANSACTIONS_IN_FLIGHT} row transactions or batch writes in flight, + worker CPU ${p.cpuSeconds.toFixed(1)} s), ${p.writeUnitsPerSecond.toFixed(0)} WCU/s`,
  ];
}
