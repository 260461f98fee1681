import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { getOrg } from '../orgs/org-repository.js';
import type { Page } from '../data/pagination.js';
import { check, transactWrite, type TransactionStep } from '../data/transactions.js';
import { orgKey } from '../data/keys.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Membership } from '../members/membership.js';
import { assignableRole } from '../roles/assign-role.js';
import { isBuiltInRole } from '../roles.js';
import { IdentityProviderQuotaError, type FederatedProvider, type IdentityPort } from '../identity/identity-port.js';
import { cognitoAttributeMapping, providerNameOf, ssoConnectionView, type SsoConnection } from './connection.js';
import {
  createConnectionSteps,
  deleteConnectionSteps,
  findDomainClaim,
  domainClaimSteps,
  domainReleaseSteps,
  getConnection,
  IDENTITY_PROVIDER_QUOTA,
  queryConnections,
  registryAddStep,
  registryRemoveStep,
  updateConnectionStep,
} from './connection-repository.js';
import { syncClientProviders } from './provider-registry.js';
import type { CreateSsoConnectionInput, ListSsoConnectionsQuery, UpdateSsoConnectionInput } from './schemas.js';

export interface SsoDeps {
  db: Database;
  identity: IdentityPort;
  /** Identity providers the user pool may hold (default Cognito's 300). */
  providerQuota?: number;
}

const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];
const DEFAULT_ATTRIBUTE_MAPPING = { email: 'email', name: 'name', groups: null };

/** Refuses domains the org has not verified (DESIGN.md section 1: set by platform operators only). */
async function requireVerifiedDomains(db: Database, orgId: string, domains: readonly string[]): Promise<void> {
  const org = await getOrg(db, orgId, true);
  if (!org) throw new NotFoundError('No such organization');
  const verified = new Set(org.settings.verifiedDomains.map((d) => d.toLowerCase()));
  const problems = domains
    .map((domain, i) => ({ domain, i }))
    .filter(({ domain }) => !verified.has(domain))
    .map(({ domain, i }) => ({
      field: `domains.${i}`,
      message: `${domain} is not a verified domain of this organization`,
    }));
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * A role mapping names roles of the org (400 naming `roleMapping.defaultRole` or
 * `roleMapping.rules.N.role`) that the actor may give (403 role_escalation: the mapping gives
 * them to everyone the IdP says). The custom ones must still exist when the connection is
 * written: the returned check on the org item (a role delete refuses a mapped role).
 */
async function checkRoleMapping(
  db: Database,
  orgId: string,
  mapping: { rules?: { role: string }[]; defaultRole?: string } | undefined,
  actor: Membership | undefined,
): Promise<TransactionStep | undefined> {
  if (!mapping) return undefined;
  const org = await getOrg(db, orgId, true);
  if (!org) throw new NotFoundError('No such organization');
  const named: [string, string][] = [
    ...(mapping.rules ?? []).map((rule, i): [string, string] => [rule.role, `roleMapping.rules.${i}.role`]),
    ...(mapping.defaultRole !== undefined
      ? [[mapping.defaultRole, 'roleMapping.defaultRole'] as [string, string]]
      : []),
  ];
  for (const [role, field] of named) assignableRole(org.customRoles, actor, role, field);
  const custom = [...new Set(named.map(([role]) => role).filter((role) => !isBuiltInRole(role)))];
  if (custom.length === 0) return undefined;
  return check(
    db,
    {
      key: orgKey(orgId),
      condition: custom.map((_, i) => `attribute_exists(customRoles.#role${i})`).join(' AND '),
      names: Object.fromEntries(custom.map((key, i) => [`#role${i}`, key])),
    },
    () => new ConflictError('A role the mapping gives was deleted meanwhile; try again', 'role_changed'),
  );
}

/**
 * Refuses domains another connection serves before the provider is touched (the user pool
 * refuses an idp identifier twice too); the transaction's claims still decide a race.
 */
async function requireFreeDomains(db: Database, domains: readonly string[]): Promise<void> {
  for (const domain of domains)
    if (await findDomainClaim(db, domain))
      throw new ConflictError(`${domain} is already served by another SSO connection`, 'sso_domain_taken');
}

/** The provider as the user pool gets it: the connection's settings and, for OIDC, the secret. */
function providerOf(c: SsoConnection, clientSecret: string | undefined): FederatedProvider {
  return {
    providerName: c.providerName,
    protocol: c.protocol,
    idpIdentifiers: c.domains,
    ...(c.oidc ? { oidc: { ...c.oidc, clientSecret: clientSecret ?? '' } } : {}),
    ...(c.saml
      ? {
          saml: {
            ...(c.saml.metadataUrl ? { metadataUrl: c.saml.metadataUrl } : {}),
            ...(c.saml.metadataXml ? { metadataXml: c.saml.metadataXml } : {}),
            idpInitiated: c.saml.idpInitiated,
          },
        }
      : {}),
    attributeMapping: cognitoAttributeMapping(c.attributeMapping),
  };
}

async function putProvider(identity: IdentityPort, provider: FederatedProvider, quota: number): Promise<void> {
  try {
    await identity.putIdentityProvider(provider);
  } catch (error) {
    if (error instanceof IdentityProviderQuotaError)
      throw new ConflictError(
        `The platform holds its maximum of ${quota} SSO connections (Cognito's identity providers per user pool); ask the platform operator`,
        'sso_connection_limit_reached',
      );
    throw error;
  }
}

/**
 * Creates a connection: the identity provider at the user pool first (Cognito checks the issuer
 * or metadata; a refusal is a 400 and nothing is written), then the connection, its provider
 * and domain claims, the registry entry (under the pool's quota) and the audit event in one
 * transaction; if that fails (a domain another connection serves, the quota) the provider is
 * deleted again. Last, the SPA client's provider list is recomputed (provider-registry.ts). A crash
 * between the steps leaves an orphan provider or a stale client list: the reconciler repairs both
 * (reconcile-providers.ts).
 */
export async function createSsoConnection(
  deps: SsoDeps,
  orgId: string,
  input: CreateSsoConnectionInput,
  audit: AuditContext,
  actor?: Membership,
): Promise<SsoConnection> {
  const quota = deps.providerQuota ?? IDENTITY_PROVIDER_QUOTA;
  await requireVerifiedDomains(deps.db, orgId, input.domains);
  const rolesStillThere = await checkRoleMapping(deps.db, orgId, input.roleMapping, actor);
  await requireFreeDomains(deps.db, input.domains);
  const connectionId = newId();
  const at = audit.now.toISOString();
  const connection: SsoConnection = {
    connectionId,
    orgId,
    name: input.name,
    protocol: input.protocol,
    providerName: providerNameOf(input.protocol, connectionId),
    domains: input.domains,
    oidc: input.oidc
      ? { issuer: input.oidc.issuer, clientId: input.oidc.clientId, scopes: input.oidc.scopes ?? DEFAULT_OIDC_SCOPES }
      : null,
    saml: input.saml
      ? {
          metadataUrl: input.saml.metadataUrl ?? null,
          metadataXml: input.saml.metadataXml ?? null,
          idpInitiated: input.saml.idpInitiated ?? false,
        }
      : null,
    attributeMapping: { ...DEFAULT_ATTRIBUTE_MAPPING, ...input.attributeMapping },
    roleMapping: { rules: input.roleMapping?.rules ?? [], defaultRole: input.roleMapping?.defaultRole ?? 'member' },
    jitProvisioning: input.jitProvisioning ?? false,
    updateOnSignIn: input.updateOnSignIn ?? true,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await putProvider(deps.identity, providerOf(connection, input.oidc?.clientSecret), quota);
  try {
    await transactWrite(deps.db, [
      ...createConnectionSteps(deps.db, connection),
      registryAddStep(deps.db, connection.providerName, quota),
      ...(rolesStillThere ? [rolesStillThere] : []),
      auditStep(
        deps.db,
        {
          orgId,
          action: 'sso_connection.created',
          target: { type: 'sso_connection', id: connectionId },
          after: ssoConnectionView(connection),
        },
        audit,
      ),
    ]);
  } catch (error) {
    await deps.identity.deleteIdentityProvider(connection.providerName);
    throw error;
  }
  await syncClientProviders(deps);
  return connection;
}

export async function getSsoConnection(db: Database, orgId: string, connectionId: string): Promise<SsoConnection> {
  const connection = await getConnection(db, orgId, connectionId);
  if (!connection) throw new NotFoundError('No such SSO connection');
  return connection;
}

export async function listSsoConnections(
  db: Database,
  orgId: string,
  query: ListSsoConnectionsQuery,
): Promise<Page<ReturnType<typeof ssoConnectionView>>> {
  const page = await queryConnections(db, orgId, query.limit, query.cursor);
  return { items: page.items.map(ssoConnectionView), nextCursor: page.nextCursor };
}

/**
 * Changes a connection. The provider is updated first (with the secret it holds unless a new one
 * is given); if the transaction then fails (a concurrent change, a domain taken) the provider's
 * previous settings are put back, so a refused change leaves nothing half-made.
 */
export async function updateSsoConnection(
  deps: SsoDeps,
  orgId: string,
  connectionId: string,
  input: UpdateSsoConnectionInput,
  audit: AuditContext,
  actor?: Membership,
): Promise<SsoConnection> {
  const quota = deps.providerQuota ?? IDENTITY_PROVIDER_QUOTA;
  const current = await getSsoConnection(deps.db, orgId, connectionId);
  const rolesStillThere = await checkRoleMapping(deps.db, orgId, input.roleMapping, actor);
  if (input.oidc && current.protocol !== 'oidc')
    throw new ValidationError([{ field: 'oidc', message: 'is for OIDC connections only' }]);
  if (input.saml && current.protocol !== 'saml')
    throw new ValidationError([{ field: 'saml', message: 'is for SAML connections only' }]);
  const domains = input.domains ?? current.domains;
  if (input.domains) await requireVerifiedDomains(deps.db, orgId, domains);
  const next: SsoConnection = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    domains,
    oidc:
      current.oidc && input.oidc
        ? {
            issuer: input.oidc.issuer ?? current.oidc.issuer,
            clientId: input.oidc.clientId ?? current.oidc.clientId,
            scopes: input.oidc.scopes ?? current.oidc.scopes,
          }
        : current.oidc,
    saml: input.saml
      ? {
          metadataUrl: input.saml.metadataUrl ?? null,
          metadataXml: input.saml.metadataXml ?? null,
          idpInitiated: input.saml.idpInitiated ?? current.saml?.idpInitiated ?? false,
        }
      : current.saml,
    attributeMapping: { ...current.attributeMapping, ...input.attributeMapping },
    roleMapping: {
      rules: input.roleMapping?.rules ?? current.roleMapping.rules,
      defaultRole: input.roleMapping?.defaultRole ?? current.roleMapping.defaultRole,
    },
    jitProvisioning: input.jitProvisioning ?? current.jitProvisioning,
    updateOnSignIn: input.updateOnSignIn ?? current.updateOnSignIn,
    updatedAt: audit.now.toISOString(),
  };
  await requireFreeDomains(
    deps.db,
    domains.filter((d) => !current.domains.includes(d)),
  );
  const held = await deps.identity.getIdentityProvider(current.providerName);
  const secret = input.oidc?.clientSecret ?? held?.oidc?.clientSecret;
  await putProvider(deps.identity, providerOf(next, secret), quota);
  const added = domains.filter((d) => !current.domains.includes(d));
  const removed = current.domains.filter((d) => !domains.includes(d));
  const diff = diffFields(ssoConnectionView(current), ssoConnectionView(next));
  delete diff.before.updatedAt;
  delete diff.after.updatedAt;
  try {
    await transactWrite(deps.db, [
      updateConnectionStep(deps.db, next, current.version),
      ...domainClaimSteps(deps.db, next, added),
      ...domainReleaseSteps(deps.db, current, removed),
      ...(rolesStillThere ? [rolesStillThere] : []),
      auditStep(
        deps.db,
        {
          orgId,
          action: 'sso_connection.updated',
          target: { type: 'sso_connection', id: connectionId },
          before: { ...diff.before, ...(input.oidc?.clientSecret ? { clientSecret: '(set)' } : {}) },
          after: { ...diff.after, ...(input.oidc?.clientSecret ? { clientSecret: '(changed)' } : {}) },
        },
        audit,
      ),
    ]);
  } catch (error) {
    if (held) await deps.identity.putIdentityProvider(held);
    throw error;
  }
  return { ...next, version: current.version + 1 };
}

function ssoNotRequiredStep(db: Database, orgId: string): TransactionStep {
  return check(
    db,
    {
      key: orgKey(orgId),
      condition: 'attribute_not_exists(settings.ssoRequired) OR settings.ssoRequired = :off',
      values: { ':off': false },
    },
    () =>
      new ConflictError(
        'This organization requires single sign-on: turn that off before deleting its last SSO connection',
        'sso_required',
      ),
  );
}

/**
 * Deletes a connection: the table first (connection, claims, registry entry, audit event, one
 * transaction), then the SPA client stops offering the provider, then the provider goes (or, after a
 * crash, the reconciler syncs the client and deletes it: reconcile-providers.ts).
 */
export async function deleteSsoConnection(
  deps: SsoDeps,
  orgId: string,
  connectionId: string,
  audit: AuditContext,
): Promise<void> {
  const current = await getSsoConnection(deps.db, orgId, connectionId);
  const others = (await queryConnections(deps.db, orgId, 2, undefined)).items.filter(
    (c) => c.connectionId !== connectionId,
  );
  await transactWrite(deps.db, [
    ...deleteConnectionSteps(deps.db, current),
    // The org's last connection goes only while the org does not require SSO (settled in this transaction).
    ...(others.length === 0 ? [ssoNotRequiredStep(deps.db, orgId)] : []),
    registryRemoveStep(deps.db, current.providerName),
    auditStep(
      deps.db,
      {
        orgId,
        action: 'sso_connection.deleted',
        target: { type: 'sso_connection', id: connectionId },
        before: ssoConnectionView(current),
      },
      audit,
    ),
  ]);
  await syncClientProviders(deps);
  await deps.identity.deleteIdentityProvider(current.providerName);
}
