import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';

const run = promisify(execFile);

/**
 * A self-signed certificate for 127.0.0.1 (node has no generator built in). openssl is part of
 * the machine's base system; without it this fails saying so instead of skipping.
 */
export async function selfSignedCert(dir: string): Promise<{ keyFile: string; certFile: string; key: string; cert: string }> {
  const keyFile = join(dir, 'smtp-key.pem');
  const certFile = join(dir, 'smtp-cert.pem');
  try {
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  } catch (e) {
    throw new Error(`cannot create a test certificate with openssl (apt-get install -y openssl): ${(e as Error).message}`);
  }
  return { keyFile, certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The session had been upgraded with STARTTLS when the message came. */
  secure: boolean;
  user: string | null;
  raw: string;
}

export interface SmtpSink {
  messages: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on loopback: STARTTLS offered, AUTH only after it (smtp-server's default). */
export async function startSmtpServer(port: number, tls: { key: string; cert: string }, login: { user: string; pass: string }): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === login.user && auth.password === login.pass) cb(null, { user: auth.username });
      else cb(new Error('535 authentication failed'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: (session.user as string | undefined) ?? null,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
