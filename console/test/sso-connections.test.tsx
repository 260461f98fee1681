import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettingsPage } from '../src/features/settings/pages/settings-page';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const org = {
  orgId: 'org1',
  name: 'Acme',
  maxSeats: 25,
  seatsUsed: 2,
  memberCount: 2,
  activeAdminCount: 1,
  settings: {
    autoActivation: false,
    allowedEmailDomains: [],
    mfaRequired: false,
    invitationTtlHours: 168,
    scim: { groupRoles: [], deleteAction: 'deprovision' },
    verifiedDomains: ['sso.acme.test', 'acme.test'],
  },
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
};

interface Body {
  name: string;
  domains: string[];
  oidc: { issuer: string; clientId: string };
  jitProvisioning?: boolean;
  roleMapping?: { defaultRole?: string };
}
/** A connection as the API answers it: the secret is never in it, only whether one is set. */
const connection = (id: string, body: Body) => ({
  connectionId: id,
  orgId: 'org1',
  name: body.name,
  protocol: 'oidc',
  providerName: `oidc-${id}`,
  domains: body.domains,
  oidc: { issuer: body.oidc.issuer, clientId: body.oidc.clientId, scopes: ['openid', 'email'], clientSecretSet: true },
  saml: null,
  attributeMapping: { email: 'email', name: 'name', groups: null },
  roleMapping: { rules: [], defaultRole: body.roleMapping?.defaultRole ?? 'member' },
  jitProvisioning: body.jitProvisioning ?? false,
  updateOnSignIn: false,
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
});

const seeded = connection('c1', {
  name: 'Acme demo IdP',
  domains: ['sso.acme.test'],
  oidc: { issuer: 'http://localhost:8010', clientId: 'roster-local' },
  jitProvisioning: true,
});

function renderSettings() {
  renderWithProviders(
    <Routes>
      <Route path="/orgs/:orgId/settings" element={<SettingsPage />} />
    </Routes>,
    '/orgs/org1/settings',
  );
}

describe('Settings: SSO connections', () => {
  it('lists the connections, adds an OIDC one (the secret sent, never shown back) and edits one', async () => {
    const connections = [seeded];
    const { fetchStub, requests } = answerFetch((method, path, body) => {
      if (path === '/v1/orgs/org1') return { status: 200, body: org };
      if (path.startsWith('/v1/orgs/org1/sso-connections?'))
        return { status: 200, body: { items: connections, nextCursor: null } };
      if (path === '/v1/orgs/org1/sso-connections' && method === 'POST') {
        connections.push(connection('c2', body as Body));
        return { status: 201, body: connections[1] };
      }
      if (path === '/v1/orgs/org1/sso-connections/c1' && method === 'PATCH') {
        const patch = body as Partial<Body>;
        connections[0] = connection('c1', { ...seeded, ...patch, oidc: seeded.oidc! });
        return { status: 200, body: connections[0] };
      }
      return { status: 200, body: { items: [], nextCursor: null } };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderSettings();

    const row = (await screen.findByRole('cell', { name: 'Acme demo IdP' }, { timeout: 5000 })).closest('tr')!;
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Acme demo IdP', 'OIDC', 'sso.acme.test', 'On', 'Member', 'EditDelete']);

    const form = screen.getByRole('form', { name: 'Add OIDC connection' });
    await userEvent.type(within(form).getByRole('textbox', { name: 'Name' }), 'Okta');
    await userEvent.type(within(form).getByRole('textbox', { name: /Issuer/ }), 'https://acme.okta.test');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Client ID' }), 'client-1');
    await userEvent.type(within(form).getByLabelText(/Client secret/), 's3cret-value');
    await userEvent.type(within(form).getByRole('combobox', { name: /Domains/ }), 'Acme.test{enter}');
    await userEvent.click(within(form).getByRole('switch', { name: /Just-in-time provisioning/ }));
    await userEvent.selectOptions(within(form).getByRole('combobox', { name: 'Default role' }), 'Admin');
    await userEvent.click(within(form).getByRole('button', { name: 'Add connection' }));

    expect(await screen.findByText('Connection Okta added.')).toBeTruthy();
    expect(requests.filter((r) => r.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/v1/orgs/org1/sso-connections',
        body: {
          name: 'Okta',
          protocol: 'oidc',
          domains: ['acme.test'],
          oidc: { issuer: 'https://acme.okta.test', clientId: 'client-1', clientSecret: 's3cret-value' },
          jitProvisioning: true,
          roleMapping: { defaultRole: 'org_admin' },
        },
      },
    ]);
    const added = (await screen.findByRole('cell', { name: 'Okta' })).closest('tr')!;
    expect(within(added).getAllByRole('cell')[4]!.textContent).toBe('Admin');
    // Write-only: the secret is nowhere on the page once sent, not even in the emptied form.
    expect(document.body.innerHTML).not.toContain('s3cret-value');
    expect(within(form).getByLabelText(/Client secret/)).toHaveProperty('value', '');

    // Edit: JIT off; an empty new secret is left out (the API keeps the current one).
    await userEvent.click(screen.getByRole('button', { name: 'Edit Acme demo IdP' }));
    const edit = screen.getByRole('form', { name: 'Edit Acme demo IdP' });
    await userEvent.click(within(edit).getByRole('switch', { name: /Just-in-time provisioning/ }));
    await userEvent.click(within(edit).getByRole('button', { name: 'Save connection' }));
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: 'Edit Acme demo IdP' })).toBeNull());
    expect(requests.filter((r) => r.method === 'PATCH')).toEqual([
      {
        method: 'PATCH',
        path: '/v1/orgs/org1/sso-connections/c1',
        body: { domains: ['sso.acme.test'], jitProvisioning: false, roleMapping: { defaultRole: 'member' } },
      },
    ]);
    const edited = (await screen.findByRole('cell', { name: 'Acme demo IdP' })).closest('tr')!;
    await vi.waitFor(() => expect(within(edited).getAllByRole('cell')[3]!.textContent).toBe('Off'));
  });

  it("shows the API's refusal of an unverified domain verbatim, on the field", async () => {
    const detail = 'domains: other.test is not a verified domain of the organization';
    const { fetchStub } = answerFetch((method, path) => {
      if (path === '/v1/orgs/org1') return { status: 200, body: org };
      if (method === 'POST')
        return {
          status: 400,
          contentType: 'application/problem+json',
          body: {
            type: 'about:blank',
            title: 'Invalid request',
            status: 400,
            code: 'validation_failed',
            detail,
            errors: [{ field: 'domains', message: 'other.test is not a verified domain of the organization' }],
          },
        };
      return { status: 200, body: { items: [], nextCursor: null } };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderSettings();
    expect(await screen.findByText('No SSO connections yet.', undefined, { timeout: 5000 })).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Add OIDC connection' });
    await userEvent.type(within(form).getByRole('textbox', { name: 'Name' }), 'Other');
    await userEvent.type(within(form).getByRole('textbox', { name: /Issuer/ }), 'https://idp.other.test');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Client ID' }), 'c');
    await userEvent.type(within(form).getByLabelText(/Client secret/), 'x');
    await userEvent.type(within(form).getByRole('combobox', { name: /Domains/ }), 'other.test{enter}');
    await userEvent.click(within(form).getByRole('button', { name: 'Add connection' }));
    expect(await within(form).findByText(detail)).toBeTruthy();
    expect(within(form).getByText('other.test is not a verified domain of the organization')).toBeTruthy();
  });
});
