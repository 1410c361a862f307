import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives: STARTTLS with a
 * certificate made for the test by openssl, AUTH PLAIN/LOGIN required, messages kept raw.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** The session was TLS when the message came (after STARTTLS). */
  secure: boolean;
  user: string | undefined;
}

export interface SmtpSink {
  port: number;
  caFile: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/** A self-signed certificate for localhost / 127.0.0.1; the client trusts it as its CA. */
export function makeCertificate(dir: string): { key: string; cert: string } {
  if (!existsSync('/usr/bin/openssl')) throw new Error('/usr/bin/openssl is missing: install openssl (apt-get install -y openssl)');
  const key = join(dir, 'smtp-key.pem');
  const cert = join(dir, 'smtp-cert.pem');
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { key, cert };
}

export async function startSmtpSink(opts: { port: number; dir: string; user: string; password: string; starttls?: boolean }): Promise<SmtpSink> {
  const { key, cert } = makeCertificate(opts.dir);
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    key: readFileSync(key),
    cert: readFileSync(cert),
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: opts.starttls === false ? ['STARTTLS'] : [],
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.password) cb(null, { user: auth.username });
      else cb(new Error('invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  // Port 0 asks the kernel for a free one: the port the sink really has is what callers use.
  const bound = (server.server.address() as { port: number } | null)?.port ?? opts.port;
  return { port: bound, caFile: cert, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
