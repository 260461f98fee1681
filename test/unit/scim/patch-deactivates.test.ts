import { describe, expect, it } from 'vitest';
import type { PatchOperation } from '../../../shared/scim/patch-operations.js';
import { patchDeactivates } from '../../../shared/scim/user-patch.js';

const deactivates = (...operations: PatchOperation[]) => patchDeactivates(operations);

describe('patchDeactivates (a deactivation reads the user’s other memberships with the member)', () => {
  it('sees active=false with a path, in a path-less value object, and as the string Entra sends', () => {
    expect(deactivates({ op: 'replace', path: 'active', value: false })).toBe(true);
    expect(deactivates({ op: 'replace', value: { active: false } })).toBe(true);
    expect(
      deactivates({ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:active', value: 'False' }),
    ).toBe(true);
    expect(deactivates({ op: 'add', value: { displayName: 'X', Active: 'false' } })).toBe(true);
    expect(
      deactivates(
        { op: 'replace', path: 'name.givenName', value: 'X' },
        { op: 'replace', path: 'active', value: false },
      ),
    ).toBe(true);
  });

  it('is false for activation, other attributes, removes and values applyUserPatch refuses', () => {
    expect(deactivates({ op: 'replace', path: 'active', value: true })).toBe(false);
    expect(deactivates({ op: 'replace', value: { active: 'True', displayName: 'X' } })).toBe(false);
    expect(deactivates({ op: 'replace', path: 'name.givenName', value: 'false' })).toBe(false);
    expect(deactivates({ op: 'remove', path: 'active' })).toBe(false);
    expect(deactivates({ op: 'replace', path: 'active', value: 0 })).toBe(false);
    expect(deactivates({ op: 'replace', value: 'active' })).toBe(false);
  });
});
