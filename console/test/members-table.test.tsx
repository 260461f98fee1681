import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { MemberRow } from '../src/features/members/api/members';
import { MembersTable } from '../src/features/members/components/members-table';
import { renderWithProviders } from './render';

const row = (over: Partial<MemberRow>): MemberRow => ({
  orgId: 'org1',
  userId: 'u1',
  name: 'Ada Lovelace',
  email: 'ada@acme.test',
  role: 'member',
  teamId: 't1',
  status: 'suspended',
  source: 'manual',
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
  lastLoginAt: null,
  lastActiveAt: null,
  pendingEmail: null,
  managed: true,
  authSource: { kind: 'password' },
  ...over,
});

describe('Members table', () => {
  it('has the contract columns, a row per member with team name, role and status', () => {
    renderWithProviders(
      <MembersTable
        orgId="org1"
        rows={[row({})]}
        teamNames={new Map([['t1', 'Ops']])}
        sort="name"
        order="asc"
        onSort={() => {}}
      />,
    );
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent?.replace(/[▲▼]/g, '').trim());
    expect(headers).toEqual(['Name', 'Email', 'Team', 'Role', 'Status', 'Last login', 'Created']);
    expect(screen.getByRole('link', { name: 'Ada Lovelace' }).getAttribute('href')).toBe('/orgs/org1/members/u1');
    expect(screen.getByRole('cell', { name: 'Ops' })).toBeTruthy();
    expect(screen.getByText('SUSPENDED')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('sorts by a header when it is pressed, and says when nothing matches', async () => {
    const onSort = vi.fn();
    renderWithProviders(
      <MembersTable orgId="org1" rows={[]} teamNames={new Map()} sort="name" order="asc" onSort={onSort} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Last login' }));
    expect(onSort).toHaveBeenCalledWith('lastLoginAt');
    expect(screen.getByText('No members match.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Team' })).toBeNull();
  });
});
