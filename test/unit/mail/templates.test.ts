import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMail, safeSubject } from '../../../shared/mail/templates.js';

describe('mail templates', () => {
  const message = {
    template: 'password_setup' as const,
    to: 'ann@acme.test',
    data: { name: '<script>alert(1)</script>', orgName: 'Acme\r\nBcc: victim@evil.test', link: 'https://app.test/password-reset/tok"en', expiresAt: '2026-11-26T10:00:00.000Z' },
  };

  it('escapes user-controlled text in the HTML part', () => {
    const mail = renderMail(message);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('href="https://app.test/password-reset/tok&quot;en"');
  });

  it('keeps header breaks out of the subject', () => {
    expect(renderMail(message).subject).toBe('Set your Roster password for Acme Bcc: victim@evil.test');
    expect(safeSubject('a\nb\u2028c')).toBe('a b c');
  });

  it('puts the link and the expiry in the text part', () => {
    const mail = renderMail({ template: 'password_reset', to: 'a@b.test', data: { name: 'Ann', link: 'https://x.test/r/1', expiresAt: '2026-11-26T10:00:00.000Z' } });
    expect(mail.text).toContain('https://x.test/r/1');
    expect(mail.text).toContain('Thu, 26 Nov 2026 10:00:00 GMT');
  });

  it('escapes all five HTML specials', () => expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;'));
});
