import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { get as httpGet } from 'node:http';
import { get as httpsGet, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Router } from 'express';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { makeSelfSigned, type SelfSigned } from '../../cli/tls-command.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';
import { bearer, memoryAuth } from '../support/auth.js';

/**
 * Built-in HTTPS with a self-signed certificate (issue 11 item 7). Every client here trusts
 * exactly that certificate: Node clients get it as their `ca`, Chromium pins its public key
 * (--ignore-certificate-errors-spki-list names that one key, nothing else). Verification is
 * never switched off, and a client without the pin is refused, which proves it is on.
 */
function fetchTls(url: string, opts: RequestOptions): Promise<{ status: number; headers: Record<string, unknown>; body: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { ...opts, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, fingerprint: (res.socket as TLSSocket).getPeerCertificate().fingerprint256 }));
    });
    req.on('error', reject);
  });
}

describe('HTTPS with a self-signed certificate', () => {
  let dir: string;
  let first: SelfSigned;
  let api: ApiServer;
  const certFile = () => join(dir, 'cert.pem');
  const keyFile = () => join(dir, 'key.pem');

  let auth: ReturnType<typeof memoryAuth>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demarc-tls-'));
    first = await makeSelfSigned(['127.0.0.1', 'localhost'], 30);
    writeFileSync(certFile(), first.cert);
    writeFileSync(keyFile(), first.key);
    const r = Router().get('/ping', (_req, res) => res.json({ pong: true }));
    api = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      routers: [r],
      webRoot: null,
      snapshot: () => [],
      logger: silentLogger,
      auth: (auth = memoryAuth()),
      tls: { cert: certFile(), key: keyFile(), redirectPort: 0 },
    });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to a client that trusts the certificate, with HSTS; refuses one that does not', async () => {
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetchTls(`${api.url}/api/ping`, { ca: first.cert });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ pong: true });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await expect(fetchTls(`${api.url}/api/ping`, {})).rejects.toThrow(/self[- ]signed/i);
  });

  it('redirects plain HTTP to HTTPS, keeping the path', async () => {
    const res = await new Promise<{ status: number; location: string }>((resolve, reject) =>
      httpGet(`${api.redirectUrl}/api/ping?x=1`, (r) => {
        r.resume();
        resolve({ status: r.statusCode!, location: String(r.headers.location) });
      }).on('error', reject),
    );
    expect(res.status).toBe(308);
    expect(res.location).toBe(`${api.url}/api/ping?x=1`);
  });

  it('runs socket.io over the same TLS', async () => {
    const socket = connectSocket(api.url, { ca: first.cert, transports: ['websocket'], reconnection: false, extraHeaders: bearer(auth.identity) });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const snapshot = await socket.timeout(5000).emitWithAck('sites:snapshot');
      expect(snapshot).toEqual([]);
    } finally {
      socket.close();
    }
    const untrusting = connectSocket(api.url, { transports: ['websocket'], reconnection: false });
    const err = await new Promise<Error>((resolve) => untrusting.once('connect_error', resolve));
    untrusting.close();
    expect(String((err as Error & { description?: { message?: string } }).description?.message ?? err.message)).toMatch(/self[- ]signed|websocket error/i);
  });

  it('reloads a renewed certificate without a restart (what SIGHUP calls)', async () => {
    const renewed = await makeSelfSigned(['127.0.0.1'], 60);
    writeFileSync(certFile(), renewed.cert);
    writeFileSync(keyFile(), renewed.key);
    // Not yet reloaded: still the first certificate.
    expect((await fetchTls(`${api.url}/api/ping`, { ca: first.cert })).status).toBe(200);
    api.reloadTls();
    const res = await fetchTls(`${api.url}/api/ping`, { ca: renewed.cert });
    expect(res.status).toBe(200);
    await expect(fetchTls(`${api.url}/api/ping`, { ca: first.cert })).rejects.toThrow();
    // A broken renewal is refused and the listener keeps serving.
    writeFileSync(keyFile(), 'not a key');
    expect(() => api.reloadTls()).toThrow();
    expect((await fetchTls(`${api.url}/api/ping`, { ca: renewed.cert })).status).toBe(200);
  });
});

describe('the wall over HTTPS in Chromium, trusting the pinned certificate', () => {
  let fleet: FleetConfig;
  let demarc: RunningDemarc;
  let displayToken = '';
  let browser: ChromiumSession;
  let cert: SelfSigned;

  beforeAll(async () => {
    await ensureWebBuilt();
    cert = await makeSelfSigned(['127.0.0.1'], 30);
    fleet = makeFleetConfig({ sites: 3, agentPort: 24103 });
    writeFileSync(join(fleet.dir, 'cert.pem'), cert.cert);
    writeFileSync(join(fleet.dir, 'key.pem'), cert.key);
    const config = { ...fleet.config, api: { ...fleet.config.api, tls: { cert: join(fleet.dir, 'cert.pem'), key: join(fleet.dir, 'key.pem') } } };
    demarc = await startDemarc(config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
    displayToken = demarc.identity.createToken({ name: 'tls-wall', kind: 'display', roles: [], expiresAt: null }, 'test').value.reveal();
    browser = await launchChromium({ args: [`--ignore-certificate-errors-spki-list=${cert.spkiSha256}`] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await demarc?.stop();
    fleet?.cleanup();
  });

  it('loads the wall and its live socket.io feed over HTTPS under the CSP', async () => {
    const page = browser.page;
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    expect(demarc.url).toMatch(/^https:/);
    const res = await page.goto(`${demarc.url}/wall#token=${displayToken}`);
    expect(res?.status()).toBe(200);
    expect(await res?.headerValue('strict-transport-security')).toMatch(/max-age/);
    await page.waitForSelector('[data-site-id]');
    expect((await page.$$('[data-site-id]')).length).toBe(3);
    await page.waitForFunction(() => document.querySelector('[data-testid="connection"]')?.getAttribute('data-connection') === 'connected', null, { timeout: 15_000 });
    expect(problems).toEqual([]);
  }, 60_000);

  it('a browser without the pin is refused: the trust is the pin, not a switch', async () => {
    const other = await launchChromium();
    try {
      await expect(other.page.goto(`${demarc.url}/wall`)).rejects.toThrow(/ERR_CERT/);
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('demarc serve reloads its certificate on SIGHUP', () => {
  it('serves the renewed certificate after kill -HUP, without a restart', async () => {
    const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));
    const first = await makeSelfSigned(['127.0.0.1'], 30);
    const fleet = makeFleetConfig({ sites: 1, agentPort: 24104, extraYaml: JSON.stringify({ api: { tls: { cert: './cert.pem', key: './key.pem' } } }) });
    writeFileSync(join(fleet.dir, 'cert.pem'), first.cert);
    writeFileSync(join(fleet.dir, 'key.pem'), first.key);
    const child = spawn(process.execPath, [CLI, 'serve', '--config', fleet.configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEMARC_LOG_LEVEL: 'warn' } });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /serving \d+ sites at (https:\S+)\/wall/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`demarc serve exited with ${code}: ${stderr}`)));
      });
      expect((await fetchTls(`${url}/api/health`, { ca: first.cert })).status).toBe(200);
      const renewed = await makeSelfSigned(['127.0.0.1'], 60);
      writeFileSync(join(fleet.dir, 'cert.pem'), renewed.cert);
      writeFileSync(join(fleet.dir, 'key.pem'), renewed.key);
      child.kill('SIGHUP');
      // Wait on the condition: a new connection trusting only the renewed certificate succeeds.
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = await fetchTls(`${url}/api/health`, { ca: renewed.cert }).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      await expect(fetchTls(`${url}/api/health`, { ca: first.cert })).rejects.toThrow();
      expect(child.exitCode).toBeNull();
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fleet.cleanup();
    }
  }, 60_000);
});
