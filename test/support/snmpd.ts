import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import snmp from 'net-snmp';
import { agentAnswers } from './agent-ready.js';

export interface SnmpdOptions {
  port: number;
  community: string;
  /** An SNMPv3 authPriv user; auth SHA or SHA-256, priv AES (128). */
  v3?: { user: string; auth: 'SHA' | 'SHA-256'; authKey: string; privKey: string };
  /**
   * snmpd serves ifTable/ifXTable from a cache it refreshes every 3 s, so a counter it returns
   * may be up to 3 s older than the request. Set here (NET-SNMP-AGENT-MIB nsCacheTimeout of
   * ifTable, over SNMP after each start) when a test compares counters with the kernel's.
   */
  ifCacheTimeoutSec?: number;
  /** Loopback addresses to listen on, each a device of its own (default 127.0.0.1 only). */
  addresses?: string[];
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
/** nsCacheTimeout.<ifTable OID>: the agent's cache lifetime for the interface tables, in seconds. */
const IF_TABLE_CACHE_TIMEOUT = '1.3.6.1.4.1.8072.1.5.3.1.2.1.3.6.1.2.1.2.2';

/** Sets one integer with a v2c SET, and reads it back. */
async function setInteger(host: string, port: number, community: string, oid: string, value: number): Promise<number> {
  const s = snmp.createSession(host, community, { port, timeout: 2000, retries: 2, version: snmp.Version2c });
  s.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => s.set([{ oid, type: snmp.ObjectType.Integer, value }], (err) => (err ? reject(err) : resolve())));
    return await new Promise<number>((resolve, reject) => s.get([oid], (err, vbs) => (err ? reject(err) : resolve(Number(vbs![0]!.value)))));
  } finally {
    s.close();
  }
}

/**
 * Starts net-snmp's real agent (Debian `snmpd`) on a loopback port with its own config and
 * persistent dir, serving this machine's real interfaces. Fails (never skips) when missing.
 */
export async function startSnmpd(opts: SnmpdOptions): Promise<RunningSnmpd> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: install Debian package snmpd (apt-get install -y snmpd)`);
  const dir = mkdtempSync(join(tmpdir(), 'demarc-snmpd-'));
  mkdirSync(join(dir, 'persist'));
  // A write community only for the agent's own cache table, known only to this helper.
  const cacheCommunity = `cache-${randomBytes(8).toString('hex')}`;
  const addresses = opts.addresses ?? ['127.0.0.1'];
  const lines = [`rocommunity ${opts.community} 127.0.0.0/8`, `rwcommunity ${cacheCommunity} 127.0.0.0/8 .1.3.6.1.4.1.8072.1.5`];
  if (opts.v3) lines.push(`createUser ${opts.v3.user} ${opts.v3.auth} "${opts.v3.authKey}" AES "${opts.v3.privKey}"`, `rouser ${opts.v3.user} authpriv`);
  writeFileSync(join(dir, 'snmpd.conf'), lines.join('\n') + '\n');
  let child: ChildProcess;
  let exited: Promise<void>;
  const launch = async () => {
    // Listening addresses on the command line: snmpd.conf lines are cut at about 1 KB.
    const listen = addresses.map((a) => `udp:${a}:${opts.port}`).join(',');
    child = spawn(BINARY, ['-f', '-Lf', join(dir, 'snmpd.log'), '-p', join(dir, 'snmpd.pid'), listen], {
      env: { ...process.env, MIBS: '', SNMPCONFPATH: `${dir}:${join(dir, 'persist')}`, SNMP_PERSISTENT_DIR: join(dir, 'persist') },
      stdio: 'ignore',
    });
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const probes = [...new Set([addresses[0]!, addresses[addresses.length - 1]!])];
    const up = await Promise.all(probes.map((a) => agentAnswers(a, opts.port, opts.community, Date.now() + 10_000)));
    if (!up.every(Boolean)) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'snmpd.log')) ? readFileSync(join(dir, 'snmpd.log'), 'utf8').slice(-2000) : '(no log)';
      throw new Error(`snmpd did not answer on ${probes.join(', ')} port ${opts.port} within 10 s; its log:\n${log}`);
    }
    if (opts.ifCacheTimeoutSec !== undefined) {
      const got = await setInteger(addresses[0]!, opts.port, cacheCommunity, IF_TABLE_CACHE_TIMEOUT, opts.ifCacheTimeoutSec);
      if (got !== opts.ifCacheTimeoutSec) throw new Error(`snmpd on ${addresses[0]}:${opts.port} kept its ifTable cache timeout at ${got} s, not ${opts.ifCacheTimeoutSec} s`);
    }
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    host: addresses[0]!,
    port: opts.port,
    dir,
    stop,
    async restart() {
      await stop();
      await launch();
    },
  };
}
