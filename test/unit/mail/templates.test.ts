import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMail, safeSubject } from '../../../shared/mail/templates.js';

describe('mail templates', () => {
  const message = {
    template: 'password_setup' as const,
    to: 'ann@acme.test',
    data: {
      name: '<script>alert(1)</script>',
      orgName: 'Acme\r\nBcc: victim@evil.test',
      link: 'https://app.test/password-reset/tok"en',
      expiresAt: '2026-11-26T10:00:00.000Z',
    },
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
    const mail = renderMail({
      template: 'password_reset',
      to: 'a@b.test',
      data: { name: 'Ann', link: 'https://x.test/r/1', expiresAt: '2026-11-26T10:00:00.000Z' },
    });
    expect(mail.text).toContain('https://x.test/r/1');
    expect(mail.text).toContain('Thu, 26 Nov 2026 10:00:00 GMT');
  });

  it('renders an invitation: inviter, org, optional message, link and expiry, user text escaped', () => {
    const mail = renderMail({
      template: 'invitation',
      to: 'bob@acme.test',
      data: {
        orgName: 'Acme\nBcc: x@evil.test',
        inviterName: '<b>Ann</b>',
        inviterEmail: 'ann@acme.test',
        role: 'member',
        message: 'Join us <img src=x>',
        link: 'https://app.test/invitations/tok',
        expiresAt: '2026-11-26T10:00:00.000Z',
      },
    });
    expect(mail.subject).toBe('<b>Ann</b> invited you to join Acme Bcc: x@evil.test on Roster');
    expect(mail.text).toContain('https://app.test/invitations/tok');
    expect(mail.text).toContain('Join us <img src=x>');
    expect(mail.text).toContain('Thu, 26 Nov 2026 10:00:00 GMT');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;b&gt;Ann&lt;/b&gt; (ann@acme.test)');
    expect(mail.html).toContain('href="https://app.test/invitations/tok"');
    const bare = renderMail({
      template: 'invitation',
      to: 'bob@acme.test',
      data: {
        orgName: 'Acme',
        inviterName: null,
        inviterEmail: 'ann@acme.test',
        role: 'org_admin',
        message: null,
        link: 'https://app.test/invitations/t',
        expiresAt: '2026-11-26T10:00:00.000Z',
      },
    });
    expect(bare.subject).toBe('ann@acme.test invited you to join Acme on Roster');
    expect(bare.text).not.toContain('message');
  });

  it('escapes all five HTML specials', () => expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;'));
});
