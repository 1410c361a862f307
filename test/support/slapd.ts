import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';

export interface Slapd {
  url: string;
  stop(): Promise<void>;
}

/**
 * A private OpenLDAP on a loopback port with its own config and mdb directory, loaded with
 * `ldif` (suffix dc=demarc,dc=test) before it starts. Fails, naming the package, when missing.
 */
export async function startSlapd(port: number, ldif: string): Promise<Slapd> {
  if (!existsSync(SLAPD) || !existsSync(SLAPADD)) throw new Error('slapd not found: install the Debian packages slapd and ldap-utils (apt-get install -y slapd ldap-utils)');
  const dir = mkdtempSync(join(tmpdir(), 'demarc-slapd-'));
  mkdirSync(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'include /etc/ldap/schema/nis.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${dir}/slapd.pid`,
      'database mdb',
      'maxsize 104857600',
      'suffix "dc=demarc,dc=test"',
      'rootdn "cn=admin,dc=demarc,dc=test"',
      'rootpw adminpass',
      `directory ${dir}/db`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'base.ldif'), ldif);
  const add = spawnSync(SLAPADD, ['-f', conf, '-l', join(dir, 'base.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  const url = `ldap://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(SLAPD, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`slapd exited (${proc.exitCode}): ${stderr.slice(-500)}`);
    const c = new Client({ url, timeout: 500, connectTimeout: 500 });
    try {
      await c.search('', { scope: 'base' });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`slapd not ready on ${url}: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await c.unbind().catch(() => undefined);
    }
  }
  return {
    url,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
