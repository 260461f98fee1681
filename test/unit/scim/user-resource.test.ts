import { describe, expect, it } from 'vitest';
import type { Membership } from '../../../shared/members/membership.js';
import { ScimBadRequestError } from '../../../shared/scim/scim-errors.js';
import { patchOperationsOf } from '../../../shared/scim/patch-operations.js';
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../../../shared/scim/urns.js';
import { applyUserPatch } from '../../../shared/scim/user-patch.js';
import { userResource, userStateFromResource } from '../../../shared/scim/user-resource.js';
import { EMPTY_PROFILE, nameOf, userStateOf, type ScimUserState } from '../../../shared/scim/user-state.js';

const member: Membership = {
  orgId: 'o',
  userId: 'u1',
  name: 'Ann Lee',
  email: 'ann@acme.test',
  role: 'member',
  teamId: null,
  status: 'active',
  source: 'scim',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  lastLoginAt: null,
  lastActiveAt: null,
  version: 3,
};
const state = (over: Partial<ScimUserState> = {}): ScimUserState => ({
  ...EMPTY_PROFILE,
  userName: 'ann@acme.test',
  active: true,
  ...over,
});
const patch = (...Operations: unknown[]) => patchOperationsOf({ schemas: [PATCH_OP_SCHEMA], Operations });

function scimTypeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ScimBadRequestError ? error.scimType : 'not a SCIM error';
  }
  return undefined;
}

describe('SCIM name mapping', () => {
  it('prefers name.formatted, then given + family, then displayName, then the userName before @', () => {
    expect(nameOf(state({ formatted: 'Dr Ann Lee', givenName: 'Ann', familyName: 'Lee' }))).toBe('Dr Ann Lee');
    expect(nameOf(state({ givenName: 'Ann', familyName: 'Lee' }))).toBe('Ann Lee');
    expect(nameOf(state({ givenName: 'Ann' }))).toBe('Ann');
    expect(nameOf(state({ displayName: 'Annie' }))).toBe('Annie');
    expect(nameOf(state())).toBe('ann');
  });

  it('keeps a name an admin changed in Roster as the formatted name when reading back', () => {
    const s = userStateOf(
      { ...member, name: 'Renamed By Admin' },
      { ...EMPTY_PROFILE, givenName: 'Ann', familyName: 'Lee' },
    );
    expect(nameOf(s)).toBe('Renamed By Admin');
    expect(nameOf(userStateOf(member, { ...EMPTY_PROFILE, givenName: 'Ann', familyName: 'Lee' }))).toBe('Ann Lee');
  });

  it('reads a POSTed User: userName is the email, active defaults to true, enterprise department and manager kept', () => {
    const s = userStateFromResource({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'ann@acme.test',
      externalId: '00u1',
      name: { givenName: 'Ann', familyName: 'Lee' },
      emails: [{ value: 'ann@acme.test', type: 'work', primary: true }],
      locale: 'en-US',
      [ENTERPRISE_USER_SCHEMA]: { department: 'R&D', manager: { value: 'm1' } },
    });
    expect(s).toEqual({
      ...EMPTY_PROFILE,
      userName: 'ann@acme.test',
      active: true,
      externalId: '00u1',
      givenName: 'Ann',
      familyName: 'Lee',
      department: 'R&D',
      manager: 'm1',
    });
  });

  it('refuses a User body without the core User schema (invalidSyntax) or without a userName (invalidValue)', () => {
    expect(scimTypeOf(() => userStateFromResource({ schemas: ['urn:example:Other'], userName: 'a@b.c' }))).toBe(
      'invalidSyntax',
    );
    expect(scimTypeOf(() => userStateFromResource({ userName: 'a@b.c' }))).toBe('invalidSyntax');
    expect(scimTypeOf(() => userStateFromResource({ schemas: [USER_SCHEMA] }))).toBe('invalidValue');
    expect(
      scimTypeOf(() => userStateFromResource({ schemas: [USER_SCHEMA], userName: 'a@b.c', active: 'maybe' })),
    ).toBe('invalidValue');
  });

  it('renders the resource with id, one work email, active and meta', () => {
    const r = userResource(member, { ...EMPTY_PROFILE, externalId: 'e1' }, 'https://api.test/scim/v2');
    expect(r).toMatchObject({
      schemas: [USER_SCHEMA],
      id: 'u1',
      externalId: 'e1',
      userName: 'ann@acme.test',
      name: { formatted: 'Ann Lee' },
      emails: [{ value: 'ann@acme.test', type: 'work', primary: true }],
      active: true,
      meta: {
        resourceType: 'User',
        created: member.createdAt,
        lastModified: member.updatedAt,
        location: 'https://api.test/scim/v2/Users/u1',
        version: 'W/"3"',
      },
    });
    expect(userResource({ ...member, status: 'deprovisioned' }, undefined, '').active).toBe(false);
  });
});

describe('SCIM PATCH normalisation', () => {
  it('accepts op names in any letter case', () => {
    expect(
      patch(
        { op: 'Replace', path: 'active', value: false },
        { op: 'ADD', path: 'displayName', value: 'A' },
        { op: 'remove', path: 'externalId' },
      ).map((o) => o.op),
    ).toEqual(['replace', 'add', 'remove']);
  });

  it('refuses a body that is not a PatchOp, an unknown op, or no operations', () => {
    expect(scimTypeOf(() => patchOperationsOf({ Operations: [{ op: 'replace', path: 'active', value: false }] }))).toBe(
      'invalidSyntax',
    );
    expect(scimTypeOf(() => patch({ op: 'move', path: 'active' }))).toBe('invalidSyntax');
    expect(scimTypeOf(() => patchOperationsOf({ schemas: [PATCH_OP_SCHEMA], Operations: [] }))).toBe('invalidSyntax');
  });

  it('reads active as a boolean or the strings "True"/"False"', () => {
    expect(applyUserPatch(state(), patch({ op: 'replace', path: 'active', value: false })).active).toBe(false);
    expect(
      applyUserPatch(state({ active: false }), patch({ op: 'Replace', path: 'active', value: 'True' })).active,
    ).toBe(true);
    expect(applyUserPatch(state(), patch({ op: 'replace', path: 'active', value: 'False' })).active).toBe(false);
    expect(scimTypeOf(() => applyUserPatch(state(), patch({ op: 'replace', path: 'active', value: 'nope' })))).toBe(
      'invalidValue',
    );
  });

  it('applies path-less values (Entra), nested name and the enterprise extension, ignoring attributes Roster does not hold', () => {
    const next = applyUserPatch(
      state(),
      patch({
        op: 'Replace',
        value: {
          active: 'False',
          'name.givenName': 'Annie',
          name: { familyName: 'Li' },
          displayName: 'AL',
          title: 'Eng',
          [ENTERPRISE_USER_SCHEMA]: { department: 'Ops' },
        },
      }),
    );
    expect(next).toMatchObject({
      active: false,
      givenName: 'Annie',
      familyName: 'Li',
      displayName: 'AL',
      department: 'Ops',
    });
    expect(nameOf(next)).toBe('Annie Li');
  });

  it('applies value paths: work email, name parts, userName, externalId, enterprise attributes', () => {
    const next = applyUserPatch(
      state({ formatted: 'Old Name' }),
      patch(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@acme.test' },
        { op: 'replace', path: 'name.givenName', value: 'Ann' },
        { op: 'add', path: 'name.familyName', value: 'Lee' },
        { op: 'add', path: 'externalId', value: 'e9' },
        { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: { value: 'boss' } },
      ),
    );
    // Roster has one address, the userName: a work email written apart is kept beside it, never re-keys the user.
    expect(next).toMatchObject({
      userName: 'ann@acme.test',
      workEmail: 'new@acme.test',
      givenName: 'Ann',
      familyName: 'Lee',
      externalId: 'e9',
      manager: 'boss',
      formatted: null,
    });
    expect(nameOf(next)).toBe('Ann Lee');
    expect(applyUserPatch(state(), patch({ op: 'replace', path: 'userName', value: 'x@acme.test' })).userName).toBe(
      'x@acme.test',
    );
  });

  it('removes optional attributes, refuses to remove userName or active, and refuses unknown paths', () => {
    expect(
      applyUserPatch(state({ externalId: 'e1' }), patch({ op: 'remove', path: 'externalId' })).externalId,
    ).toBeNull();
    expect(scimTypeOf(() => applyUserPatch(state(), patch({ op: 'remove', path: 'userName' })))).toBe('mutability');
    expect(scimTypeOf(() => applyUserPatch(state(), patch({ op: 'replace', path: 'nickName', value: 'x' })))).toBe(
      'invalidPath',
    );
    expect(scimTypeOf(() => applyUserPatch(state(), patch({ op: 'remove' })))).toBe('noTarget');
  });
});
