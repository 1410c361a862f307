import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnmpd, type RunningSnmpd } from '../support/snmpd.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

// SIGTERM against a real `demarc serve` process while its agents are silent: Docker sends
// SIGKILL 10 s after SIGTERM, so demarc must be gone well before, with the samples of the polls
// that did finish stored. Ports 24300-24309.

const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));
const SILENT_PORT = 24301;
const SNMPD_PORT = 24302;
const RELAY_PORT = 24303;
const SILENT_SITES = 30;
/** What Docker allows between SIGTERM and SIGKILL. */
const DOCKER_STOP_MS = 10_000;

/** A UDP socket that reads every request and never answers: an agent gone silent. */
async function blackHole(host: string, port: number): Promise<{ requests: () => number; close: () => void }> {
  const s = createSocket('udp4');
  let n = 0;
  s.on('message', () => n++);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, host, () => resolve());
  });
  return { requests: () => n, close: () => s.close() };
}

/** Relays SNMP between demarc and snmpd, counting the answers that reached demarc. */
async function relay(listen: { host: string; port: number }, agent: { host: string; port: number }): Promise<{ answers: () => number; settled: (quietMs: number) => boolean; close: () => void }> {
  const front: Socket = createSocket('udp4');
  let answers = 0;
  let requests = 0;
  let lastAt = Date.now();
  const back = new Map<string, Socket>();
  front.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}`;
    let b = back.get(key);
    if (!b) {
      const nb = createSocket('udp4');
      nb.on('message', (reply) => {
        answers++;
        lastAt = Date.now();
        front.send(reply, from.port, from.address);
      });
      back.set(key, nb);
      b = nb;
    }
    requests++;
    lastAt = Date.now();
    b.send(msg, agent.port, agent.host);
  });
  await new Promise<void>((resolve) => front.bind(listen.port, listen.host, () => resolve()));
  return {
    answers: () => answers,
    /** Every request answered and nothing new for quietMs: the polls using this agent are done. */
    settled: (quietMs) => answers === requests && Date.now() - lastAt >= quietMs,
    close: () => {
      front.close();
      for (const b of back.values()) b.close();
    },
  };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SIGTERM with every agent silent (a real demarc serve process)', () => {
  let snmpd: RunningSnmpd;
  beforeAll(async () => {
    snmpd = await startSnmpd({ port: SNMPD_PORT, community: 'demarc-test' });
  });
  afterAll(async () => snmpd?.stop());

  it(`exits within ${DOCKER_STOP_MS / 1000} s, abandoning the polls in flight and storing the ones that finished`, async () => {
    const holes = await Promise.all(Array.from({ length: SILENT_SITES }, (_, i) => blackHole(`127.0.1.${i + 1}`, SILENT_PORT)));
    const headendHole = await blackHole('127.0.2.1', SILENT_PORT);
    const agent = await relay({ host: '127.0.0.2', port: RELAY_PORT }, { host: '127.0.0.1', port: SNMPD_PORT });
    const rows = [
      ...Array.from({ length: SILENT_SITES }, (_, i) =>
        siteRow({ site_id: `SILENT-${i + 1}`, ce_host: `127.0.1.${i + 1}`, ce_port: String(SILENT_PORT), headend_host: '127.0.2.1', headend_port: String(SILENT_PORT) }),
      ),
      // Two sites whose agent answers: their polls finish before the SIGTERM.
      ...['LIVE-1', 'LIVE-2'].map((id) => siteRow({ site_id: id, ce_host: '127.0.0.2', ce_port: String(RELAY_PORT), bandwidth_mbps: '10000' })),
    ];
    const { dir } = writeTempConfig(
      {
        // Long timeouts and retries, as for far-away CEs: a silent one holds its poll for 15 s.
        snmp: { profiles: { v2c: { version: '2c', community: 'demarc-test', timeoutMs: 5000, retries: 2 } } },
        collector: { intervalSec: 60, concurrency: 50, spreadPolls: false },
        api: { host: '127.0.0.1', port: 0 },
        traps: { enabled: false },
      },
      rows,
    );
    const child = spawn(process.execPath, [CLI, 'serve', '--config', join(dir, 'demarc.yaml')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEMARC_LOG_LEVEL: 'info' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
    try {
      await until('demarc to serve', () => out.includes('demarc is serving'), 60_000);
      // The first cycle is under way: every silent CE and the head-end have been asked, and the
      // live agent has answered both sites (CE and head-end GETs, after their name walks).
      await until('every silent agent to be asked', () => holes.every((h) => h.requests() > 0) && headendHole.requests() > 0, 30_000);
      await until('the live agent to answer both sites and go quiet', () => agent.answers() >= 4 && agent.settled(500), 30_000);
      const sentAt = Date.now();
      child.kill('SIGTERM');
      const { code, at } = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`demarc still running ${DOCKER_STOP_MS * 2} ms after SIGTERM; its output:\n${out.slice(-3000)}`)), DOCKER_STOP_MS * 2))]);
      const tookMs = at - sentAt;
      console.info(`[sigterm] ${SILENT_SITES} silent CEs + a silent head-end (5 s × 3 tries each): exited ${code} ${tookMs} ms after SIGTERM`);
      expect(code, out.slice(-3000)).toBe(0);
      expect(tookMs, out.slice(-3000)).toBeLessThan(DOCKER_STOP_MS);
      expect(out).toMatch(/polls still waiting on their agents abandoned/);

      // The live sites' samples of that cycle were stored before exit; the silent ones are not
      // recorded as outages of sites demarc simply stopped asking.
      const metrics = new Database(join(dir, 'metrics.db'), { readonly: true });
      const state = new Database(join(dir, 'state.db'), { readonly: true });
      try {
        const stored = metrics.prepare('SELECT site_id FROM raw_sample ORDER BY site_id').all() as { site_id: string }[];
        expect(stored.map((r) => r.site_id)).toEqual(['LIVE-1', 'LIVE-2']);
        expect(state.prepare('SELECT COUNT(*) AS n FROM outage_incident').get()).toEqual({ n: 0 });
      } finally {
        metrics.close();
        state.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const h of holes) h.close();
      headendHole.close();
      agent.close();
    }
  }, 120_000);
});
