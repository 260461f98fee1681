import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MemberRow } from '../src/features/members/api/members';
import { BulkRoleBar } from '../src/features/members/components/bulk-role-bar';
import { MembersTable } from '../src/features/members/components/members-table';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const row = (userId: string, name: string): MemberRow => ({
  orgId: 'org1',
  userId,
  name,
  email: `${userId}@acme.test`,
  role: 'member',
  teamId: null,
  status: 'active',
  source: 'manual',
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
  lastLoginAt: null,
  lastActiveAt: null,
  pendingEmail: null,
  managed: true,
  authSource: { kind: 'password' },
});

/** The members page's wiring of table and bar: a selection both share. */
function SelectableMembers({ rows }: { rows: MemberRow[] }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const onChange = (ids: string[], on: boolean) =>
    setSelected((s) => new Set(on ? [...s, ...ids] : [...s].filter((id) => !ids.includes(id))));
  return (
    <>
      <BulkRoleBar orgId="org1" selected={[...selected]} onDone={() => setSelected(new Set())} />
      <MembersTable
        orgId="org1"
        rows={rows}
        teamNames={new Map()}
        sort="name"
        order="asc"
        onSort={() => {}}
        selection={{ selected, onChange }}
      />
    </>
  );
}

describe('Members: row selection and bulk role change', () => {
  it('selects rows, sends their ids with the new role, then reports the change and clears the selection', async () => {
    const { fetchStub, requests } = answerFetch(() => ({ status: 200, body: { changed: ['u1'], unchanged: ['u2'] } }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<SelectableMembers rows={[row('u1', 'Ada'), row('u2', 'Grace'), row('u3', 'Linus')]} />);
    expect(screen.queryByRole('button', { name: 'Change role' })).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Ada' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Grace' }));
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect(screen.getByText(/At most 19 members per change/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change role' })).toHaveProperty('disabled', true);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'New role' }), 'Admin');
    await userEvent.click(screen.getByRole('button', { name: 'Change role' }));
    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      'Role changed for 1 member; 1 already had it.',
    );
    expect(requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: '/v1/orgs/org1/members/bulk-role', body: { userIds: ['u1', 'u2'], role: 'org_admin' } },
    ]);
    expect(screen.getByRole('checkbox', { name: 'Select Ada' })).toHaveProperty('checked', false);
  });

  it('refuses more than the limit before asking the API, saying how many to unselect', async () => {
    const rows = Array.from({ length: 21 }, (_, i) => row(`u${i}`, `Person ${i}`));
    renderWithProviders(<SelectableMembers rows={rows} />);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select every member on this page' }));
    expect(screen.getByText('21 selected')).toBeTruthy();
    expect(screen.getByText(/21 are selected, unselect 2/)).toBeTruthy();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'New role' }), 'Member');
    expect(screen.getByRole('button', { name: 'Change role' })).toHaveProperty('disabled', true);
  });

  it("shows the API's refusal (the last admin) verbatim and keeps the selection", async () => {
    const detail = 'An organization must keep at least one active org_admin';
    const { fetchStub } = answerFetch(() => ({
      status: 409,
      body: { type: 'about:blank', title: 'Conflict', status: 409, code: 'last_admin', detail },
      contentType: 'application/problem+json',
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<SelectableMembers rows={[row('u1', 'Ada')]} />);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Ada' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'New role' }), 'Member');
    await userEvent.click(screen.getByRole('button', { name: 'Change role' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', detail);
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Select Ada' })).toHaveProperty('checked', true));
  });
});
