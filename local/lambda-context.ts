import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A Lambda context for one local invocation, with the fields Powertools and middy read. */
export function lambdaContext(functionName: string, timeoutMs = 29_000): Context {
  const startedAt = Date.now();
  const name = `roster-local-${functionName.replace(/[^A-Za-z0-9-_]/g, '-')}`;
  const unsupported = () => {
    throw new Error('Legacy Lambda callbacks are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
