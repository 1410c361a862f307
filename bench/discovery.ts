/**
 * bench/discovery: does walking a 2,000-interface head-end delay the poll cycles?
 *
 *   npx tsx bench/discovery.ts [--sites 120,10000] [--rounds 5] [--concurrency 200]
 *
 * Agents: Debian snmpd processes serving the polled fleet (as bench/poll does) and Debian
 * snmpsim serving a generated head-end with 2,000 interfaces and an ENTITY-MIB chassis. For each
 * size, rounds alternate: a collector cycle alone, then a cycle while discovery walks the big
 * head-end in a loop (its own session pool, concurrency 4, GETBULK max-repetitions 50), same
 * process, same agents. Cycles run back to back (the collector saturated): the harshest case.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Collector } from '../collector/collector.js';
import { SessionPool } from '../collector/session-pool.js';
import { loadConfig } from '../config/load.js';
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { Secret } from '../core/secret.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { discoverDevice } from '../inventory/discovery-walk.js';
import { startSnmpsim } from '../test/support/snmpsim.js';
import { CIRCUITS_PER_HEADEND, writeBenchConfig } from './support/bench-inventory.js';
import { startSnmpdFleet } from './support/snmpd-fleet.js';

const { values: opt } = parseArgs({ options: { sites: { type: 'string', default: '120,10000' }, rounds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '200' } } });
const SIZES = opt.sites!.split(',').map(Number);
const ROUNDS = Number(opt.rounds);
const PORT = 24550;
const BIG_HOST = '127.0.25.1';
const INTERFACES = 2000;

function bigHeadend(file: string): void {
  const lines: string[] = [
    '1.3.6.1.2.1.1.1.0|4|Huawei NE40E-X8 (bench head-end, 2000 interfaces)', '1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2011.2.62.2.9',
    '1.3.6.1.2.1.1.3.0|67|123456', '1.3.6.1.2.1.1.5.0|4|BIG-HE',
  ];
  const cols: [string, (i: number) => string][] = [
    ['1.3.6.1.2.1.2.2.1.2', (i) => `4|Eth-Trunk1.${i}`], ['1.3.6.1.2.1.2.2.1.3', () => '2|135'], ['1.3.6.1.2.1.2.2.1.5', () => '66|70000000'],
    ['1.3.6.1.2.1.2.2.1.6', (i) => `4x|00e0fc${(i >> 16).toString(16).padStart(2, '0')}${((i >> 8) & 255).toString(16).padStart(2, '0')}${(i & 255).toString(16).padStart(2, '0')}`],
    ['1.3.6.1.2.1.2.2.1.7', () => '2|1'], ['1.3.6.1.2.1.2.2.1.8', () => '2|1'],
    ['1.3.6.1.2.1.31.1.1.1.1', (i) => `4|Eth-Trunk1.${i}`], ['1.3.6.1.2.1.31.1.1.1.15', () => '66|70'], ['1.3.6.1.2.1.31.1.1.1.18', (i) => `4|BENCH-CIRCUIT-${i}`],
  ];
  for (const [oid, v] of cols) for (let i = 1; i <= INTERFACES; i++) lines.push(`${oid}.${i}|${v(i)}`);
  const ent = ['2|4|NE40E-X8 chassis', '5|2|3', '7|4|NE40E-X8', '8|4|VER.C', '9|4|', '10|4|V800R011C00SPC300', '11|4|2102351000001P0BENCH', '12|4|Huawei', '13|4|NE40E-X8'];
  for (const e of ent) {
    const [col, type, value] = e.split('|');
    lines.push(`1.3.6.1.2.1.47.1.1.1.1.${col}.1|${type}|${value}`);
  }
  // snmprec wants lexicographic OID order.
  const key = (l: string) => l.split('|')[0]!.split('.').map(Number);
  lines.sort((a, b) => {
    const x = key(a), y = key(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
  writeFileSync(file, lines.join('\n') + '\n');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'demarc-bench-discovery-'));
  const recording = join(work, 'big-headend.snmprec');
  bigHeadend(recording);
  const fleet = await startSnmpdFleet({ devices: 200, processes: 2, port: PORT, community: 'bench', dir: work });
  const sim = await startSnmpsim({ hosts: [BIG_HOST], port: PORT + 1, devices: { big: recording } });
  const profile = { name: 'big', version: '2c', community: new Secret('big'), timeoutMs: 3000, retries: 1 } as SnmpProfile;
  const target = { id: 'headend:big', role: 'headend' as const, siteId: null, siteIds: [], endpoint: { host: BIG_HOST, port: PORT + 1, profile: 'big' }, configuredNames: [] };
  const rows: string[] = [];
  try {
    for (const n of SIZES) {
      const heads = fleet.endpoints.slice(0, Math.ceil(n / CIRCUITS_PER_HEADEND));
      const ce = fleet.endpoints.slice(heads.length);
      const config = loadConfig(writeBenchConfig(join(work, `config-${n}`), { sites: n, ceEndpoints: ce, headendEndpoints: heads, ceIf: 'lo', headendIf: 'lo' }, { community: 'bench', timeoutMs: 2000, retries: 1 }, Number(opt.concurrency), 4), {});
      const collector = new Collector({ sites: config.inventory.sites, profiles: config.profiles, intervalSec: 60, concurrency: Number(opt.concurrency), spreadPolls: false }, systemClock, silentLogger);
      const pool = new SessionPool(new Map([['big', profile]]), 4, silentLogger);
      await collector.pollOnce(); // start-up: name resolution, sessions
      const alone: number[] = [];
      const during: number[] = [];
      const walks: number[] = [];
      let interfacesSeen = 0;
      for (let r = 0; r < ROUNDS; r++) {
        alone.push((await collector.pollOnce()).stats.durationMs);
        let walking = true;
        const loop = (async () => {
          while (walking) {
            const t = Date.now();
            const d = await discoverDevice(pool, target, null, { maxRepetitions: 50, now: () => Date.now() });
            interfacesSeen = d.facts.interfaces?.length ?? 0;
            walks.push(Date.now() - t);
          }
        })();
        // Let the first walk get going before the cycle starts.
        await new Promise((res) => setTimeout(res, 50));
        during.push((await collector.pollOnce()).stats.durationMs);
        walking = false;
        await loop;
      }
      await collector.stop();
      pool.close();
      rows.push(`| ${n.toLocaleString('en')} | ${median(alone).toFixed(0)} | ${median(during).toFixed(0)} | ${(median(during) / median(alone)).toFixed(2)} | ${median(walks).toFixed(0)} (${walks.length} walks, ${interfacesSeen} interfaces) |`);
      console.error(rows[rows.length - 1]);
    }
  } finally {
    await sim.stop();
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\nbench/discovery: ${ROUNDS} interleaved rounds per size, back-to-back cycles, medians (ms)\n`);
  console.log('| sites | cycle alone | cycle during a 2,000-interface walk | ratio | walk |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
