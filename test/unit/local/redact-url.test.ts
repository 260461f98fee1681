import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../local/redact-url.js';

describe("the local server's logged URLs", () => {
  it.each([
    ['/v1/invitations/tok_secret123', '/v1/invitations/[redacted]'],
    ['/v1/invitations/tok_secret123/accept', '/v1/invitations/[redacted]/accept'],
    ['/v1/password-resets/abc.def', '/v1/password-resets/[redacted]'],
    ['/v1/email-confirmations/xyz', '/v1/email-confirmations/[redacted]'],
    ['/v1/password-resets', '/v1/password-resets'],
    ['/v1/orgs/o1/members?cursor=abc&limit=5', '/v1/orgs/o1/members'],
    ['/local/downloads/x.csv?signature=s3cr3t', '/local/downloads/x.csv'],
    [undefined, ''],
  ])('logs %j as %j', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
