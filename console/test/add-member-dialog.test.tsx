import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AddMemberDialog } from '../src/features/members/components/add-member-dialog';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const problem = (status: number, code: string, detail: string, errors?: { field: string; message: string }[]) => ({
  type: `https://roster.dev/problems/${code}`,
  title: 'Problem',
  status,
  code,
  detail,
  ...(errors ? { errors } : {}),
});

describe('Add member dialog', () => {
  it('sends Name, Email, Role and Team as the API body and closes on 201', async () => {
    const { fetchStub, requests } = answerFetch(() => ({ status: 201, body: { userId: 'u1' } }));
    vi.stubGlobal('fetch', fetchStub);
    const onClose = vi.fn();
    renderWithProviders(
      <AddMemberDialog orgId="org1" opened onClose={onClose} teams={[{ value: 't1', label: 'Ops' }]} />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Add member' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Name' }), ' Ada Lovelace ');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'ada@acme.test');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.filter((r) => r.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/v1/orgs/org1/members',
        body: { name: 'Ada Lovelace', email: 'ada@acme.test', role: 'member', teamId: null },
      },
    ]);
  });

  it("shows the seat-limit problem's detail verbatim and stays open", async () => {
    const { fetchStub } = answerFetch(() => ({
      status: 409,
      body: problem(409, 'seat_limit_reached', 'Seat limit reached (25)'),
      contentType: 'application/problem+json',
    }));
    vi.stubGlobal('fetch', fetchStub);
    const onClose = vi.fn();
    renderWithProviders(<AddMemberDialog orgId="org1" opened onClose={onClose} teams={[]} />);
    const dialog = await screen.findByRole('dialog', { name: 'Add member' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Ada');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'ada@acme.test');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(await within(dialog).findByRole('alert')).toHaveProperty('textContent', 'Seat limit reached (25)');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('puts a field problem next to its field', async () => {
    const { fetchStub } = answerFetch(() => ({
      status: 400,
      body: problem(400, 'validation_failed', 'email: must be an email address', [
        { field: 'email', message: 'must be an email address' },
      ]),
      contentType: 'application/problem+json',
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<AddMemberDialog orgId="org1" opened onClose={() => {}} teams={[]} />);
    const dialog = await screen.findByRole('dialog', { name: 'Add member' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Ada');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'not-an-email');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    const email = within(dialog).getByRole('textbox', { name: 'Email' });
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText('must be an email address')).toBeTruthy();
  });
});
