import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

/** One message to one person: the only address on it is theirs. */
export interface Mail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Rejects when the SMTP server refuses or cannot be reached. */
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** Notices are not worth holding a request or a shutdown for minutes: fail fast and retry later. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Sends through the SMTP server in SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS from the
 * start), from MAIL_FROM or accord@ the public host. Null when SMTP_URL is unset: Accord then sends
 * no e-mail at all.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'>): Mailer | null {
  if (!config.smtpUrl) return null;
  const transport = nodemailer.createTransport({ url: config.smtpUrl, ...TIMEOUTS });
  // Read when sending: PUBLIC_URL defaults to the address the server listens on, known only once started.
  const from = () => config.mailFrom ?? `Accord <accord@${publicHost(config.publicUrl)}>`;
  return {
    async send(mail) {
      await transport.sendMail({ from: from(), to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    close() {
      transport.close();
    },
  };
}

function publicHost(publicUrl: string | undefined): string {
  try {
    return publicUrl ? new URL(publicUrl).hostname : 'localhost';
  } catch {
    return 'localhost';
  }
}
