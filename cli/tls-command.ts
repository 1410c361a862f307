import type { Command } from 'commander';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { generate } from 'selfsigned';

export interface SelfSigned {
  cert: string;
  key: string;
  /** base64 SHA-256 of the SubjectPublicKeyInfo: what browsers and HPKP-style pins name. */
  spkiSha256: string;
}

/** SHA-256 of a certificate's public key (SPKI, DER), base64: Chromium's pin format. */
export function spkiSha256(certPem: string): string {
  return createHash('sha256').update(createPublicKey(certPem).export({ type: 'spki', format: 'der' })).digest('base64');
}

/**
 * A first certificate for demarc's built-in HTTPS, for the names and addresses clients use.
 * Clients trust it by pinning it (Node: `ca`; a browser: import it, or pin its SPKI), not by
 * switching verification off. Replace it with one from the organisation's CA for production.
 */
export async function makeSelfSigned(hosts: readonly string[], days: number): Promise<SelfSigned> {
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    ],
  });
  return { cert: pems.cert, key: pems.private, spkiSha256: spkiSha256(pems.cert) };
}

/** `demarc tls self-signed`: writes cert.pem and key.pem (0600) for api.tls. */
export function registerTlsCommands(program: Command): void {
  const tls = program.command('tls').description('certificates for the built-in HTTPS');
  tls
    .command('self-signed')
    .description('make a self-signed certificate and key for api.tls (for a first start; use your CA for production)')
    .option('--cert <file>', 'certificate to write', 'var/tls/cert.pem')
    .option('--key <file>', 'private key to write (mode 0600)', 'var/tls/key.pem')
    .option('--host <name...>', 'DNS names and IP addresses the clients connect to', ['localhost', '127.0.0.1', '::1'])
    .option('--days <n>', 'validity in days', '365')
    .option('--force', 'overwrite existing files', false)
    .action(async (o: { cert: string; key: string; host: string[]; days: string; force: boolean }) => {
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error(`--days must be a whole number of days between 1 and 3650, not "${o.days}"`);
      const certPath = resolve(o.cert);
      const keyPath = resolve(o.key);
      for (const p of [certPath, keyPath]) if (existsSync(p) && !o.force) throw new Error(`${p} exists; pass --force to replace it`);
      const made = await makeSelfSigned(o.host, days);
      for (const p of [certPath, keyPath]) mkdirSync(dirname(p), { recursive: true });
      writeFileSync(certPath, made.cert);
      writeFileSync(keyPath, made.key, { mode: 0o600 });
      process.stdout.write(
        `wrote ${certPath} and ${keyPath} for ${o.host.join(', ')}, valid ${days} days\n` +
          `  demarc.yaml:  api: { tls: { cert: ${certPath}, key: ${keyPath} } }\n` +
          `  SPKI pin (sha256/base64): ${made.spkiSha256}\n` +
          `  after renewing the files: kill -HUP <pid of demarc> reloads them without a restart\n`,
      );
    });
}
