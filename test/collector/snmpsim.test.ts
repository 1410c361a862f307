import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, type CycleResult } from '../../collector/collector.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { CircuitSample } from '../../core/sample.js';
import { DEBIAN_RECORDINGS, startSnmpsim, type RunningSnmpsim } from '../support/snmpsim.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const PORT = 21510;
const FIXTURES = join(import.meta.dirname, '../fixtures/snmprec');
const CISCO = join(DEBIAN_RECORDINGS, 'cisco_16_switch.snmprec.gz');
const WINXP = join(DEBIAN_RECORDINGS, 'recorded/winxp-full-walk.snmprec.gz');
const INTERVAL_MS = 10_000;
/** One loopback address per recorded device, as each real device has its own. */
const HOST = { modern: '127.0.5.1', legacy: '127.0.5.2', headend: '127.0.5.3', cisco: '127.0.5.4', winxp: '127.0.5.5' } as const;

/** The `rate=` (bytes/s) recorded in the fixtures, times 8: what demarc must measure. */
const RECORDED_BPS = {
  modernIn: 4_375_000 * 8,
  modernOut: 1_500_000 * 8,
  modernInErrorsPerSec: 2,
  legacyIn: 2_000_000 * 8,
  legacyOut: 500_000 * 8,
};
const LEGACY_IN_OCTETS = '1.3.6.1.2.1.2.2.1.10.1';

/** A value as Debian's recording has it (`OID|type|value`, `4x` = hex), for ground truth. */
function recorded(file: string, oid: string): string {
  const text = gunzipSync(readFileSync(file)).toString('latin1');
  const line = text.split('\n').find((l) => l.startsWith(`${oid}|`));
  if (!line) throw new Error(`${oid} not in ${file}`);
  const [, type, value] = line.split('|') as [string, string, string];
  return type === '4x' ? Buffer.from(value, 'hex').toString('latin1') : value;
}

function within(actual: number | null, expected: number, tolerance: number, what: string): void {
  expect(actual, `${what}: no value`).not.toBeNull();
  expect(Math.abs(actual! - expected) / expected, `${what}: measured ${actual}, recorded ${expected}`).toBeLessThan(tolerance);
}

/** Reads the legacy CE's 32-bit counter directly, to know in which interval it wrapped. */
function readLegacyInOctets(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = snmp.createSession(HOST.legacy, 'legacy-ce', { port: PORT, timeout: 1000, retries: 1, version: snmp.Version2c });
    s.on('error', () => undefined);
    s.get([LEGACY_IN_OCTETS], (err, vbs) => {
      s.close();
      if (err) reject(err);
      else resolve(vbs![0]!.value as number);
    });
  });
}

describe('collector against snmpsim recorded devices (modern 64-bit CE, legacy 32-bit-only CE, head-end, Debian recordings)', () => {
  let sim: RunningSnmpsim;
  let collector: Collector;
  const cycles: CycleResult[] = [];
  /** The legacy ifInOctets right after each cycle. */
  const legacyRaw: number[] = [];
  const sample = (cycle: number, siteId: string): CircuitSample => {
    const s = cycles[cycle]!.samples.find((x) => x.siteId === siteId);
    if (!s) throw new Error(`no sample for ${siteId} in cycle ${cycle + 1}`);
    return s;
  };
  /**
   * snmpsim computes a counter from its clock when it reads it, somewhere between the request
   * (the sample's `at`) and the reply (`at + rttMs`); demarc divides by the stamp difference.
   * So the recorded rate, scaled by the shortest and longest read span over the stamp span,
   * bounds what demarc must report, ±1 %. On an idle machine that is plain "within 1 %"; on a
   * loaded one (snmpsim is one Python process answering the CE and head-end GETs in turn) it
   * keeps the agent's queueing out of the collector's arithmetic.
   */
  const withinReadWindow = (cycle: number, siteId: string, dir: 'inBps' | 'outBps', recordedBps: number, what: string) => {
    const s = sample(cycle, siteId);
    const p = sample(cycle - 1, siteId);
    const span = s.at - p.at;
    const lo = (recordedBps * (span - (p.rttMs ?? 0))) / span * 0.99;
    const hi = (recordedBps * (span + (s.rttMs ?? 0))) / span * 1.01;
    expect(s[dir], `${what}: no value`).not.toBeNull();
    expect(s[dir]!, `${what}: measured ${s[dir]}, recorded ${recordedBps}, window ${Math.round(lo)}..${Math.round(hi)} (rtt ${p.rttMs}/${s.rttMs} ms)`).toBeGreaterThanOrEqual(lo);
    expect(s[dir]!, `${what}: measured ${s[dir]}, recorded ${recordedBps}, window ${Math.round(lo)}..${Math.round(hi)} (rtt ${p.rttMs}/${s.rttMs} ms)`).toBeLessThanOrEqual(hi);
  };

  beforeAll(async () => {
    sim = await startSnmpsim({
      // The first host answers SNMPv3 (empty context) as the modern CE.
      hosts: [HOST.modern, HOST.legacy, HOST.headend, HOST.cisco, HOST.winxp],
      port: PORT,
      devices: {
        'modern-ce': join(FIXTURES, 'modern-ce.snmprec'),
        'legacy-ce': join(FIXTURES, 'legacy-ce.snmprec'),
        'headend-router': join(FIXTURES, 'headend-router.snmprec'),
        'cisco-3750': CISCO,
        winxp: WINXP,
      },
      v3: { user: 'demarc', authKey: 'authpass123', privKey: 'privpass123', device: 'modern-ce' },
    });
    const port = String(PORT);
    const ce = (site_id: string, host: string, profile: string, wanIf: string, headendIf: string) =>
      siteRow({
        site_id, ce_host: host, ce_port: port, ce_snmp_profile: profile, ce_wan_if: wanIf,
        headend_host: HOST.headend, headend_port: port, headend_snmp_profile: 'headend', headend_if: headendIf,
      });
    const { config } = writeTempConfig(
      {
        snmp: {
          profiles: {
            'modern-v2c': { version: '2c', community: 'modern-ce', timeoutMs: 1500, retries: 1 },
            'modern-v3': { version: '3', user: 'demarc', level: 'authPriv', authProtocol: 'SHA', authKey: 'authpass123', privProtocol: 'AES-128', privKey: 'privpass123', timeoutMs: 1500, retries: 1 },
            'legacy-v1': { version: '1', community: 'legacy-ce', timeoutMs: 1500, retries: 1 },
            'legacy-v2c': { version: '2c', community: 'legacy-ce', timeoutMs: 1500, retries: 1 },
            headend: { version: '2c', community: 'headend-router', timeoutMs: 1500, retries: 1 },
            cisco: { version: '2c', community: 'cisco-3750', timeoutMs: 1500, retries: 1 },
            winxp: { version: '2c', community: 'winxp', timeoutMs: 1500, retries: 1 },
          },
        },
      },
      [
        ce('MODERN-V2C', HOST.modern, 'modern-v2c', 'GigabitEthernet0/0/0', 'Eth-Trunk1.1001'),
        ce('MODERN-V3', HOST.modern, 'modern-v3', 'GigabitEthernet0/0/0', 'Eth-Trunk1.1001'),
        ce('LEGACY-V1', HOST.legacy, 'legacy-v1', 'FastEthernet0', 'Eth-Trunk1.1002'),
        ce('LEGACY-V2C', HOST.legacy, 'legacy-v2c', 'FastEthernet0', 'Eth-Trunk1.1002'),
        ce('CISCO-IFNAME', HOST.cisco, 'cisco', 'Fa3/0/3', 'Eth-Trunk1.1003'),
        ce('CISCO-IFDESCR', HOST.cisco, 'cisco', 'FastEthernet3/0/3', 'Eth-Trunk1.1003'),
        ce('CISCO-MISSING', HOST.cisco, 'cisco', 'Gi9/9/9', 'Eth-Trunk1.1003'),
        ce('WINXP', HOST.winxp, 'winxp', 'Intel(R) PRO/Wireless 2200BG Network Connection', 'Eth-Trunk1.1003'),
      ],
    );
    // One request at a time: snmpsim is a single Python process, and a GET queued inside it
    // behind others is read late (its counters are computed at read time). demarc stamps each
    // GET when it is sent, so with nothing ahead of it the agent reads within a few ms of the
    // stamp and the recorded rates can be held to 1 %.
    collector = new Collector({ sites: config.inventory.sites, profiles: config.profiles, intervalSec: INTERVAL_MS / 1000, concurrency: 1, spreadPolls: false }, systemClock, silentLogger);
    // Three cycles 10 s apart: the legacy counter (recorded to wrap 16 s after snmpsimd
    // starts) wraps inside one of the two rated intervals.
    const firstAt = Date.now();
    for (let i = 0; i < 3; i++) {
      const wait = firstAt + i * INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      cycles.push(await collector.pollOnce());
      legacyRaw.push(await readLegacyInOctets());
    }
  });
  afterAll(async () => {
    await collector?.stop();
    await sim?.stop();
  });

  it('measures the modern CE (ifHC counters, v2c and v3 authPriv) at its recorded rate within 1%', () => {
    for (const id of ['MODERN-V2C', 'MODERN-V3']) {
      expect(sample(0, id).ce.reachable, `${id}: ${sample(0, id).ce.error}`).toBe(true);
      expect(sample(0, id).gap).toBe('first-reading');
      for (const c of [1, 2]) {
        const s = sample(c, id);
        expect(s.gap, `${id} cycle ${c + 1}`).toBeNull();
        withinReadWindow(c, id, 'inBps', RECORDED_BPS.modernIn, `${id} in, cycle ${c + 1}`);
        withinReadWindow(c, id, 'outBps', RECORDED_BPS.modernOut, `${id} out, cycle ${c + 1}`);
        // Utilization is against the circuit's nominal 70 Mbit/s, not the port's speed.
        expect(s.inUtilPct, `${id} in utilisation of 70M`).toBeCloseTo((s.inBps! / 70e6) * 100, 9);
        within(s.inUtilPct, 50, 0.02, `${id} in utilisation of 70M`);
        within(s.inErrorsPerSec, RECORDED_BPS.modernInErrorsPerSec, 0.1, `${id} in errors/s`);
        expect(s.ce.wanOper).toBe('up');
        expect(s.ce.wanAdmin).toBe('up');
        expect(s.ce.wanLastChangeSec).toBe(12);
        // hrSystemUptime is recorded on the modern CE only.
        expect(s.ce.hostUptimeSec).toBeGreaterThan(2_234_567);
      }
      // sysUpTime advances with the agent's clock: by the stamp span, give or take where in each
      // request's round trip snmpsim read it (the cycles' own spacing varies with the name walks
      // of the first cycle and with load, so 10 s is not the quantity to compare with).
      for (const c of [1, 2]) {
        const [p, s] = [sample(c - 1, id), sample(c, id)];
        const span = (s.at - p.at) / 1000;
        const advanced = s.ce.uptimeSec! - p.ce.uptimeSec!;
        const what = `${id} sysUpTime advanced ${advanced} s over a ${span} s stamp span (rtt ${p.rttMs}/${s.rttMs} ms)`;
        expect(advanced, what).toBeGreaterThanOrEqual(span - (p.rttMs ?? 0) / 1000 - 0.01);
        expect(advanced, what).toBeLessThanOrEqual(span + (s.rttMs ?? 0) / 1000 + 0.01);
      }
    }
  });

  it('falls back to 32-bit ifInOctets on the legacy CE (no ifXTable) over v1 and v2c, exact across a Counter32 wrap', () => {
    const wrappedIn = [1, 2].filter((c) => legacyRaw[c]! < legacyRaw[c - 1]!);
    expect(wrappedIn, `the recorded counter should wrap during the test; raw readings ${legacyRaw.join(', ')}`).toHaveLength(1);
    for (const id of ['LEGACY-V1', 'LEGACY-V2C']) {
      expect(sample(0, id).ce.reachable, `${id}: ${sample(0, id).ce.error}`).toBe(true);
      for (const c of [1, 2]) {
        const s = sample(c, id);
        expect(s.ce.reachable, `${id} cycle ${c + 1}: ${s.ce.error}`).toBe(true);
        expect(s.gap, `${id} cycle ${c + 1}${wrappedIn.includes(c) ? ' (wrapped)' : ''}`).toBeNull();
        withinReadWindow(c, id, 'inBps', RECORDED_BPS.legacyIn, `${id} in, cycle ${c + 1}${wrappedIn.includes(c) ? ' (wrapped)' : ''}`);
        withinReadWindow(c, id, 'outBps', RECORDED_BPS.legacyOut, `${id} out, cycle ${c + 1}`);
        expect(s.ce.wanOper).toBe('up');
        expect(s.ce.hostUptimeSec).toBeNull();
      }
    }
  });

  it('polls the head-end subinterfaces in one batch and sees each circuit from the other side', () => {
    for (const c of [1, 2]) {
      const modern = sample(c, 'MODERN-V2C').headend;
      expect(modern.reachable, modern.error ?? '').toBe(true);
      expect(modern.oper).toBe('up');
      within(modern.inBps, RECORDED_BPS.modernOut, 0.01, 'head-end Eth-Trunk1.1001 in');
      within(modern.outBps, RECORDED_BPS.modernIn, 0.01, 'head-end Eth-Trunk1.1001 out');
      const legacy = sample(c, 'LEGACY-V2C').headend;
      within(legacy.inBps, RECORDED_BPS.legacyOut, 0.01, 'head-end Eth-Trunk1.1002 in');
      within(legacy.outBps, RECORDED_BPS.legacyIn, 0.01, 'head-end Eth-Trunk1.1002 out');
      expect(sample(c, 'CISCO-IFNAME').headend.oper).toBe('down');
    }
  });

  it('resolves a real recorded Cisco 3750 ifTable by ifName and by ifDescr (ifIndex 11003), and names a missing port', () => {
    const upSec = Number(recorded(CISCO, '1.3.6.1.2.1.1.3.0')) / 100;
    const lastChangeSec = Number(recorded(CISCO, '1.3.6.1.2.1.2.2.1.9.11003')) / 100;
    expect(recorded(CISCO, '1.3.6.1.2.1.31.1.1.1.1.11003')).toBe('Fa3/0/3');
    for (const id of ['CISCO-IFNAME', 'CISCO-IFDESCR']) {
      for (const c of [0, 1, 2]) {
        const s = sample(c, id);
        expect(s.ce.reachable, `${id} cycle ${c + 1}: ${s.ce.error}`).toBe(true);
        expect(s.ce.uptimeSec).toBe(upSec);
        expect(s.ce.wanOper).toBe('up');
        expect(s.ce.wanLastChangeSec).toBe(lastChangeSec);
      }
      // A recording's counters stand still: a zero rate, not a gap.
      expect(sample(2, id).gap).toBeNull();
      expect(sample(2, id).inBps).toBe(0);
    }
    const missing = sample(2, 'CISCO-MISSING');
    // The agent answers; the name is a configuration gap, not an unreachable CE (issue 15, item 3).
    expect(missing.ce.reachable).toBe(true);
    expect(missing.ce.wanOper).toBeNull();
    expect(missing.configGaps).toEqual([{ side: 'ce', device: '127.0.5.4:21510', ifName: 'Gi9/9/9' }]);
  });

  // Windows' agent pads ifDescr with a NUL byte ("...Connection\0"), as recorded in Debian's
  // winxp walk; the resolver trims trailing NULs from names.
  it('resolves an ifDescr that the agent NUL-terminates (recorded Windows XP agent)', () => {
    expect(recorded(WINXP, '1.3.6.1.2.1.2.2.1.2.65539').endsWith('\0')).toBe(true);
    const s = sample(2, 'WINXP');
    expect(s.ce.reachable, s.ce.error ?? '').toBe(true);
    expect(s.ce.wanOper).toBe('up');
  });

  it('never stacked or lost a site: every cycle sampled every configured site', () => {
    for (const c of cycles) {
      expect(c.samples).toHaveLength(8);
      expect(c.stats.overrun).toBe(false);
    }
  });
});
