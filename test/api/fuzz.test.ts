import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, seedStateDb, TEST_USERS } from '../support/auth.js';
import { systemClock } from '../../core/clock.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { mulberry32 as prng } from '../support/seeded-random.js';

/**
 * A bounded fuzz run against `demarc serve` in its own process (issue 11): every route, both
 * auth states, bodies and headers that are wrong in the ways clients get them wrong. Nothing
 * may answer 5xx, the process must stay up, and its RSS must stay bounded.
 */
const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));
const REQUESTS = 3200;
// The agents' port: nothing answers there, so sites go down and incidents exist to fuzz.
const AGENT_PORT = 24101;

type Method = 'GET' | 'POST' | 'DELETE';
const ROUTES: [Method, string][] = [
  ['GET', '/api/health'],
  ['GET', '/api/sites'],
  ['GET', '/api/sites/:site'],
  ['GET', '/api/sites/:site/metrics'],
  ['GET', '/api/incidents'],
  ['GET', '/api/incidents/:incident'],
  ['POST', '/api/incidents/:incident/carrier-report'],
  ['POST', '/api/incidents/:incident/carrier-response'],
  ['POST', '/api/incidents/:incident/verdict'],
  ['POST', '/api/incidents/:incident/verdict/approve'],
  ['GET', '/api/maintenance'],
  ['POST', '/api/maintenance'],
  ['DELETE', '/api/maintenance/:id'],
  ['GET', '/api/alerts'],
  ['GET', '/api/alerts/ack'],
  ['POST', '/api/alerts/ack'],
  ['GET', '/api/alerts/dead-letters'],
  ['POST', '/api/alerts/dead-letters/:id/retry'],
  ['GET', '/api/alerts/:id'],
  ['POST', '/api/alerts/:id/ack'],
  ['GET', '/api/silences'],
  ['POST', '/api/silences'],
  ['POST', '/api/silences/:id/approve'],
  ['DELETE', '/api/silences/:id'],
  ['GET', '/api/reports/monthly'],
  ['GET', '/api/reports/range'],
  ['GET', '/api/reports/archive'],
  ['GET', '/api/audit'],
  ['GET', '/api/audit/verify'],
  ['GET', '/api/no-such-route'],
  ['GET', '/wall'],
];


interface Probe {
  method: Method;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

function send(base: URL, p: Probe): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, method: p.method, path: p.path, headers: { ...p.headers, ...(p.body ? { 'content-length': String(p.body.length) } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(p.body ?? undefined);
  });
}

describe('bounded fuzz run against demarc serve', () => {
  let fleet: FleetConfig;
  let child: ChildProcess;
  let base: URL;
  let stderr = '';

  beforeAll(async () => {
    fleet = makeFleetConfig({
      sites: 4,
      agentPort: AGENT_PORT,
      intervalSec: 1,
      extraYaml: JSON.stringify({ users: TEST_USERS, api: { rateLimit: { windowSec: 60, max: 100_000 } } }),
    });
    await seedStateDb(fleet.config.state.path, systemClock);
    child = spawn(process.execPath, [CLI, 'serve', '--config', fleet.configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEMARC_LOG_LEVEL: 'warn' } });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    base = await new Promise<URL>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving \d+ sites at (http\S+)\/wall/.exec(out);
        if (m) resolve(new URL(m[1]!));
      });
      child.once('exit', (code) => reject(new Error(`demarc serve exited with ${code}: ${stderr}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    fleet?.cleanup();
  });

  it('answers 3,000+ fuzzed requests with no 5xx, stays up, and keeps RSS bounded', async () => {
    const rnd = prng(20261201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const sites = fleet.config.inventory.sites.map((s) => s.id);
    // Wait for the unreachable agents to have opened incidents: real ids to aim at.
    let incidents: string[] = [];
    for (let i = 0; i < 100 && !incidents.length; i++) {
      const res = await fetch(new URL('/api/incidents', base), { headers: await authHeaders(base.href, 'admin') });
      incidents = ((await res.json()) as { incidents: { id: string }[] }).incidents.map((x) => x.id);
      if (!incidents.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(incidents.length).toBeGreaterThan(0);

    const junk = ['%ZZ', '%', '%E4%B8', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(3000), '%00', '%F0%9F%98%80', '%27%3B%20DROP%20TABLE%20audit_log%3B--', '-1', '0', 'null'];
    const param = (kind: string): string => {
      if (rnd() < 0.4) return pick(junk);
      if (kind === ':site') return encodeURIComponent(pick(sites));
      if (kind === ':incident') return encodeURIComponent(pick(incidents));
      return encodeURIComponent(`X-${Math.floor(rnd() * 1000)}`);
    };
    const iso = () => pick(['2026-12-01T00:00:00Z', '1970-01-01T00:00:00Z', '2099-01-01T00:00:00Z', 'yesterday', '2026-13-45T99:00:00Z', new Date().toISOString()]);
    const query = (): string => {
      const parts: string[] = [];
      const n = Math.floor(rnd() * 4);
      for (let i = 0; i < n; i++) {
        const k = pick(['from', 'to', 'limit', 'site', 'open', 'month', 'step', 'token', 'actor', 'format', 'offset', 'x[y]', 'from', '%ZZ']);
        const v = pick([iso(), '%ZZ', '-5', '99999999999', 'true', '2026-11', 'csv', 'abc', '', '1e309', '[]', 'a&a=b']);
        parts.push(`${k}=${v}`);
      }
      return parts.length ? `?${parts.join('&')}` : '';
    };
    const validBody = (path: string): unknown => {
      if (path.endsWith('/verdict')) return { responsibility: pick(['carrier', 'customer', 'unknown', 'nobody']), reason: pick(['line cut at the pole', '', 'x']) };
      if (path.includes('/carrier-')) return { at: iso(), note: 'called the hotline' };
      if (path === '/api/maintenance') return { scope: pick([{ kind: 'site', siteId: pick(sites) }, { kind: 'carrier-group', carrierGroup: 'AGG-1' }]), startsAt: iso(), endsAt: iso(), carrierNoticeRef: 'N-1' };
      if (path === '/api/silences') return { match: { siteId: pick(sites) }, endsAt: iso(), reason: 'works' };
      if (path.startsWith('/api/maintenance/') || path.startsWith('/api/silences/')) return { reason: 'no longer needed' };
      return {};
    };
    const body = (path: string): { headers: Record<string, string>; body: Buffer | null } => {
      const json = Buffer.from(JSON.stringify(validBody(path)));
      switch (pick(['valid', 'valid', 'valid', 'none', 'broken-json', 'huge', 'bad-encoding', 'gzip', 'bad-gzip', 'charset', 'text', 'array', 'deep'] as const)) {
        case 'valid':
          return { headers: { 'content-type': 'application/json' }, body: json };
        case 'none':
          return { headers: {}, body: null };
        case 'broken-json':
          return { headers: { 'content-type': 'application/json' }, body: Buffer.from('{"reason": "unterminated') };
        case 'huge':
          return { headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ reason: 'x'.repeat(300 * 1024) })) };
        case 'bad-encoding':
          return { headers: { 'content-type': 'application/json', 'content-encoding': pick(['zstd-ish', 'compress', 'gzip, snappy']) }, body: json };
        case 'gzip':
          return { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(json) };
        case 'bad-gzip':
          return { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: json };
        case 'charset':
          return { headers: { 'content-type': `application/json; charset=${pick(['gbk', 'latin-9', 'utf-7'])}` }, body: json };
        case 'text':
          return { headers: { 'content-type': 'text/plain' }, body: json };
        case 'array':
          return { headers: { 'content-type': 'application/json' }, body: Buffer.from('[1,2,3]') };
        case 'deep':
          return { headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":'.repeat(2000) + '1' + '}'.repeat(2000)) };
      }
    };

    const counts = new Map<number, number>();
    const fivexx: string[] = [];
    const rssStart = rss(child.pid!);
    let rssMax = rssStart;
    for (let i = 0; i < REQUESTS; i++) {
      const [method, template] = pick(ROUTES);
      const path = template.replace(/:[a-z]+/g, (k) => param(k)) + query();
      const user = rnd() < 0.5 ? null : pick(TEST_USERS).id;
      const auth = user ? await authHeaders(base.href, user) : {};
      const b = method === 'GET' ? (rnd() < 0.1 ? body(template) : { headers: {}, body: null }) : body(template);
      const status = await send(base, { method, path, headers: { accept: pick(['application/json', 'text/html', '*/*']), ...auth, ...b.headers }, body: b.body });
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (status >= 500) fivexx.push(`${status} ${method} ${path.slice(0, 120)} as ${user ?? 'anonymous'}`);
      if (i % 200 === 0) rssMax = Math.max(rssMax, rss(child.pid!));
    }
    rssMax = Math.max(rssMax, rss(child.pid!));
    const table = [...counts].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ');
    console.log(`fuzz: ${REQUESTS} requests; by status ${table}; RSS ${(rssStart / 2 ** 20).toFixed(0)} → max ${(rssMax / 2 ** 20).toFixed(0)} MiB`);

    expect(fivexx).toEqual([]);
    expect(child.exitCode).toBeNull();
    expect((await fetch(new URL('/api/health', base))).status).toBe(200);
    // Bounded: the run must not grow the process by more than 200 MiB over its start.
    expect(rssMax - rssStart).toBeLessThan(200 * 2 ** 20);
    // The refusals are real ones, of every kind the run provokes.
    for (const s of [400, 401, 403, 404, 413, 415]) expect(counts.get(s) ?? 0).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/at .+\.ts:\d+:\d+/);
  }, 240_000);
});
