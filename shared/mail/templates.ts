import type { MailMessage } from './outbox.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A subject line cannot carry a header break, whatever a user named their org. */
export function safeSubject(value: string): string {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .trim()
    .slice(0, 200);
}

const expiry = (iso: string) => new Date(iso).toUTCString();

function layout(paragraphs: string[], link: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  return `<!doctype html><html><body style="font-family:sans-serif">${body}<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p></body></html>`;
}

/** Renders a queued mail: plain text and HTML, user-controlled text escaped in the HTML. */
export function renderMail(message: MailMessage): RenderedMail {
  switch (message.template) {
    case 'password_setup': {
      const { name, orgName, link, expiresAt } = message.data;
      const lines = [
        `Hello ${name},`,
        `You are the administrator of ${orgName} on Roster. Set your password to sign in.`,
        `This link works once, until ${expiry(expiresAt)}.`,
      ];
      return {
        subject: safeSubject(`Set your Roster password for ${orgName}`),
        text: `${lines.join('\n\n')}\n\n${link}\n`,
        html: layout(lines, { href: link, label: 'Set your password' }),
      };
    }
    case 'password_reset': {
      const { name, link, expiresAt } = message.data;
      const lines = [
        `Hello ${name},`,
        'An administrator asked Roster to let you choose a new password. Your current password keeps working until you do.',
        `This link works once, until ${expiry(expiresAt)}.`,
      ];
      return {
        subject: 'Reset your Roster password',
        text: `${lines.join('\n\n')}\n\n${link}\n`,
        html: layout(lines, { href: link, label: 'Choose a new password' }),
      };
    }
    case 'email_confirmation': {
      const { name, orgName, link, expiresAt } = message.data;
      const lines = [
        `Hello ${name},`,
        `${orgName} asked Roster to change your sign-in email to this address. Nothing changes unless you confirm.`,
        `This link works once, until ${expiry(expiresAt)}.`,
      ];
      return {
        subject: 'Confirm your new Roster email address',
        text: `${lines.join('\n\n')}\n\n${link}\n`,
        html: layout(lines, { href: link, label: 'Confirm this address' }),
      };
    }
    case 'invitation': {
      const { orgName, inviterName, inviterEmail, role, message: note, link, expiresAt } = message.data;
      const inviter = inviterName ? `${inviterName} (${inviterEmail})` : inviterEmail;
      const lines = [
        `${inviter} invited you to join ${orgName} on Roster as ${role}.`,
        ...(note ? [`Their message: ${note}`] : []),
        `This link works once, until ${expiry(expiresAt)}.`,
      ];
      return {
        subject: safeSubject(`${inviterName ?? inviterEmail} invited you to join ${orgName} on Roster`),
        text: `${lines.join('\n\n')}\n\n${link}\n`,
        html: layout(lines, { href: link, label: 'Accept the invitation' }),
      };
    }
  }
}
