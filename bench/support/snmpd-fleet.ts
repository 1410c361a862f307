import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentAnswers } from '../../test/support/agent-ready.js';

const BINARY = '/usr/sbin/snmpd';

/** One address an agent answers on: a stand-in for one real device. */
export interface AgentEndpoint {
  host: string;
  port: number;
}

export interface SnmpdFleet {
  endpoints: AgentEndpoint[];
  community: string;
  pids: number[];
  stop(): Promise<void>;
}

/**
 * The i-th loopback address of the bench's devices: 127.20.0.1, 127.20.0.2, … 127.20.0.250,
 * 127.20.1.1, … (no .0 or .255 host parts, so none looks like a network or broadcast address).
 */
export function deviceAddress(i: number): string {
  return `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/**
 * Starts `processes` real net-snmp agents (Debian snmpd), each listening on its share of
 * `devices` loopback addresses at one port, so the collector sees that many distinct devices
 * (its one-request-in-flight rule is per host:port) while a handful of processes serve them.
 */
export async function startSnmpdFleet(opts: { devices: number; processes: number; port: number; community: string; dir: string }): Promise<SnmpdFleet> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: install Debian package snmpd (apt-get install -y snmpd)`);
  const endpoints = Array.from({ length: opts.devices }, (_, i) => ({ host: deviceAddress(i), port: opts.port }));
  const children: { child: ChildProcess; exited: Promise<void>; dir: string }[] = [];
  for (let p = 0; p < opts.processes; p++) {
    const mine = endpoints.filter((_, i) => i % opts.processes === p);
    if (mine.length === 0) continue;
    const dir = join(opts.dir, `snmpd-${p}`);
    mkdirSync(join(dir, 'persist'), { recursive: true });
    writeFileSync(
      join(dir, 'snmpd.conf'),
      [`rocommunity ${opts.community} 127.0.0.0/8`, ''].join('\n'),
    );
    // Listening addresses go on the command line: snmpd.conf lines are cut at about 1 KB.
    const listen = mine.map((e) => `udp:${e.host}:${e.port}`).join(',');
    const child = spawn(BINARY, ['-f', '-Lf', join(dir, 'snmpd.log'), '-p', join(dir, 'snmpd.pid'), listen], {
      env: { ...process.env, MIBS: '', SNMPCONFPATH: `${dir}:${join(dir, 'persist')}`, SNMP_PERSISTENT_DIR: join(dir, 'persist') },
      stdio: 'ignore',
    });
    children.push({ child, dir, exited: new Promise((resolve) => child.once('exit', () => resolve())) });
  }
  const stop = async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
  };
  const deadline = Date.now() + 20_000;
  // Every process, at its first and last address: all of its sockets are bound by then.
  const probes = children.flatMap((_, p) => {
    const mine = endpoints.filter((_, i) => i % opts.processes === p);
    return [mine[0]!, mine[mine.length - 1]!];
  });
  const ok = await Promise.all(probes.map((e) => agentAnswers(e.host, e.port, opts.community, deadline)));
  if (!ok.every(Boolean)) {
    await stop();
    const logs = children.map((c) => (existsSync(join(c.dir, 'snmpd.log')) ? readFileSync(join(c.dir, 'snmpd.log'), 'utf8').slice(-500) : '(no log)'));
    throw new Error(`snmpd fleet did not answer on ${probes.filter((_, i) => !ok[i]).map((e) => `${e.host}:${e.port}`).join(', ')}; logs:\n${logs.join('\n')}`);
  }
  return { endpoints, community: opts.community, pids: children.map((c) => c.child.pid!), stop };
}
