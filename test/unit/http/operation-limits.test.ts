import { describe, expect, it } from 'vitest';
import { FALLBACK_OPERATIONS, OPERATIONS } from '../../../shared/api/operations.js';
import { TooManyRequestsError } from '../../../shared/errors.js';
import { scimErrorResult } from '../../../shared/http/scim-error-result.js';
import { LIMITS } from '../../../shared/limits.js';

const all = [...OPERATIONS, ...FALLBACK_OPERATIONS];
const limitedBy = (bucket: string) =>
  all
    .filter((o) => o.limit?.bucket === bucket)
    .map((o) => `${o.method} ${o.path}`)
    .sort();

describe('operation limits (issue 21: fair limits declared on the operations)', () => {
  it('every org-scoped limit is on a route whose org the pipeline knows: the credential’s or the path’s', () => {
    const orgScoped = all.filter((o) => o.limit?.scope === 'org');
    expect(orgScoped.length).toBeGreaterThan(0);
    for (const o of orgScoped)
      expect(['scimToken', 'apiKey'].includes(o.auth.kind) || o.path.includes('{orgId}'), `${o.method} ${o.path}`).toBe(
        true,
      );
  });

  it('source-scoped limits are only on routes without an org member’s credentials', () => {
    for (const o of all.filter((op) => op.limit?.scope === 'source'))
      expect(['public', 'optionalBearer', 'signedIn'].includes(o.auth.kind), `${o.method} ${o.path}`).toBe(true);
  });

  it('limits every SCIM route, the IdP routes, imports, exports, bulk changes and the public token routes', () => {
    const scim = all.filter((o) => o.path.startsWith('/scim/v2'));
    expect(scim.every((o) => o.limit === LIMITS.scim)).toBe(true);
    expect(limitedBy('idp-events')).toEqual(['GET /v1/webhooks/idp/{orgId}', 'POST /v1/webhooks/idp/{orgId}']);
    expect(limitedBy('imports')).toEqual([
      'POST /v1/orgs/{orgId}/imports',
      'POST /v1/orgs/{orgId}/imports/{importId}/cancel',
      'POST /v1/orgs/{orgId}/imports/{importId}/commit',
    ]);
    expect(limitedBy('exports')).toEqual([
      'GET /v1/orgs/{orgId}/members/export',
      'POST /v1/orgs/{orgId}/member-exports',
    ]);
    expect(limitedBy('bulk')).toEqual(['POST /v1/orgs/{orgId}/invitations', 'POST /v1/orgs/{orgId}/members/bulk-role']);
    expect(limitedBy('invitation-token')).toEqual([
      'GET /v1/invitations/{token}',
      'POST /v1/invitations/{token}/accept',
    ]);
    expect(limitedBy('credential-token')).toEqual([
      'POST /v1/email-confirmations/{token}',
      'POST /v1/password-resets/{token}',
    ]);
    expect(limitedBy('join-requests')).toEqual(['POST /v1/orgs/{orgId}/join-requests']);
    expect(limitedBy('sso-discovery')).toEqual(['POST /v1/sso/discovery']);
  });

  it('a SCIM route past its limit answers SCIM’s 429 with Retry-After', () => {
    const result = scimErrorResult(new TooManyRequestsError('Too many', 'rate_limited', 17));
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['retry-after']).toBe('17');
    expect(JSON.parse(result.body!)).toMatchObject({ status: '429' });
  });
});
