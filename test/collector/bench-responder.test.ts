import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchResponder, type BenchResponder } from '../../bench/support/bench-responder.js';
import { Collector } from '../../collector/collector.js';
import { IF_NAME } from '../../collector/oids.js';
import { cePortLayout, headendPortLayout } from '../../collector/port-oids.js';
import { SessionPool } from '../../collector/session-pool.js';
import type { SnmpValue } from '../../collector/snmp-session.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { Secret } from '../../core/secret.js';
import { startSnmpd, type RunningSnmpd } from '../support/snmpd.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

/**
 * bench/poll's fast responder stands in for 100,000 devices; its answers have to be the ones a
 * real agent gives, or the bench measures a different collector. Checked against Debian snmpd.
 */
const PORT = 44171;
const COMMUNITY = 'demarc-bench';
const SNMPD = '127.44.30.1';
const RESPONDER = ['127.44.30.2', '127.44.30.3', '127.44.30.4'];
/** The same devices with every request going to net-snmp's agent, booted at the same instant. */
const AGENT_ONLY = '127.44.30.5';
/** What each varbind is, not what it holds: the OID, whether the agent has it, and the JS type demarc decodes it to. */
const kinds = (vs: SnmpValue[]) => vs.map((v) => `${v.oid} ${v.missing ? 'missing' : typeof v.value}`);

describe('the bench responder answers as snmpd does', () => {
  let snmpd: RunningSnmpd;
  let responder: BenchResponder;
  let agentOnly: BenchResponder;
  const LAYOUTS = [cePortLayout(1, IF_NAME, 'full').oids, cePortLayout(1, IF_NAME, 'hc').oids, headendPortLayout(1, IF_NAME, 'hc').oids, headendPortLayout(2, IF_NAME, 'full').oids];
  beforeAll(async () => {
    const origin = Date.now();
    [snmpd, responder, agentOnly] = await Promise.all([
      startSnmpd({ port: PORT, community: COMMUNITY, addresses: [SNMPD] }),
      startBenchResponder({ addresses: RESPONDER, port: PORT, community: COMMUNITY, origin }),
      startBenchResponder({ addresses: [AGENT_ONLY], port: PORT, community: COMMUNITY, origin, fastPath: false }),
    ]);
  });
  afterAll(async () => Promise.all([snmpd?.stop(), responder?.close(), agentOnly?.close()]));
  const pool = () => new SessionPool(new Map([['v2c', { name: 'v2c', version: '2c', community: new Secret(COMMUNITY), timeoutMs: 1500, retries: 1 }]]), 10, silentLogger);

  it('gives the same varbinds, of the same types, for every GET the collector sends', async () => {
    const p = pool();
    const get = (host: string, oids: readonly string[]) => p.request({ host, port: PORT, profile: 'v2c' }, (s) => s.get(oids));
    try {
      const before = responder.answered();
      for (const oids of LAYOUTS) {
        const real = kinds(await get(SNMPD, oids));
        for (const host of RESPONDER) expect(kinds(await get(host, oids)), host).toEqual(real);
      }
      // Those GETs were the fast path's, not the agent's: this test holds the fast path to snmpd.
      expect(responder.answered()).toEqual({ fastPath: before.fastPath + LAYOUTS.length * RESPONDER.length, agent: before.agent });
      const names = async (host: string) => (await p.request({ host, port: PORT, profile: 'v2c' }, (s) => s.walk(IF_NAME))).map((v) => v.value);
      expect(await names(SNMPD)).toContain('lo');
      expect((await names(RESPONDER[0]!)).slice(0, 1)).toEqual(['lo']);
      // A walk is the agent's.
      expect(responder.answered().agent).toBeGreaterThan(before.agent);
      // Every reply came from the address it was asked at: the shared sockets drop any other.
      expect(p.stats().dropped['wrong-source']).toBe(0);
    } finally {
      p.close();
    }
  });

  it('gives the values net-snmp\'s agent gives: equal names and states, counters and uptimes between two agent readings', async () => {
    const p = pool();
    const get = (host: string, oids: readonly string[]) => p.request({ host, port: PORT, profile: 'v2c' }, (s) => s.get(oids));
    try {
      for (const oids of LAYOUTS) {
        const agentBefore = await get(AGENT_ONLY, oids);
        const fast = await get(RESPONDER[0]!, oids);
        const agentAfter = await get(AGENT_ONLY, oids);
        expect(kinds(fast)).toEqual(kinds(agentBefore));
        fast.forEach((v, i) => {
          const [a, b] = [agentBefore[i]!.value, agentAfter[i]!.value];
          if (typeof v.value === 'string' || v.value === null) expect(v.value, v.oid).toBe(a);
          else {
            // Time moves between the three requests; nothing here moves backwards.
            expect(v.value >= (a as number | bigint) && v.value <= (b as number | bigint), `${v.oid}: ${a} ≤ ${v.value} ≤ ${b}`).toBe(true);
          }
        });
      }
      expect(agentOnly.answered().fastPath).toBe(0);
    } finally {
      p.close();
    }
  });

  it('gives the collector the same samples: reachable, names resolved, a rate on the second cycle', async () => {
    const rows = [SNMPD, ...RESPONDER].map((host, i) => siteRow({ site_id: `R${i}`, ce_host: host, ce_port: String(PORT), bandwidth_mbps: '10000' }));
    const { config } = writeTempConfig({ snmp: { profiles: { v2c: { version: '2c', community: COMMUNITY, timeoutMs: 1500, retries: 1 } } } }, rows);
    const collector = new Collector({ sites: config.inventory.sites, profiles: config.profiles, intervalSec: 1, concurrency: 10, spreadPolls: false }, systemClock, silentLogger);
    try {
      await collector.pollOnce();
      await new Promise((r) => setTimeout(r, 1100)); // a second of counters between the two readings
      const { samples } = await collector.pollOnce();
      const facts = samples.map((s) => ({ ce: s.ce.reachable, headend: s.headend.reachable, gap: s.gap, rate: s.inBps !== null && s.outBps !== null && s.inBps >= 0 }));
      expect(facts).toEqual(samples.map(() => ({ ce: true, headend: true, gap: null, rate: true })));
    } finally {
      await collector.stop();
    }
  });
});
