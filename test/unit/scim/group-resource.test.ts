import { describe, expect, it } from 'vitest';
import { ScimBadRequestError } from '../../../shared/scim/scim-errors.js';
import { groupPatchOf, groupStateFromResource } from '../../../shared/scim/group-resource.js';
import { patchOperationsOf } from '../../../shared/scim/patch-operations.js';
import { PATCH_OP_SCHEMA } from '../../../shared/scim/urns.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ops = (...Operations: unknown[]) => groupPatchOf(patchOperationsOf({ schemas: [PATCH_OP_SCHEMA], Operations }));

describe('SCIM Group mapping', () => {
  it('reads a Group resource: displayName and, when given, the member ids', () => {
    expect(
      groupStateFromResource({
        schemas: [GROUP],
        displayName: ' Eng ',
        members: [{ value: 'u1' }, { value: 'u2' }, { value: 'u1' }],
      }),
    ).toEqual({ displayName: 'Eng', members: ['u1', 'u2'] });
    expect(groupStateFromResource({ schemas: [GROUP], displayName: 'Eng' })).toEqual({
      displayName: 'Eng',
      members: undefined,
    });
    expect(() => groupStateFromResource({ schemas: ['urn:x'], displayName: 'Eng' })).toThrow(ScimBadRequestError);
    expect(() => groupStateFromResource({ schemas: [GROUP] })).toThrow(ScimBadRequestError);
  });

  it('reads Okta member add and remove, including members[value eq "…"] paths', () => {
    expect(
      ops({ op: 'add', path: 'members', value: [{ value: 'u1' }] }, { op: 'remove', path: 'members[value eq "u2"]' }),
    ).toEqual({ add: ['u1'], remove: ['u2'], removeAll: false });
  });

  it('reads Entra member removal with a value list, renames with and without a path, and replace as a full set', () => {
    expect(ops({ op: 'Remove', path: 'members', value: [{ value: 'u3' }] })).toEqual({
      add: [],
      remove: ['u3'],
      removeAll: false,
    });
    expect(ops({ op: 'Replace', value: { displayName: 'New', id: 'ignored' } })).toEqual({
      displayName: 'New',
      add: [],
      remove: [],
      removeAll: false,
    });
    expect(ops({ op: 'replace', path: 'displayName', value: 'Other' }).displayName).toBe('Other');
    expect(ops({ op: 'replace', path: 'members', value: [{ value: 'u4' }] })).toEqual({
      add: ['u4'],
      remove: [],
      removeAll: true,
    });
    expect(ops({ op: 'remove', path: 'members' })).toEqual({ add: [], remove: [], removeAll: true });
  });

  it('refuses unknown paths, adds through a member filter, and ids that are not ids', () => {
    const scimType = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as ScimBadRequestError).scimType;
      }
      return undefined;
    };
    expect(scimType(() => ops({ op: 'replace', path: 'owner', value: 'x' }))).toBe('invalidPath');
    expect(scimType(() => ops({ op: 'add', path: 'members[value eq "u1"]', value: 'x' }))).toBe('invalidPath');
    expect(scimType(() => ops({ op: 'add', path: 'members', value: [{ value: 'a b' }] }))).toBe('invalidValue');
    expect(scimType(() => ops({ op: 'remove', path: 'displayName' }))).toBe('mutability');
  });
});
