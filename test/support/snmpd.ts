import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentAnswers } from './agent-ready.js';

export interface SnmpdOptions {
  port: number;
  community: string;
  /** An SNMPv3 authPriv user; auth SHA or SHA-256, priv AES (128). */
  v3?: { user: string; auth: 'SHA' | 'SHA-256'; authKey: string; privKey: string };
}

export interface RunningSnmpd {
  host: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** Stops and starts the agent on the same config and persistent dir: same engine ID, engineBoots + 1, as a rebooted device. */
  restart(): Promise<void>;
}

const BINARY = '/usr/sbin/snmpd';

/**
 * Starts net-snmp's real agent (Debian `snmpd`) on a loopback port with its own config and
 * persistent dir, serving this machine's real interfaces. Fails (never skips) when missing.
 */
export async function startSnmpd(opts: SnmpdOptions): Promise<RunningSnmpd> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: install Debian package snmpd (apt-get install -y snmpd)`);
  const dir = mkdtempSync(join(tmpdir(), 'demarc-snmpd-'));
  mkdirSync(join(dir, 'persist'));
  const lines = [`agentaddress udp:127.0.0.1:${opts.port}`, `rocommunity ${opts.community} 127.0.0.1`];
  if (opts.v3) lines.push(`createUser ${opts.v3.user} ${opts.v3.auth} "${opts.v3.authKey}" AES "${opts.v3.privKey}"`, `rouser ${opts.v3.user} authpriv`);
  writeFileSync(join(dir, 'snmpd.conf'), lines.join('\n') + '\n');
  let child: ChildProcess;
  let exited: Promise<void>;
  const launch = async () => {
    child = spawn(BINARY, ['-f', '-Lf', join(dir, 'snmpd.log'), '-p', join(dir, 'snmpd.pid')], {
      env: { ...process.env, MIBS: '', SNMPCONFPATH: `${dir}:${join(dir, 'persist')}`, SNMP_PERSISTENT_DIR: join(dir, 'persist') },
      stdio: 'ignore',
    });
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (!(await agentAnswers('127.0.0.1', opts.port, opts.community, Date.now() + 10_000))) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'snmpd.log')) ? readFileSync(join(dir, 'snmpd.log'), 'utf8').slice(-2000) : '(no log)';
      throw new Error(`snmpd did not answer on 127.0.0.1:${opts.port} within 10 s; its log:\n${log}`);
    }
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    host: '127.0.0.1',
    port: opts.port,
    dir,
    stop,
    async restart() {
      await stop();
      await launch();
    },
  };
}
