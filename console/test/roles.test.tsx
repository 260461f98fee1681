import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BulkRoleBar } from '../src/features/members/components/bulk-role-bar';
import { RolesSection } from '../src/features/roles/components/roles-section';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const PERMISSIONS = ['org:manage', 'members:read', 'members:manage', 'invitations:manage'];
const builtIns = [
  { key: 'org_admin', name: 'Admin', description: null, permissions: PERMISSIONS, builtIn: true, holders: null },
  { key: 'member', name: 'Member', description: null, permissions: [], builtIn: true, holders: null },
];
const author = {
  key: 'author',
  name: 'Author',
  description: null,
  permissions: ['app:publish'],
  builtIn: false,
  holders: 0,
};

describe('Settings: Roles', () => {
  it('lists the roles, creates one from permissions and app permissions, deletes one after confirmation', async () => {
    let custom = [author];
    const { fetchStub, requests } = answerFetch((method, path, body) => {
      if (method === 'POST') {
        const created = { ...(body as typeof author), description: null, builtIn: false, holders: 0 };
        custom = [...custom, created];
        return { status: 201, body: created };
      }
      if (method === 'DELETE') {
        custom = custom.filter((r) => !path.endsWith(`/${r.key}`));
        return { status: 204 };
      }
      return { status: 200, body: { items: [...builtIns, ...custom], permissions: PERMISSIONS } };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<RolesSection orgId="org1" />);

    const table = await screen.findByRole('table');
    expect(within(table).getByText('Author')).toBeTruthy();
    expect(within(table).getByText('app:publish')).toBeTruthy();
    expect(within(table).getAllByText('Built in')).toHaveLength(2);

    await userEvent.click(screen.getByRole('button', { name: 'Create role' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Key/ }), 'member_manager');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Member manager');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'members:read' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'members:manage' }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /App permissions/ }), 'app:review');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('Member manager')).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')).toEqual({
      method: 'POST',
      path: '/v1/orgs/org1/roles',
      body: {
        key: 'member_manager',
        name: 'Member manager',
        permissions: ['members:read', 'members:manage', 'app:review'],
      },
    });

    await userEvent.click(screen.getByRole('button', { name: 'Delete Author' }));
    const confirm = await screen.findByRole('dialog');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await vi.waitFor(() => expect(screen.queryByText('Author')).toBeNull());
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/v1/orgs/org1/roles/author']);
  }, 90_000);

  it('disables Delete for a role members hold, saying why', async () => {
    const { fetchStub } = answerFetch(() => ({
      status: 200,
      body: { items: [...builtIns, { ...author, holders: 2 }], permissions: PERMISSIONS },
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<RolesSection orgId="org1" />);
    const button = await screen.findByRole('button', { name: 'Delete Author' });
    expect(button).toHaveProperty('disabled', true);
    expect(button.getAttribute('title')).toBe('Held by 2 members');
  });

  it("shows the API's refusal verbatim next to the field", async () => {
    const { fetchStub } = answerFetch((method) =>
      method === 'POST'
        ? {
            status: 400,
            contentType: 'application/problem+json',
            body: {
              type: 'about:blank',
              title: 'Invalid request',
              status: 400,
              detail: 'key: is the key of a built-in role',
              code: 'validation_failed',
              errors: [{ field: 'key', message: 'is the key of a built-in role' }],
            },
          }
        : { status: 200, body: { items: builtIns, permissions: PERMISSIONS } },
    );
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<RolesSection orgId="org1" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Create role' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Key/ }), 'org_admin');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Fake');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('is the key of a built-in role')).toBeTruthy();
  }, 60_000);
});

describe('Role selects', () => {
  it("offer the org's roles from the API", async () => {
    const { fetchStub } = answerFetch(() => ({
      status: 200,
      body: { items: [...builtIns, author], permissions: PERMISSIONS },
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<BulkRoleBar orgId="org1" selected={['u1']} onDone={() => undefined} />);
    const select = await screen.findByRole('combobox', { name: 'New role' });
    expect(await within(select).findByRole('option', { name: 'Author' })).toBeTruthy();
    expect(within(select).getByRole('option', { name: 'Admin' })).toBeTruthy();
  });
});
