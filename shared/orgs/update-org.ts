import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { getOrg, orgSettingsUpdateStep } from './org-repository.js';
import { transactWrite } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, ForbiddenError } from '../errors.js';
import { scimSettingsOf, type Org } from './org.js';
import type { UpdateOrgInput } from './schemas.js';
import type { Membership } from '../members/membership.js';
import { assignableRole } from '../roles/assign-role.js';
import { isBuiltInRole } from '../roles.js';
import { queryConnections } from '../sso/connection-repository.js';

/**
 * Changes an org's name, settings or (platform operators only) seat cap. The write is
 * conditioned on the settings the caller saw (`updatedAt`), so the audit event's before/after
 * is exactly what changed; a seat cap below the seats in use is refused. A SCIM group mapping
 * names roles of the org (400 naming `scim.groupRoles.N.role`) the caller may give (403
 * role_escalation); the custom ones must still exist when the settings are written.
 */
export async function updateOrg(
  db: Database,
  org: Org,
  patch: UpdateOrgInput,
  byPlatformAdmin: boolean,
  audit: AuditContext,
  callerHasMfa = false,
  actor?: Membership,
): Promise<Org> {
  const groupRoles = patch.scim?.groupRoles ?? [];
  groupRoles.forEach((row, i) => assignableRole(org.customRoles, actor, row.role, `scim.groupRoles.${i}.role`));
  if (patch.maxSeats !== undefined && !byPlatformAdmin)
    throw new ForbiddenError('Only platform operators may change maxSeats', 'platform_admin_required');
  // Whoever turns MFA on for everyone must pass it themselves, or they would lock themselves out.
  if (patch.mfaRequired === true && !org.settings.mfaRequired && !callerHasMfa) {
    throw new ConflictError(
      'Set up two-factor authentication on your own account before requiring it for this organization',
      'mfa_required_for_caller',
    );
  }
  // Verifying a domain hands the org every account in it: only an operator, who checked the proof, may.
  if (patch.verifiedDomains !== undefined && !byPlatformAdmin)
    throw new ForbiddenError('Only platform operators may change verifiedDomains', 'platform_admin_required');
  // Requiring SSO with nothing to sign in through would be a promise nobody can keep.
  if (patch.ssoRequired === true && !org.settings.ssoRequired) {
    const connections = await queryConnections(db, org.orgId, 1, undefined);
    if (connections.items.length === 0)
      throw new ConflictError('Add an SSO connection before requiring single sign-on', 'sso_connection_required');
  }
  const { name, maxSeats, verifiedDomains, ...settingsPatch } = patch;
  const next: Org = {
    ...org,
    name: name ?? org.name,
    maxSeats: maxSeats ?? org.maxSeats,
    // The SCIM settings patch names only what changes; the rest of them is kept.
    settings: {
      ...org.settings,
      ...settingsPatch,
      scim: { ...scimSettingsOf(org.settings), ...settingsPatch.scim },
      verifiedDomains: verifiedDomains ? [...new Set(verifiedDomains)] : org.settings.verifiedDomains,
    },
    updatedAt: audit.now.toISOString(),
  };
  const flat = (o: Org) => ({ name: o.name, maxSeats: o.maxSeats, ...o.settings });
  const changes = diffFields(flat(org), flat(next));
  if (Object.keys(changes.after).length === 0) return org;

  try {
    await transactWrite(db, [
      orgSettingsUpdateStep(db, next, org.updatedAt, [
        ...new Set(groupRoles.map((row) => row.role).filter((role) => !isBuiltInRole(role))),
      ]),
      auditStep(
        db,
        { orgId: org.orgId, action: 'org.updated', target: { type: 'org', id: org.orgId }, ...changes },
        audit,
      ),
    ]);
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    const current = await getOrg(db, org.orgId, true);
    if (current && current.updatedAt === org.updatedAt && current.seatsUsed > next.maxSeats) {
      throw new ConflictError(
        `maxSeats ${next.maxSeats} is below the ${current.seatsUsed} seats in use`,
        'seats_in_use',
      );
    }
    throw error;
  }
  return next;
}
