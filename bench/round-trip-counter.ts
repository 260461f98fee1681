import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WRITE_COMMANDS } from './write-cost.js';

/**
 * Who issued a DynamoDB request, told apart by the source file on the call stack when the
 * command is sent (the bench runs the TypeScript sources, so file names are real):
 * - authorization: shared/http/authorize.ts, the pipeline's step before the handler's code;
 * - identity: shared/identity/local-identity.ts, the local stand-in for Cognito — in AWS
 *   these are Cognito calls, not DynamoDB round trips, so they are reported apart;
 * - operation: everything else the request sends (use case, repositories, mail outbox).
 */
export type Origin = 'authorization' | 'identity' | 'operation' | 'activity' | 'limit';

const ORIGIN_FILES: readonly [Origin, RegExp][] = [
  // The hourly lastActiveAt update after authorization (not part of the operation's budget; at most once an hour a member).
  ['activity', /[/\\]shared[/\\]members[/\\]last-active\.[cm]?[jt]s\b/],
  // The pipeline's fair-use counter (the operation's `limit`): one UpdateItem, judged apart.
  ['limit', /[/\\]shared[/\\]data[/\\]operation-limit\.[cm]?[jt]s\b/],
  ['authorization', /[/\\]shared[/\\]http[/\\]authorize\.[cm]?[jt]s\b/],
  // The IdP webhook's credential read (its secret, with the replay marker and user claims in the same BatchGet).
  ['authorization', /[/\\]shared[/\\]webhooks[/\\]webhook-lookup\.[cm]?[jt]s\b/],
  ['identity', /[/\\]shared[/\\]identity[/\\]local-identity\.[cm]?[jt]s\b/],
];

/** One HTTP request to DynamoDB: a retried command counts once per attempt. */
export interface RoundTrip {
  /** The low-level command: `BatchGetItemCommand`, `TransactWriteItemsCommand`, … */
  command: string;
  origin: Origin;
  /**
   * Items DynamoDB read to answer it: the response's ScannedCount (Query, Scan), set on the
   * attempt that succeeded; absent for commands that report none.
   */
  itemsRead?: number;
  /** Keys a GetItem or BatchGetItem asked for (its request's size, whether or not items were found). */
  keysRequested?: number;
  /**
   * Capacity units the successful attempt consumed, table and indexes, from the response's
   * ConsumedCapacity (the counter asks for it): read units for reads, write units for writes.
   */
  readUnits?: number;
  writeUnits?: number;
}

/** The read commands that take ReturnConsumedCapacity (the writes: WRITE_COMMANDS). */
const READ_COMMANDS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);

interface ConsumedCapacity {
  CapacityUnits?: number;
}

/**
 * The capacity units a response reports. DynamoDB Local reports reads, single writes and their
 * index writes as DynamoDB bills them (a 1.5 KB put with one index entry: 4 units; a consistent
 * read: 1), but a TransactWriteItems at twice DynamoDB's published rate for its writes (a 1 KB
 * put alone reports 4 where the rule is 2) and nothing for its ConditionChecks (which DynamoDB
 * bills like writes, 2 units each): both are corrected here, so the figures follow DynamoDB's
 * billing rules rather than the emulator's arithmetic.
 */
export function consumedUnits(command: string, input: unknown, output: unknown): number | undefined {
  const reported = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } | undefined)
    ?.ConsumedCapacity;
  if (reported === undefined) return undefined;
  const total = (Array.isArray(reported) ? reported : [reported]).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  if (command !== 'TransactWriteItemsCommand') return total;
  const items = (input as { TransactItems?: { ConditionCheck?: unknown }[] } | undefined)?.TransactItems ?? [];
  return total / 2 + 2 * items.filter((item) => item.ConditionCheck !== undefined).length;
}

/** Where the origin travels from the first middleware of a send to the one that counts. */
const ORIGIN_KEY = 'rosterBenchOrigin';
/** The trips one send() put on the wire, so its response can annotate the last of them. */
const TRIPS_KEY = 'rosterBenchTrips';

function originOfCurrentStack(): Origin {
  const previous = Error.stackTraceLimit;
  // Deep enough to reach from the SDK's send() back through the repository to the pipeline.
  Error.stackTraceLimit = 80;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = previous;
  return ORIGIN_FILES.find(([, file]) => file.test(stack))?.[0] ?? 'operation';
}

/**
 * Counts every request the document client actually puts on the wire. Two middlewares on the
 * client's stack (the document client shares its DynamoDBClient's stack):
 * - `initialize`/high runs first, synchronously inside `send()`, while the caller's frames
 *   are still on the stack: it records the origin in the command's handler context;
 * - `deserialize`/low is the innermost middleware, wrapped by the retry middleware
 *   (`finalizeRequest`/high), so it runs once per attempt, right before the HTTP handler.
 * The first also sees the parsed response on its way out and copies its ScannedCount onto the
 * last attempt send() made (the one that succeeded), and for GetItem/BatchGetItem the number
 * of keys the request asked for.
 */
export class RoundTripCounter {
  private trips: RoundTrip[] = [];

  install(client: DynamoDBDocumentClient): void {
    const stack = client.middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        // Synchronous up to the first await: the caller's frames are still on the stack.
        context[ORIGIN_KEY] = originOfCurrentStack();
        const sent: RoundTrip[] = [];
        context[TRIPS_KEY] = sent;
        const input = args.input as
          | { Key?: unknown; RequestItems?: Record<string, { Keys?: unknown[] }>; ReturnConsumedCapacity?: string }
          | undefined;
        const command = context.commandName ?? '';
        const costed = READ_COMMANDS.has(command) || WRITE_COMMANDS.has(command);
        // Only adds a field to the response: the request does the same work.
        if (costed && input && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
        const keys = input?.Key
          ? 1
          : Object.values(input?.RequestItems ?? {}).reduce((n, request) => n + (request.Keys?.length ?? 0), 0);
        const result = await next(args);
        const scanned = (result.output as { ScannedCount?: unknown } | undefined)?.ScannedCount;
        const last = sent[sent.length - 1];
        if (last && typeof scanned === 'number') last.itemsRead = scanned;
        if (last && /^(Batch)?GetItem/.test(last.command)) last.keysRequested = keys;
        const units = costed ? consumedUnits(command, args.input, result.output) : undefined;
        if (last && units !== undefined) {
          if (READ_COMMANDS.has(command)) last.readUnits = units;
          else last.writeUnits = units;
        }
        return result;
      },
      { step: 'initialize', priority: 'high', name: 'rosterBenchOriginMiddleware', override: true },
    );
    stack.add(
      (next, context) => (args) => {
        const origin = context[ORIGIN_KEY] as Origin | undefined;
        const trip: RoundTrip = { command: context.commandName ?? 'unknown', origin: origin ?? 'operation' };
        this.trips.push(trip);
        (context[TRIPS_KEY] as RoundTrip[] | undefined)?.push(trip);
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'rosterBenchRoundTripMiddleware', override: true },
    );
  }

  /** Forgets what was counted so far. */
  reset(): void {
    this.trips = [];
  }

  /** What was counted since the last reset, in order. */
  taken(): RoundTrip[] {
    return [...this.trips];
  }
}
