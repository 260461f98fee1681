import type { RenderedMail } from './templates.js';

/** Sends one rendered mail; SES in AWS and locally (through the SES emulator). */
export interface MailSender {
  send(to: string, mail: RenderedMail): Promise<void>;
}
