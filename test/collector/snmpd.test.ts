import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../collector/collector.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { startSnmpd, type RunningSnmpd } from '../support/snmpd.js';
import { until } from '../support/wait.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const PORT = 21161;

/** lo's received bytes from the kernel, the ground truth for the SNMP reading. */
function loBytes(): number {
  const line = readFileSync('/proc/net/dev', 'utf8').split('\n').find((l) => l.trim().startsWith('lo:'))!;
  return Number(line.split(':')[1]!.trim().split(/\s+/)[0]);
}

/**
 * The kernel's lo byte count read every 20 ms with its time, so the kernel's rate can be taken
 * over exactly the interval demarc's samples were stamped with, however long the poll cycle
 * around them took on a loaded machine.
 */
function kernelHistory() {
  const points: { at: number; bytes: number }[] = [{ at: Date.now(), bytes: loBytes() }];
  const timer = setInterval(() => points.push({ at: Date.now(), bytes: loBytes() }), 20);
  const bytesAt = (t: number): number => {
    const after = points.findIndex((p) => p.at >= t);
    if (after <= 0) throw new Error(`no kernel reading around ${new Date(t).toISOString()}`);
    const a = points[after - 1]!;
    const b = points[after]!;
    return b.at === a.at ? b.bytes : a.bytes + ((b.bytes - a.bytes) * (t - a.at)) / (b.at - a.at);
  };
  return {
    bps: (from: number, to: number) => ((bytesAt(to) - bytesAt(from)) * 8 * 1000) / (to - from),
    stop: () => clearInterval(timer),
  };
}

describe('collector against net-snmp snmpd (real agent, real interface counters)', () => {
  let snmpd: RunningSnmpd;
  beforeAll(async () => {
    // snmpd's interface cache (3 s by default, refreshed on its own timer) would hand out
    // counters up to 3 s older than the request: 25 % of a 12 s window. With it at 0 s every GET
    // reads the kernel, so the counter is the one at the request the sample is stamped with.
    snmpd = await startSnmpd({ port: PORT, community: 'demarc-test', v3: { user: 'demarc', auth: 'SHA', authKey: 'authpass123', privKey: 'privpass123' }, ifCacheTimeoutSec: 0 });
  });
  afterAll(async () => snmpd?.stop());

  const config = () =>
    writeTempConfig(
      {
        snmp: {
          profiles: {
            v2c: { version: '2c', community: 'demarc-test', timeoutMs: 1000, retries: 1 },
            v3: { version: '3', user: 'demarc', level: 'authPriv', authProtocol: 'SHA', authKey: 'authpass123', privProtocol: 'AES-128', privKey: 'privpass123', timeoutMs: 1000, retries: 1 },
          },
        },
      },
      [
        // lo carries the test's traffic; a 10 Gbit/s "circuit" so the rate is within line speed.
        siteRow({ site_id: 'LO-V2C', ce_host: '127.0.0.1', ce_port: String(PORT), bandwidth_mbps: '10000' }),
        siteRow({ site_id: 'LO-V3', ce_host: '127.0.0.1', ce_port: String(PORT), ce_snmp_profile: 'v3', headend_snmp_profile: 'v3', bandwidth_mbps: '10000' }),
      ],
    ).config;

  it('reads lo over v2c and v3 authPriv, and its rate matches /proc/net/dev within 2%', async () => {
    const c = config();
    const collector = new Collector(
      { sites: c.inventory.sites, profiles: c.profiles, intervalSec: 10, concurrency: 10, spreadPolls: false },
      systemClock,
      silentLogger,
    );
    // Steady loopback traffic from another process (~100 Mbit/s of UDP to a local sink).
    const blaster = spawn(process.execPath, [
      '-e',
      `const d=require('dgram');const sink=d.createSocket('udp4');sink.bind(0,'127.0.0.1',()=>{const p=sink.address().port;const s=d.createSocket('udp4');const b=Buffer.alloc(1250);setInterval(()=>{for(let i=0;i<10;i++)s.send(b,p,'127.0.0.1')},1)});setTimeout(()=>process.exit(0),40000)`,
    ]);
    const kernel = kernelHistory();
    try {
      // A warm-up cycle (names walked, the v3 engine discovered), so both measured polls are
      // the same plain GETs.
      await new Promise((r) => setTimeout(r, 1000));
      await collector.pollOnce();
      await new Promise((r) => setTimeout(r, 1000));
      const first = await collector.pollOnce();
      await new Promise((r) => setTimeout(r, 12_000));
      const second = await collector.pollOnce();
      // One more kernel reading after the last reply, so every stamp lies between two.
      await new Promise((r) => setTimeout(r, 50));
      kernel.stop();

      for (const s of first.samples) expect(s.ce.reachable, `${s.siteId}: ${s.ce.error}`).toBe(true);
      for (const s of second.samples) {
        expect(s.ce.reachable, s.siteId).toBe(true);
        expect(s.gap, s.siteId).toBeNull();
        expect(s.ce.wanOper).toBe('up');
        expect(s.ce.uptimeSec).toBeGreaterThan(0);
        const prev = first.samples.find((p) => p.siteId === s.siteId)!;
        const kernelBps = kernel.bps(prev.at, s.at);
        // lo: in == out; both within 2% of the kernel's count over the same stamped interval.
        console.info(`[snmpd] ${s.siteId} demarc ${Math.round(s.inBps!)} bit/s, kernel ${Math.round(kernelBps)} bit/s, off ${((100 * (s.inBps! - kernelBps)) / kernelBps).toFixed(2)} %`);
        expect(Math.abs(s.inBps! - kernelBps) / kernelBps, `${s.siteId} in=${s.inBps} kernel=${kernelBps}`).toBeLessThan(0.02);
        expect(Math.abs(s.outBps! - kernelBps) / kernelBps, `${s.siteId} out=${s.outBps} kernel=${kernelBps}`).toBeLessThan(0.02);
        expect(kernelBps).toBeGreaterThan(20e6);
      }
    } finally {
      kernel.stop();
      blaster.kill();
      await collector.stop();
    }
  });
});

describe('SNMPv3 after the agent restarts (engineBoots changes)', () => {
  it('rediscovers the engine and keeps polling instead of dropping replies as out of time window', async () => {
    const snmpd = await startSnmpd({ port: PORT + 1, community: 'demarc-test', v3: { user: 'demarc', auth: 'SHA', authKey: 'authpass123', privKey: 'privpass123' } });
    const { config: c } = writeTempConfig(
      { snmp: { profiles: { v3: { version: '3', user: 'demarc', level: 'authPriv', authProtocol: 'SHA', authKey: 'authpass123', privProtocol: 'AES-128', privKey: 'privpass123', timeoutMs: 500, retries: 0 } } } },
      [siteRow({ site_id: 'V3', ce_host: '127.0.0.1', ce_port: String(PORT + 1), ce_snmp_profile: 'v3', bandwidth_mbps: '10000' })],
    );
    const collector = new Collector({ sites: c.inventory.sites, profiles: c.profiles, intervalSec: 1, concurrency: 4, spreadPolls: false }, systemClock, silentLogger);
    try {
      // The reboot is told by sysUpTime, which must fall back across the restart or advance
      // by less than wall time beyond the 5 s tolerance. An agent polled in its first seconds
      // and restarted slowly (a busy machine) could legitimately look continuous, so the last
      // reading before the restart is taken once the agent has been up longer than that.
      await until('snmpd up for more than 6 s', async () => {
        const s = (await collector.pollOnce()).samples[0]!;
        return s.ce.reachable && (s.ce.uptimeSec ?? 0) > 6;
      });
      await snmpd.restart();
      // The first poll after the restart may race the agent's start; within two it must be back.
      const after = [(await collector.pollOnce()).samples[0]!, (await collector.pollOnce()).samples[0]!];
      expect(after.some((s) => s.ce.reachable), JSON.stringify(after.map((s) => s.ce.error))).toBe(true);
      expect(after[1]!.ce.reachable).toBe(true);
      // A reboot of the agent is an interval we cannot explain: a gap, never a spike.
      expect(after.map((s) => s.gap)).toContain('device-restarted');
    } finally {
      await collector.stop();
      await snmpd.stop();
    }
  });
});
