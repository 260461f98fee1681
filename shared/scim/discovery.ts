import { NotFoundError } from '../errors.js';
import { ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_SCHEMA, USER_SCHEMA } from './urns.js';
import { ENTERPRISE_STRING_ATTRIBUTES } from './user-state.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** A ListResponse (RFC 7644 §3.4.2) of already rendered resources. */
export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** What Roster's SCIM service supports (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://roster.dev/docs/scim',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 100 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'An org SCIM token issued by Roster (POST /v1/orgs/{orgId}/scim-tokens)',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

function resourceTypeList(baseUrl: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Members of the organization',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Teams of the organization',
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

export function resourceTypes(baseUrl: string) {
  const types = resourceTypeList(baseUrl);
  return listResponse(types, types.length, 1);
}

/** GET /ResourceTypes/{id} (RFC 7644 §4): by its id, User or Group. */
export function resourceType(baseUrl: string, id: string) {
  const found = resourceTypeList(baseUrl).find((t) => t.id === id);
  if (!found) throw new NotFoundError(`No resource type ${id}`, 'scim_resource_type_not_found');
  return found;
}

const attribute = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

function schemaList(baseUrl: string) {
  const user = {
    schemas: [SCHEMA_SCHEMA],
    id: USER_SCHEMA,
    name: 'User',
    // RFC 7643 §8.7.1's descriptions first: Microsoft's reference collection looks for them.
    description:
      'User Account: a member of the organization; userName is the email (case kept, compared case-insensitively)',
    attributes: [
      attribute('id', { mutability: 'readOnly', returned: 'always', uniqueness: 'server', caseExact: true }),
      attribute('externalId', { caseExact: true }),
      attribute('userName', { required: true, uniqueness: 'server' }),
      attribute('name', {
        type: 'complex',
        subAttributes: [attribute('formatted'), attribute('givenName'), attribute('familyName')],
      }),
      attribute('displayName'),
      attribute('title'),
      attribute('preferredLanguage'),
      attribute('active', { type: 'boolean' }),
      attribute('emails', {
        type: 'complex',
        multiValued: true,
        subAttributes: [attribute('value'), attribute('type'), attribute('primary', { type: 'boolean' })],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${USER_SCHEMA}` },
  };
  const enterprise = {
    schemas: [SCHEMA_SCHEMA],
    id: ENTERPRISE_USER_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User: the extension attributes Roster keeps',
    attributes: [
      ...ENTERPRISE_STRING_ATTRIBUTES.map((a) => attribute(a)),
      attribute('manager', { type: 'complex', subAttributes: [attribute('value')] }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${ENTERPRISE_USER_SCHEMA}` },
  };
  const group = {
    schemas: [SCHEMA_SCHEMA],
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'Group: a team of the organization; a member belongs to at most one team',
    attributes: [
      attribute('displayName', { required: true, uniqueness: 'server' }),
      attribute('members', {
        type: 'complex',
        multiValued: true,
        subAttributes: [
          attribute('value', { mutability: 'immutable' }),
          attribute('display', { mutability: 'readOnly' }),
        ],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${GROUP_SCHEMA}` },
  };
  return [user, enterprise, group];
}

export function schemas(baseUrl: string) {
  const list = schemaList(baseUrl);
  return listResponse(list, list.length, 1);
}

/** GET /Schemas/{id} (RFC 7644 §4): one schema by its URN. */
export function schema(baseUrl: string, id: string) {
  const found = schemaList(baseUrl).find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new NotFoundError(`No schema ${id}`, 'scim_schema_not_found');
  return found;
}
