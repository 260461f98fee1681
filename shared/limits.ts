import type { OperationLimit } from './operation.js';

/**
 * The fair-use budgets operations declare (`limit` on the operation object), in one place so
 * README's table and the code cannot drift. Pure data: operation files import it.
 *
 * Per org, on the routes whose cost grows with the request or that an IdP drives: a tenant's
 * storm spends its own budget, never the stage-wide throttle every tenant shares. Per source
 * (client IP), on the public token routes, before any credential is read. Reads the console
 * polls (lists, an import's progress) are not limited here: they are cheap and the stage
 * throttle covers them.
 */
export const LIMITS = {
  /** SCIM provisioning, every /scim/v2 route: Okta and Entra push a few requests a second at most. */
  scim: { scope: 'org', bucket: 'scim', limit: 600, windowSeconds: 60 },
  /** IdP lifecycle events and the Okta verification call (counted before the signature is checked). */
  idpEvents: { scope: 'org', bucket: 'idp-events', limit: 300, windowSeconds: 60 },
  /** Webhook secret rotation and configuration. */
  webhookSettings: { scope: 'org', bucket: 'webhook-settings', limit: 20, windowSeconds: 60 },
  /** CSV imports: upload, commit, cancel. */
  imports: { scope: 'org', bucket: 'imports', limit: 30, windowSeconds: 60 },
  /** Member exports, synchronous CSV and asynchronous jobs. */
  exports: { scope: 'org', bucket: 'exports', limit: 10, windowSeconds: 60 },
  /** Bulk changes: invitations (up to 100 addresses a request) and bulk role. */
  bulk: { scope: 'org', bucket: 'bulk', limit: 120, windowSeconds: 60 },
  /** Invitation preview and accept, by token. */
  invitationToken: { scope: 'source', bucket: 'invitation-token', limit: 120, windowSeconds: 60 },
  /** Password reset completion and email-change confirmation, by token. */
  credentialToken: { scope: 'source', bucket: 'credential-token', limit: 60, windowSeconds: 60 },
  /** Asking to join an org. */
  joinRequests: { scope: 'source', bucket: 'join-requests', limit: 30, windowSeconds: 60 },
  /** Where an email signs in: sign-in pages ask once a sign-in; a script probing domains asks many. */
  ssoDiscovery: { scope: 'source', bucket: 'sso-discovery', limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, OperationLimit>;
