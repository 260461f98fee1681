import { setPasswordCreatingIdentity } from '../shared/users/ensure-identity.js';
import type { AuditContext } from '../shared/audit/audit-event.js';
import type { Database } from '../shared/data/dynamo-client.js';
import { listMembershipsOfUser } from '../shared/members/membership-repository.js';
import { getOrg } from '../shared/orgs/org-repository.js';
import { findUserIdByEmail } from '../shared/users/user-repository.js';
import type { LocalIdentity } from '../shared/identity/local-identity.js';
import { createOrg } from '../shared/orgs/create-org.js';
import { ADMIN_ROLE, PLATFORM_ADMIN_GROUP } from '../shared/roles.js';
import { ensureLocalUser } from './local-users.js';
import { updateOrg } from '../shared/orgs/update-org.js';
import { createSsoConnection, listSsoConnections, updateSsoConnection } from '../shared/sso/manage-connections.js';
import { DEMO_IDP, demoIdpConnection } from './demo-idp.js';

/** The demo data `npm start` creates on first start (DESIGN.md, "Local mode only"). */
export const DEMO = {
  operator: { email: 'operator@roster.test', name: 'Platform Operator' },
  org: { name: 'Acme', maxSeats: 25 },
  admin: { email: 'admin@acme.test', name: 'Acme Admin' },
  defaultPassword: 'Roster-demo-1!',
} as const;

export interface SeedResult {
  orgId: string;
  operator: { userId: string; email: string };
  admin: { userId: string; email: string };
  /** False when an earlier start had seeded and nothing was written. */
  created: boolean;
}

export interface SeedDeps {
  db: Database;
  identity: LocalIdentity;
  /** Base URL for links in mail (the admin's set-password link). */
  appUrl: string;
  /** The demo IdP's issuer (`http://localhost:<SSO_PORT>`): Acme's SSO connection points there; none seeded when omitted. */
  ssoIssuer?: string;
}

const seedAudit = (): AuditContext => ({
  actor: { type: 'system', id: 'seed' },
  ip: null,
  userAgent: null,
  requestId: null,
  now: new Date(),
});

/** The demo org's id, when the demo admin already administers an org named like the demo's. */
async function findSeededOrg(db: Database, adminUserId: string): Promise<string | undefined> {
  for (const membership of await listMembershipsOfUser(db, adminUserId)) {
    if (membership.role !== ADMIN_ROLE) continue;
    const org = await getOrg(db, membership.orgId, true);
    if (org?.name === DEMO.org.name) return org.orgId;
  }
  return undefined;
}

/**
 * Seeds the platform operator and the org "Acme" with its admin, once: when the demo admin
 * already administers "Acme" (and the operator exists) it only reports what is there, so
 * restarts keep the data (and any password changed since) untouched.
 */
export async function seedDemo(deps: SeedDeps, password: string): Promise<SeedResult> {
  const { db } = deps;
  const operatorId = await findUserIdByEmail(db, DEMO.operator.email);
  const adminId = await findUserIdByEmail(db, DEMO.admin.email);
  const existingOrgId = adminId ? await findSeededOrg(db, adminId) : undefined;
  if (operatorId && adminId && existingOrgId) {
    await seedSsoConnection(deps, existingOrgId);
    return {
      orgId: existingOrgId,
      operator: { userId: operatorId, email: DEMO.operator.email },
      admin: { userId: adminId, email: DEMO.admin.email },
      created: false,
    };
  }

  const operator = await ensureLocalUser(deps, { ...DEMO.operator, password, groups: [PLATFORM_ADMIN_GROUP] });
  let orgId = existingOrgId;
  let adminUserId = adminId;
  if (!orgId || !adminUserId) {
    const created = await createOrg(
      deps,
      { name: DEMO.org.name, maxSeats: DEMO.org.maxSeats, admin: { ...DEMO.admin } },
      seedAudit(),
    );
    orgId = created.org.orgId;
    adminUserId = created.admin.userId;
  }
  // createOrg mails a new admin a set-password link; the demo admin gets the demo password now.
  await setPasswordCreatingIdentity(deps, adminUserId, password);
  await seedSsoConnection(deps, orgId);
  return { orgId, operator, admin: { userId: adminUserId, email: DEMO.admin.email }, created: true };
}

/**
 * Acme's SSO (DESIGN.md §2c), through the connections' own use case: the demo IdP's domain among
 * its verified domains and an OIDC connection to the demo IdP serving it, JIT on, everyone a
 * member. On later starts only the issuer follows SSO_PORT; anything else changed since is kept.
 */
async function seedSsoConnection(deps: SeedDeps, orgId: string): Promise<void> {
  const { db, ssoIssuer } = deps;
  if (!ssoIssuer) return;
  const org = await getOrg(db, orgId, true);
  if (!org) return;
  if (!org.settings.verifiedDomains.includes(DEMO_IDP.domain)) {
    const verifiedDomains = [...org.settings.verifiedDomains, DEMO_IDP.domain];
    await updateOrg(db, org, { verifiedDomains }, true, seedAudit());
  }
  const { items } = await listSsoConnections(db, orgId, { limit: 50 });
  const existing = items.find((connection) => connection.domains.includes(DEMO_IDP.domain));
  if (existing) {
    if (existing.oidc?.issuer !== ssoIssuer)
      await updateSsoConnection(deps, orgId, existing.connectionId, { oidc: { issuer: ssoIssuer } }, seedAudit());
    return;
  }
  await createSsoConnection(deps, orgId, demoIdpConnection(ssoIssuer), seedAudit());
}
