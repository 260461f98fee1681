import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config.js';
import { operationHandler, type Dependencies } from '../../../shared/http/handler.js';
import type { ApiEvent } from '../../../shared/http/types.js';
import type { AuditContext } from '../../../shared/audit/audit-event.js';
import type { Operation } from '../../../shared/operation.js';

/** A public operation with no limit: the pipeline reads nothing from the table for it. */
const probe = {
  method: 'GET',
  path: '/v1/probe',
  handler: 'probe/probe',
  summary: 'Probe',
  auth: { kind: 'public' },
  grants: { table: 'none' },
} as const satisfies Operation;

const event = {
  version: '2.0',
  routeKey: 'GET /v1/probe',
  rawPath: '/v1/probe',
  rawQueryString: '',
  headers: { 'user-agent': 'test' },
  requestContext: { requestId: 'req-1', routeKey: 'GET /v1/probe', http: { method: 'GET', sourceIp: '203.0.113.1' } },
  isBase64Encoded: false,
} as unknown as ApiEvent;

const context = { functionName: 'probe', awsRequestId: 'req-1' } as Context;

beforeAll(() => {
  // The pipeline builds the table client (no request is sent): local mode needs only a table name.
  process.env[ENV.identityMode] ??= 'local';
  process.env[ENV.tableName] ??= 'roster-unit';
});

describe('the pipeline hands out the clock (issue 15)', () => {
  it('a clock port pins every "now" of the request: deps.now, deps.clock and the audit timestamp', async () => {
    const pinned = new Date('2026-03-01T12:00:00.000Z');
    let seen: { deps: Dependencies; audit: AuditContext } | undefined;
    const handler = operationHandler(probe, { clock: () => () => pinned }, async ({ deps, audit }) => {
      seen = { deps, audit };
      return { status: 204, body: undefined };
    });
    const result = await handler(event, context);
    expect(result).toMatchObject({ statusCode: 204 });
    expect(seen?.deps.now).toEqual(pinned);
    expect(seen?.deps.clock()).toEqual(pinned);
    expect(seen?.audit.now).toEqual(pinned);
  });

  it('without a clock port, the request reads the system clock once: deps.now and audit.now are one instant', async () => {
    let seen: { deps: Dependencies; audit: AuditContext } | undefined;
    const handler = operationHandler(probe, async ({ deps, audit }) => {
      seen = { deps, audit };
      return { status: 204, body: undefined };
    });
    const before = Date.now();
    await handler(event, context);
    const after = Date.now();
    expect(seen?.deps.now).toBe(seen?.audit.now);
    expect(seen!.deps.now.getTime()).toBeGreaterThanOrEqual(before);
    expect(seen!.deps.now.getTime()).toBeLessThanOrEqual(after);
  });
});
