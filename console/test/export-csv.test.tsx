import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportCsvButton } from '../src/features/members/components/export-csv-button';
import { answerFetch, renderWithProviders } from './render';

afterEach(() => vi.unstubAllGlobals());

const tooLarge = {
  status: 413,
  contentType: 'application/problem+json',
  body: {
    type: 'about:blank',
    title: 'Payload too large',
    status: 413,
    code: 'export_too_large',
    detail: 'The member list is too large for a direct download; use POST /v1/orgs/org1/member-exports',
  },
};

describe('Export CSV', () => {
  it('an org too large for the direct download gets the asynchronous export: progress, then the download link', async () => {
    let polls = 0;
    const { fetchStub, requests } = answerFetch((method, path) => {
      if (path === '/v1/orgs/org1/members/export') return tooLarge;
      if (method === 'POST' && path === '/v1/orgs/org1/member-exports')
        return { status: 202, body: { exportId: 'x1', status: 'queued', createdAt: '2026-12-07T00:00:00.000Z' } };
      polls += 1;
      const base = {
        exportId: 'x1',
        createdAt: '2026-12-07T00:00:00.000Z',
        completedAt: null,
        rowCount: null,
        sizeBytes: null,
        failureReason: null,
        download: null,
      };
      if (polls < 2) return { status: 200, body: { ...base, status: 'running' } };
      return {
        status: 200,
        body: {
          ...base,
          status: 'ready',
          completedAt: '2026-12-07T00:00:05.000Z',
          rowCount: 20001,
          sizeBytes: 2_000_000,
          download: { url: 'https://exports.example/x1.csv?sig=abc', expiresAt: '2026-12-07T00:15:05.000Z' },
        },
      };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<ExportCsvButton orgId="org1" />);
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/exporting in the background/);
    expect(screen.getByRole('progressbar', { name: 'Export progress' })).toBeTruthy();
    const link = await screen.findByRole('link', { name: 'Download members.csv' }, { timeout: 5000 });
    expect(link.getAttribute('href')).toBe('https://exports.example/x1.csv?sig=abc');
    expect(screen.getByRole('status').textContent).toBe('Export ready: 20001 members.');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(requests.map((r) => `${r.method} ${r.path}`).slice(0, 3)).toEqual([
      'GET /v1/orgs/org1/members/export',
      'POST /v1/orgs/org1/member-exports',
      'GET /v1/orgs/org1/member-exports/x1',
    ]);
  });

  it("a failed export shows the API's reason", async () => {
    const { fetchStub } = answerFetch((method, path) => {
      if (path === '/v1/orgs/org1/members/export') return tooLarge;
      if (method === 'POST')
        return { status: 202, body: { exportId: 'x2', status: 'queued', createdAt: '2026-12-07T00:00:00.000Z' } };
      return {
        status: 200,
        body: {
          exportId: 'x2',
          status: 'failed',
          createdAt: '2026-12-07T00:00:00.000Z',
          completedAt: null,
          rowCount: null,
          sizeBytes: null,
          failureReason: 'The file could not be written; request a new one',
          download: null,
        },
      };
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<ExportCsvButton orgId="org1" />);
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The file could not be written; request a new one');
  });

  it('another refusal of the direct download is shown verbatim, and no export is queued', async () => {
    const { fetchStub, requests } = answerFetch(() => ({
      status: 403,
      contentType: 'application/problem+json',
      body: { type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden', detail: 'You may not do this' },
    }));
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<ExportCsvButton orgId="org1" />);
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You may not do this');
    expect(requests).toHaveLength(1);
  });
});
