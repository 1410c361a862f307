import dgram from 'node:dgram';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, type CycleResult } from '../../collector/collector.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { demoInventoryRows } from '../../sim/demo-inventory.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const AGENT_PORT = 21700;
const BAD_PORT = 21701;
const BAD_HOST = '127.0.9.1';
const GOOD_SITES = 50;
const CYCLES = 3;
const INTERVAL_SEC = 3;

type BadMode = 'malformed' | 'truncated' | 'wrong-request-id' | 'silent';

/** Replies that are not SNMP, each broken differently; the responder cycles through them. */
const MALFORMED: Buffer[] = [
  Buffer.from('3082ffff020101', 'hex'), // a SEQUENCE claiming 65535 bytes, 5 present
  Buffer.from('300c020901ff00ff00ff00ff00ff', 'hex'), // an INTEGER longer than its SEQUENCE
  Buffer.from('31050201010400', 'hex'), // a SET where a message SEQUENCE must be
  Buffer.from('300602010704016100', 'hex'), // SNMP version 7, and the PDU missing
  Buffer.from('deadbeef', 'hex'),
  Buffer.alloc(0),
];

/** Where a BER TLV's value starts and ends. */
function tlv(buf: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}

/** The same v1/v2c reply with its request-id changed (lowest bit flipped: same length). */
function withWrongRequestId(reply: Buffer): Buffer {
  const msg = tlv(reply, 0);
  const version = tlv(reply, msg.start);
  const community = tlv(reply, version.end);
  const pdu = tlv(reply, community.end);
  const id = tlv(reply, pdu.start);
  const out = Buffer.from(reply);
  out[id.end - 1]! ^= 1;
  return out;
}

interface BadAgent {
  requests: number;
  replies: number;
  close(): Promise<void>;
}

/**
 * A raw UDP responder standing in for a broken device. For `truncated` and `wrong-request-id`
 * it relays each request to a real agent and damages the real reply on the way back, as a
 * broken middlebox or a buggy agent would.
 */
async function startBadAgent(mode: BadMode, upstream: { host: string; port: number }): Promise<BadAgent> {
  const socket = dgram.createSocket('udp4');
  const state = { requests: 0, replies: 0 };
  let nextGarbage = 0;
  const reply = (buf: Buffer, to: dgram.RemoteInfo) => {
    state.replies++;
    socket.send(buf, to.port, to.address);
  };
  socket.on('message', (msg, from) => {
    state.requests++;
    if (mode === 'silent') return;
    if (mode === 'malformed') return reply(MALFORMED[nextGarbage++ % MALFORMED.length]!, from);
    const relay = dgram.createSocket('udp4');
    const done = setTimeout(() => relay.close(), 2000);
    relay.once('message', (real) => {
      clearTimeout(done);
      relay.close();
      reply(mode === 'truncated' ? real.subarray(0, Math.floor(real.length * 0.6)) : withWrongRequestId(real), from);
    });
    relay.send(msg, upstream.port, upstream.host);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(BAD_PORT, BAD_HOST, () => resolve());
  });
  return {
    get requests() {
      return state.requests;
    },
    get replies() {
      return state.replies;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

const PROFILES = {
  'ce-v2c': { version: '2c', community: 'demarc-ce', timeoutMs: 400, retries: 1 },
  'headend-v3': { version: '3', user: 'demarc-noc', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'demo-headend-auth', privProtocol: 'AES-256', privKey: 'demo-headend-priv', timeoutMs: 400, retries: 1 },
};

describe('one bad agent among 50 good ones: the collector logs, counts and carries on', () => {
  let fleet: FleetSimulator;
  const goodRows = demoInventoryRows({ sites: GOOD_SITES, agentPort: AGENT_PORT, ceProfile: 'ce-v2c', oobEvery: 0, cpeEvery: 0 });

  beforeAll(async () => {
    // demarc's own simulator serves the 50 good sites (CEs and their two head-ends).
    fleet = await startFleetSimulator({ config: writeTempConfig({ snmp: { profiles: PROFILES } }, goodRows).config, controlPort: null });
  });
  afterAll(async () => fleet?.stop());

  it.each<BadMode>(['malformed', 'truncated', 'wrong-request-id', 'silent'])('%s replies', async (mode) => {
    const first = goodRows[0]!;
    const bad = await startBadAgent(mode, { host: first.ce_host!, port: AGENT_PORT });
    // The bad device is both the site's CE and the head-end of its circuit.
    const badRow = siteRow({ site_id: 'BAD-01', ce_host: BAD_HOST, ce_port: String(BAD_PORT), ce_snmp_profile: 'ce-v2c', ce_wan_if: first.ce_wan_if!, headend_snmp_profile: 'ce-v2c' });
    const { config } = writeTempConfig({ snmp: { profiles: PROFILES } }, [...goodRows, badRow]);
    const logLines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk: Buffer, _enc, cb) {
          logLines.push(chunk.toString());
          cb();
        },
      }),
    });
    const collector = new Collector({ sites: config.inventory.sites, profiles: config.profiles, intervalSec: INTERVAL_SEC, concurrency: 50, spreadPolls: false }, systemClock, logger);
    const cycles: CycleResult[] = [];
    const enough = new Promise<void>((resolve) =>
      collector.onCycle((r) => {
        cycles.push(r);
        if (cycles.length === CYCLES) resolve();
      }),
    );
    try {
      collector.start();
      await enough;
    } finally {
      await collector.stop();
      await bad.close();
    }

    const goodIds = goodRows.map((r) => r.site_id!);
    cycles.forEach((c, i) => {
      expect(c.stats.sitesPolled, `cycle ${i + 1}`).toBe(GOOD_SITES + 1);
      expect(c.stats.sitesReachable, `cycle ${i + 1}`).toBe(GOOD_SITES);
      expect(c.stats.overrun, `cycle ${i + 1} took ${c.stats.durationMs} ms`).toBe(false);
      expect(c.stats.timeouts, `cycle ${i + 1}`).toBeGreaterThan(0);
      const bySite = new Map(c.samples.map((s) => [s.siteId, s]));
      for (const id of goodIds) {
        const s = bySite.get(id)!;
        expect(s.ce.reachable, `${id} cycle ${i + 1}: ${s.ce.error}`).toBe(true);
        expect(s.headend.reachable, `${id} head-end cycle ${i + 1}: ${s.headend.error}`).toBe(true);
        if (i > 0) {
          // A fresh reading every cycle: a rate exists only between two new readings.
          expect(s.gap, `${id} cycle ${i + 1}`).toBeNull();
          expect(s.inBps, `${id} cycle ${i + 1}`).not.toBeNull();
          expect(s.at).toBeGreaterThan(cycles[i - 1]!.samples.find((p) => p.siteId === id)!.at);
        }
      }
      const badSample = bySite.get('BAD-01')!;
      expect(badSample.ce.reachable).toBe(false);
      expect(badSample.ce.error).toBe('timeout');
      expect(badSample.headend.reachable).toBe(false);
      expect(badSample.gap).toBe('ce-unreachable');
    });

    const stats = collector.poolStats();
    expect(bad.requests, 'the bad device was asked every cycle (head-end and CE)').toBeGreaterThanOrEqual(CYCLES * 2);
    // The CE and the head-end are one device here: their name lookups share one walk, which times out once a cycle.
    expect(stats.failures.timeout).toBeGreaterThanOrEqual(CYCLES);
    const fromBad = (l: string) => l.includes(`${BAD_HOST}:${BAD_PORT}`);
    const undecodableLogs = logLines.filter((l) => l.includes('undecodable SNMP reply') && fromBad(l));
    // The shared sockets match a reply to its request before net-snmp decodes it: a reply whose
    // id no request waits for (a wrong id, or one arriving after its request timed out) is dropped there.
    const unclaimedLogs = logLines.filter((l) => l.includes('SNMP reply no request waits for, dropped') && fromBad(l));
    if (mode === 'malformed' || mode === 'truncated') {
      // Every damaged reply is counted and logged against the device that sent it.
      expect(bad.replies).toBeGreaterThan(0);
      expect(undecodableLogs.length).toBeGreaterThan(0);
      expect(undecodableLogs.length + unclaimedLogs.length).toBe(bad.replies);
      expect(stats.undecodable).toBe(undecodableLogs.length);
    } else {
      expect(stats.undecodable).toBe(0);
      expect(undecodableLogs).toHaveLength(0);
    }
    if (mode === 'wrong-request-id') expect(unclaimedLogs).toHaveLength(bad.replies);
    if (mode === 'wrong-request-id') expect(bad.replies).toBe(bad.requests);
  });
});
