import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import { MemberPage } from '../src/features/members/pages/member-page';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const member = (over: Record<string, unknown>) => ({
  orgId: 'org1',
  userId: 'u1',
  name: 'Adele Vance',
  email: 'adele@contoso.test',
  role: 'member',
  teamId: null,
  status: 'active',
  source: 'scim',
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
  lastLoginAt: null,
  lastActiveAt: null,
  pendingEmail: null,
  managed: true,
  authSource: { kind: 'password' },
  title: null,
  department: null,
  ...over,
});

function renderMemberPage(answer: Record<string, unknown>) {
  const { fetchStub } = answerFetch((_method, path) => {
    if (path === '/v1/orgs/org1/members/u1') return { status: 200, body: answer };
    return { status: 200, body: { items: [], nextCursor: null } };
  });
  vi.stubGlobal('fetch', fetchStub);
  renderWithProviders(
    <Routes>
      <Route path="/orgs/:orgId/members/:userId" element={<MemberPage />} />
    </Routes>,
    '/orgs/org1/members/u1',
  );
}

describe('Member page', () => {
  it('shows the title and department the IdP provisioned', async () => {
    renderMemberPage(member({ title: 'Retail Manager', department: 'Retail' }));
    expect(await screen.findByText('Retail Manager')).toBeTruthy();
    expect(screen.getByText('Title')).toBeTruthy();
    expect(screen.getByText('Department')).toBeTruthy();
    expect(screen.getByText('Retail')).toBeTruthy();
  });

  it('leaves them out when the member has none', async () => {
    renderMemberPage(member({}));
    expect(await screen.findByText('adele@contoso.test')).toBeTruthy();
    expect(screen.queryByText('Title')).toBeNull();
    expect(screen.queryByText('Department')).toBeNull();
  });
});
