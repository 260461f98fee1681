import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import { LAST_ADMIN, MemberPage } from '../src/features/members/pages/member-page';
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
  credentialMail: null,
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

  it("shows the last credential mail's delivery state, with SES's reason when it failed", async () => {
    renderMemberPage(
      member({
        credentialMail: {
          kind: 'password_reset',
          state: 'failed',
          reason: 'MessageRejected: Address blacklisted',
          at: '2026-01-03T10:00:00.000Z',
        },
      }),
    );
    expect(await screen.findByText('Last credential mail')).toBeTruthy();
    expect(screen.getByText(/Password reset: failed \(MessageRejected: Address blacklisted\)/)).toBeTruthy();
  });

  it('leaves them out when the member has none', async () => {
    renderMemberPage(member({}));
    expect(await screen.findByText('adele@contoso.test')).toBeTruthy();
    expect(screen.queryByText('Title')).toBeNull();
    expect(screen.queryByText('Department')).toBeNull();
    expect(screen.queryByText('Last credential mail')).toBeNull();
  });
});

/** The member page of `shown`, in an org with `activeAdminCount` active admins, as the API answers it. */
function renderMemberPageInOrg(shown: Record<string, unknown>, activeAdminCount: number) {
  const { fetchStub } = answerFetch((_method, path) => {
    if (path === '/v1/orgs/org1/members/u1') return { status: 200, body: shown };
    if (path === '/v1/orgs/org1')
      return {
        status: 200,
        body: { orgId: 'org1', name: 'Acme', maxSeats: 25, seatsUsed: 2, memberCount: 2, activeAdminCount },
      };
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

describe('Member page: actions that do not apply are disabled with the reason', () => {
  it("the org's last active admin: Suspend, Remove and the role in Edit are disabled, saying why", async () => {
    renderMemberPageInOrg(member({ role: 'org_admin' }), 1);
    expect(await screen.findByText(`${LAST_ADMIN}.`)).toBeTruthy();
    for (const name of ['Suspend', 'Remove']) {
      const button = screen.getByRole('button', { name });
      expect(button).toHaveProperty('disabled', true);
      expect(button.getAttribute('title')).toBe(LAST_ADMIN);
    }
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit member' });
    expect(within(dialog).getByLabelText('Role')).toHaveProperty('disabled', true);
    expect(within(dialog).getByText(LAST_ADMIN)).toBeTruthy();
  });

  it('an admin while another admin is active: Suspend and Remove apply', async () => {
    renderMemberPageInOrg(member({ role: 'org_admin' }), 2);
    await screen.findByRole('heading', { name: 'Adele Vance' });
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Suspend' })).toHaveProperty('disabled', false));
    expect(screen.getByRole('button', { name: 'Remove' })).toHaveProperty('disabled', false);
    expect(screen.queryByText(`${LAST_ADMIN}.`)).toBeNull();
  });

  it('an SSO user: Reset password and Reset MFA are disabled with the identity provider as the reason', async () => {
    renderMemberPageInOrg(member({ authSource: { kind: 'sso', idp: 'Okta' } }), 1);
    const reason = 'Signs in through SSO (Okta): the identity provider manages the password and MFA';
    expect(await screen.findByText(`${reason}.`)).toBeTruthy();
    for (const name of ['Reset password', 'Reset MFA'])
      expect(screen.getByRole('button', { name }).getAttribute('title')).toBe(reason);
    expect(screen.getByRole('button', { name: 'Reset password' })).toHaveProperty('disabled', true);
    // A plain member is not the last admin, whatever the count.
    expect(screen.getByRole('button', { name: 'Suspend' })).toHaveProperty('disabled', false);
  });
});
