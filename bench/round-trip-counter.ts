import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Who issued a DynamoDB request, told apart by the source file on the call stack when the
 * command is sent (the bench runs the TypeScript sources, so file names are real):
 * - authorization: shared/http/authorize.ts, the pipeline's step before the handler's code;
 * - identity: shared/identity/local-identity.ts, the local stand-in for Cognito — in AWS
 *   these are Cognito calls, not DynamoDB round trips, so they are reported apart;
 * - operation: everything else the request sends (use case, repositories, mail outbox).
 */
export type Origin = 'authorization' | 'identity' | 'operation';

const ORIGIN_FILES: readonly [Origin, RegExp][] = [
  ['authorization', /[/\\]shared[/\\]http[/\\]authorize\.[cm]?[jt]s\b/],
  ['identity', /[/\\]shared[/\\]identity[/\\]local-identity\.[cm]?[jt]s\b/],
];

/** One HTTP request to DynamoDB: a retried command counts once per attempt. */
export interface RoundTrip {
  /** The low-level command: `BatchGetItemCommand`, `TransactWriteItemsCommand`, … */
  command: string;
  origin: Origin;
}

/** Where the origin travels from the first middleware of a send to the one that counts. */
const ORIGIN_KEY = 'rosterBenchOrigin';

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
 */
export class RoundTripCounter {
  private trips: RoundTrip[] = [];

  install(client: DynamoDBDocumentClient): void {
    const stack = client.middlewareStack;
    stack.add(
      (next, context) => (args) => {
        context[ORIGIN_KEY] = originOfCurrentStack();
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'rosterBenchOriginMiddleware', override: true },
    );
    stack.add(
      (next, context) => (args) => {
        const origin = context[ORIGIN_KEY] as Origin | undefined;
        this.trips.push({ command: context.commandName ?? 'unknown', origin: origin ?? 'operation' });
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
