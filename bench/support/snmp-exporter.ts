import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { AgentEndpoint } from './snmpd-fleet.js';

const EXPORTER = '/usr/bin/prometheus-snmp-exporter';
const GENERATOR = '/usr/bin/prometheus-snmp-generator';
const MIBS = join(import.meta.dirname, '../../node_modules/net-snmp/lib/mibs');

/**
 * The OIDs demarc GETs for one CE port (ifIndex 1), less hrSystemUptime (no HOST-RESOURCES-MIB
 * file here for the generator): the exporter is asked for the same data, by GET.
 */
export const PORT_OIDS = [
  '1.3.6.1.2.1.1.3', '1.3.6.1.2.1.31.1.1.1.1.1', '1.3.6.1.2.1.2.2.1.8.1', '1.3.6.1.2.1.2.2.1.7.1', '1.3.6.1.2.1.2.2.1.9.1',
  '1.3.6.1.2.1.2.2.1.10.1', '1.3.6.1.2.1.2.2.1.16.1', '1.3.6.1.2.1.2.2.1.14.1', '1.3.6.1.2.1.2.2.1.20.1', '1.3.6.1.2.1.2.2.1.13.1',
  '1.3.6.1.2.1.2.2.1.19.1', '1.3.6.1.2.1.31.1.1.1.6.1', '1.3.6.1.2.1.31.1.1.1.10.1', '1.3.6.1.2.1.31.1.1.1.15.1', '1.3.6.1.2.1.31.1.1.1.19.1',
];

export interface RunningExporter {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** Generates snmp.yml (module `if_mib`) with prometheus-snmp-generator from net-snmp's MIB files. */
function generateConfig(dir: string, community: string): string {
  const mibs = join(dir, 'mibs');
  mkdirSync(mibs);
  for (const f of readdirSync(MIBS)) copyFileSync(join(MIBS, f), join(mibs, f));
  // 0.21 keeps credentials inside each module.
  writeFileSync(join(dir, 'generator.yml'), stringify({ modules: { if_mib: { walk: PORT_OIDS, version: 2, auth: { community }, timeout: '2s', retries: 1 } } }));
  execFileSync(GENERATOR, ['generate'], { cwd: dir, env: { ...process.env, MIBDIRS: mibs }, stdio: 'pipe' });
  return join(dir, 'snmp.yml');
}

export async function startSnmpExporter(opts: { port: number; community: string; dir: string }): Promise<RunningExporter> {
  for (const bin of [EXPORTER, GENERATOR])
    if (!existsSync(bin)) throw new Error(`${bin} not found: install Debian package prometheus-snmp-exporter`);
  const dir = opts.dir;
  mkdirSync(dir, { recursive: true });
  const configFile = generateConfig(dir, opts.community);
  const child: ChildProcess = spawn(EXPORTER, [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${opts.port}`, '--log.level=warn'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/metrics`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prometheus-snmp-exporter did not answer on ${url} within 10 s (config ${configFile})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Scrapes `/snmp?module=if_mib&target=…` with `concurrency` requests in flight, round-robin
 * over the endpoints, for `seconds`. A scrape counts only if the exporter got the counters.
 */
export async function scrapeLoop(
  exporter: RunningExporter,
  endpoints: readonly AgentEndpoint[],
  concurrency: number,
  seconds: number,
): Promise<{ scrapes: number; failures: number; elapsedMs: number }> {
  let next = 0;
  let scrapes = 0;
  let failures = 0;
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const e = endpoints[next++ % endpoints.length]!;
        try {
          const res = await fetch(`${exporter.url}/snmp?module=if_mib&target=${e.host}:${e.port}`);
          const body = await res.text();
          if (res.ok && body.includes('ifHCInOctets{')) scrapes++;
          else failures++;
        } catch {
          failures++;
        }
      }
    }),
  );
  return { scrapes, failures, elapsedMs: Date.now() - started };
}
