import { expect } from 'vitest';
import { uniqueSuffix, type ApiAnswer, type LocalApi, type SeededOrg } from './local-api.js';

/** SCIM clients for integration tests: a token per org, requests as an IdP sends them. */
export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimToken {
  tokenId: string;
  secret: string;
}

export interface ScimClient {
  token: ScimToken;
  send(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** POST /Users, expecting 201. */
  createUser(body?: Record<string, unknown>): Promise<{ id: string; userName: string; active: boolean }>;
  /** POST /Groups, expecting 201. */
  createGroup(displayName: string, memberIds?: string[]): Promise<{ id: string; displayName: string }>;
}

/** An org admin creates a SCIM token; requests then carry it as an IdP would. */
export async function scimClient(
  local: LocalApi,
  org: SeededOrg,
  userAgent = 'Okta SCIM Client 1.0.0',
): Promise<ScimClient> {
  const created = await local.api('POST', `/v1/orgs/${org.orgId}/scim-tokens`, {
    token: org.admin.accessToken,
    body: { name: `IdP ${uniqueSuffix()}` },
  });
  expect(created.status, created.text).toBe(201);
  const token = created.json as ScimToken;
  const send = (method: string, path: string, body?: unknown) =>
    local.api(method, `/scim/v2${path}`, {
      headers: {
        authorization: `Bearer ${token.secret}`,
        'content-type': 'application/scim+json',
        'user-agent': userAgent,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  return {
    token,
    send,
    async createUser(body = newScimUser()) {
      const res = await send('POST', '/Users', body);
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; userName: string; active: boolean };
    },
    async createGroup(displayName, memberIds = []) {
      const res = await send('POST', '/Groups', {
        schemas: [SCIM_GROUP],
        displayName,
        ...(memberIds.length > 0 ? { members: memberIds.map((value) => ({ value })) } : {}),
      });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; displayName: string };
    },
  };
}

/** A User resource as Okta sends it on create, with a fresh userName. */
export function newScimUser(extra: Record<string, unknown> = {}) {
  const suffix = uniqueSuffix();
  return {
    schemas: [SCIM_USER],
    userName: `scim-${suffix}@idp.test`,
    name: { givenName: 'Sam', familyName: `Doe ${suffix}` },
    emails: [{ value: `scim-${suffix}@idp.test`, type: 'work', primary: true }],
    active: true,
    ...extra,
  };
}

export const scimPatch = (...Operations: unknown[]) => ({ schemas: [SCIM_PATCH_OP], Operations });

/** A SCIM error answer (RFC 7644 §3.12): status, content type, body schema, and scimType when given. */
export function expectScimError(res: ApiAnswer, status: number, scimType?: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/scim+json');
  expect(res.json).toMatchObject({ schemas: [SCIM_ERROR], status: String(status), detail: expect.any(String) });
  if (scimType) expect(res.json.scimType).toBe(scimType);
}
