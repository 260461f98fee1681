import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrgsPage } from '../src/features/orgs/pages/orgs-page';
import { SettingsPage } from '../src/features/settings/pages/settings-page';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const org = (over: { groupRoles?: { group: string; role: string }[]; verifiedDomains?: string[] } = {}) => ({
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
    scim: { groupRoles: over.groupRoles ?? [], deleteAction: 'deprovision' },
    verifiedDomains: over.verifiedDomains ?? [],
  },
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
});

describe('Settings: SCIM', () => {
  it('shows the SCIM base URL and saves the group → role mapping whole', async () => {
    const { fetchStub, requests } = answerFetch((method, path, body) => {
      if (path === '/v1/orgs/org1' && method === 'PATCH')
        return {
          status: 200,
          body: org({
            groupRoles: (body as { scim: { groupRoles: { group: string; role: string }[] } }).scim.groupRoles,
          }),
        };
      if (path === '/v1/orgs/org1')
        return { status: 200, body: org({ groupRoles: [{ group: 'Roster Admins', role: 'org_admin' }] }) };
      return { status: 200, body: { items: [], nextCursor: null } };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(
      <Routes>
        <Route path="/orgs/:orgId/settings" element={<SettingsPage />} />
      </Routes>,
      '/orgs/org1/settings',
    );
    expect(await screen.findByText(`${window.location.origin}/scim/v2`)).toBeTruthy();
    expect(await screen.findByRole('textbox', { name: 'Group 1' })).toHaveProperty('value', 'Roster Admins');
    await userEvent.click(screen.getByRole('button', { name: 'Add group' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Group 2' }), ' Helpdesk ');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Role for group 2' }), 'Member');
    await userEvent.click(screen.getByRole('button', { name: 'Save group roles' }));
    expect(await screen.findByText('Group roles saved.')).toBeTruthy();
    expect(requests.filter((r) => r.method === 'PATCH')).toEqual([
      {
        method: 'PATCH',
        path: '/v1/orgs/org1',
        body: {
          scim: {
            groupRoles: [
              { group: 'Roster Admins', role: 'org_admin' },
              { group: 'Helpdesk', role: 'member' },
            ],
          },
        },
      },
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Remove group 1' }));
    expect(screen.getByRole('textbox', { name: 'Group 1' })).toHaveProperty('value', 'Helpdesk');
  });

  it("shows the API's refusal of a mapping verbatim", async () => {
    const detail = 'scim.groupRoles: each group may be mapped once';
    const { fetchStub } = answerFetch((method, path) => {
      if (method === 'PATCH')
        return {
          status: 400,
          contentType: 'application/problem+json',
          body: {
            type: 'about:blank',
            title: 'Invalid request',
            status: 400,
            code: 'validation_failed',
            detail,
            errors: [{ field: 'scim.groupRoles', message: 'each group may be mapped once' }],
          },
        };
      if (path === '/v1/orgs/org1')
        return { status: 200, body: org({ groupRoles: [{ group: 'A', role: 'org_admin' }] }) };
      return { status: 200, body: { items: [], nextCursor: null } };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(
      <Routes>
        <Route path="/orgs/:orgId/settings" element={<SettingsPage />} />
      </Routes>,
      '/orgs/org1/settings',
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Save group roles' }));
    expect(await screen.findByText(detail)).toBeTruthy();
  });
});

describe('Orgs (platform operator): verified domains', () => {
  it("replaces the org's verified domains and says what it has now", async () => {
    const { fetchStub, requests } = answerFetch((_method, _path, body) => ({
      status: 200,
      body: org({ verifiedDomains: (body as { verifiedDomains: string[] }).verifiedDomains }),
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<OrgsPage />);
    const form = screen.getByRole('heading', { name: 'Verified domains' }).closest('form')!;
    await userEvent.type(within(form).getByRole('textbox', { name: 'Organization id' }), 'org1');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Verified domains' }), 'Acme.test,\nsso.acme.test');
    await userEvent.click(within(form).getByRole('button', { name: 'Save verified domains' }));
    expect((await within(form).findByRole('status')).textContent).toBe(
      'Acme: verified domains acme.test, sso.acme.test.',
    );
    expect(requests).toEqual([
      { method: 'PATCH', path: '/v1/orgs/org1', body: { verifiedDomains: ['acme.test', 'sso.acme.test'] } },
    ]);
  });

  it('puts a refused domain next to the field', async () => {
    const { fetchStub } = answerFetch(() => ({
      status: 400,
      contentType: 'application/problem+json',
      body: {
        type: 'about:blank',
        title: 'Invalid request',
        status: 400,
        code: 'validation_failed',
        detail: 'verifiedDomains.0: is not a domain',
        errors: [{ field: 'verifiedDomains.0', message: 'is not a domain' }],
      },
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<OrgsPage />);
    const form = screen.getByRole('heading', { name: 'Verified domains' }).closest('form')!;
    await userEvent.type(within(form).getByRole('textbox', { name: 'Organization id' }), 'org1');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Verified domains' }), 'not a domain');
    await userEvent.click(within(form).getByRole('button', { name: 'Save verified domains' }));
    expect(await within(form).findByText(/is not a domain/)).toBeTruthy();
  });
});
