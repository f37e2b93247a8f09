import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server received it, decoded enough to read. */
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  recipients: string[];
  /** Every header, names lower-cased, encoded words decoded. */
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
  /** The message as sent over the wire. */
  raw: string;
}

export interface SmtpSink {
  port: number;
  /** smtp://user:pass@127.0.0.1:port, the credentials this sink accepts. */
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export const SMTP_USER = 'accord';
export const SMTP_PASSWORD = 'mail-relay-secret';

/**
 * A real SMTP server (the smtp-server package) on an ephemeral port that keeps what it receives
 * in memory. Plain SMTP without STARTTLS, as a relay on a private network would be; a login is
 * optional, and when given must be the one in `url`. Pass `port` to listen again where a closed
 * one was.
 */
export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Accord talks to it over plain SMTP on the loopback interface.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- A small MIME reader: enough for what nodemailer writes (multipart/alternative, QP or base64) ----

function splitHead(raw: string): { head: string; body: string } {
  const cut = raw.indexOf('\r\n\r\n');
  return cut < 0 ? { head: raw, body: '' } : { head: raw.slice(0, cut), body: raw.slice(cut + 4) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

function parseMail(raw: string, recipients: string[]): ReceivedMail {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const parts: Array<{ type: string; content: string }> = [];
  const collect = (h: Map<string, string>, b: string) => {
    const type = h.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.toLowerCase().startsWith('multipart/') && boundary) {
      for (const chunk of b.split(`--${boundary}`).slice(1)) {
        if (chunk.startsWith('--')) break;
        const part = splitHead(chunk.replace(/^\r\n/, ''));
        collect(parseHeaders(part.head), part.body.replace(/\r\n$/, ''));
      }
    } else {
      parts.push({ type: type.split(';')[0]!.trim().toLowerCase(), content: decodeBody(h, b) });
    }
  };
  collect(headers, body);
  return {
    recipients,
    headers,
    subject: headers.get('subject') ?? '',
    text: parts.find((p) => p.type === 'text/plain')?.content.replace(/\r\n/g, '\n') ?? '',
    html: parts.find((p) => p.type === 'text/html')?.content.replace(/\r\n/g, '\n') ?? '',
    raw,
  };
}
