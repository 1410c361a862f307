import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { agentAnswers } from './agent-ready.js';

const BINARY = '/usr/bin/snmpsimd';
/** Debian's nobody:nogroup, whom snmpsimd drops to when started as root. */
const NOBODY = 65534;
const NOGROUP = 65534;
/** Debian's recorded devices (package snmpsim). */
export const DEBIAN_RECORDINGS = '/usr/share/doc/snmpsim/examples/data';
/**
 * snmpsimd picks the device for an SNMPv3 request by context name, falling back to the
 * transport id of the endpoint it arrived on; demarc's v3 profiles send an empty context,
 * so the device served under the first endpoint's transport id answers them.
 */
const V3_DEFAULT_DEVICE = '1.3.6.1.6.1.1.0';

export interface SnmpsimOptions {
  /** Loopback addresses to listen on, each at `port` (default 127.0.0.1). Any community works on any of them. */
  hosts?: string[];
  port: number;
  /** Community (= device name) → a .snmprec or .snmprec.gz file to serve under it. */
  devices: Record<string, string>;
  /** An SNMPv3 user (auth SHA, priv AES-128) and the device it reads with an empty context on the first host. */
  v3?: { user: string; authKey: string; privKey: string; device: string };
}

export interface RunningSnmpsim {
  hosts: string[];
  port: number;
  dir: string;
  /** Wall-clock time just before the process was spawned: counters count from about here. */
  spawnedAt: number;
  stop(): Promise<void>;
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else chownSync(p, uid, gid);
  }
}

/**
 * Starts Debian's `snmpsimd` on 127.0.0.1:`port` serving recorded devices, each under its
 * own community, in a fresh temp dir. Fails (never skips) when snmpsim is not installed.
 */
export async function startSnmpsim(opts: SnmpsimOptions): Promise<RunningSnmpsim> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: install Debian package snmpsim (apt-get install -y snmpsim)`);
  const names = Object.keys(opts.devices);
  const hosts = opts.hosts ?? ['127.0.0.1'];
  const notLoopback = hosts.filter((h) => !/^127\.\d+\.\d+\.\d+$/.test(h));
  if (notLoopback.length) throw new Error(`startSnmpsim: ${notLoopback.join(', ')} not on 127.0.0.0/8; tests listen on loopback only`);
  if (names.length === 0) throw new Error('startSnmpsim: no devices to serve');
  const dir = mkdtempSync(join(tmpdir(), 'demarc-snmpsim-'));
  const data = join(dir, 'data');
  const cache = join(dir, 'cache');
  mkdirSync(data);
  mkdirSync(cache);
  for (const [name, source] of Object.entries(opts.devices)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`startSnmpsim: device name "${name}" must be letters, digits, _ . - (it is the community)`);
    if (!existsSync(source)) throw new Error(`startSnmpsim: recording for "${name}" not found at ${source}`);
    const target = join(data, `${name}.snmprec`);
    if (source.endsWith('.gz')) writeFileSync(target, gunzipSync(readFileSync(source)));
    else copyFileSync(source, target);
  }
  const args = [
    `--data-dir=${data}`, `--cache-dir=${cache}`, ...hosts.map((h) => `--agent-udpv4-endpoint=${h}:${opts.port}`),
    `--logging-method=file:${join(dir, 'snmpsimd.log')}`,
  ];
  if (opts.v3) {
    const source = opts.devices[opts.v3.device];
    if (!source) throw new Error(`startSnmpsim: v3 device "${opts.v3.device}" is not among the devices`);
    copyFileSync(join(data, `${opts.v3.device}.snmprec`), join(data, `${V3_DEFAULT_DEVICE}.snmprec`));
    // Its built-in v3 user uses DES, which Node 20's OpenSSL refuses: SHA + AES instead.
    args.push(`--v3-user=${opts.v3.user}`, `--v3-auth-key=${opts.v3.authKey}`, '--v3-auth-proto=SHA', `--v3-priv-key=${opts.v3.privKey}`, '--v3-priv-proto=AES');
  }
  // As root, snmpsimd refuses to run until told whom to drop to; that user must own its files.
  if (process.getuid?.() === 0) {
    chownTree(dir, NOBODY, NOGROUP);
    args.push('--process-user=nobody', '--process-group=nogroup');
  }
  const spawnedAt = Date.now();
  const child: ChildProcess = spawn(BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when every address answers for every device: snmpsimd opens a recording's index on
  // its first request (long for big files), which must not land inside a measured interval.
  const deadline = Date.now() + 15_000;
  const ready = await Promise.all(hosts.map(async (h) => (await Promise.all(names.map((n) => agentAnswers(h, opts.port, n, deadline)))).every(Boolean)));
  if (!ready.every(Boolean)) {
    child.kill('SIGKILL');
    const logFile = join(dir, 'snmpsimd.log');
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-3000) : '(no log)';
    throw new Error(`snmpsimd did not answer on ${hosts.filter((_, i) => !ready[i]).join(', ')} port ${opts.port} within 15 s; stderr:\n${stderr}\nlog:\n${log}`);
  }
  return {
    hosts,
    port: opts.port,
    dir,
    spawnedAt,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
