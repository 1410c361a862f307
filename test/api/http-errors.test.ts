import { request } from 'node:http';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { mutationRateLimit } from '../../api/audit-trail.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import { memoryAuth } from '../support/auth.js';

/** The statuses that body-parser and the router attach reach the client, as JSON naming the problem. */
const logged: { level: string; obj: unknown }[] = [];
const capture = (level: string) => (obj: unknown) => logged.push({ level, obj });
const logger = { ...silentLogger, info: capture('info'), warn: capture('warn'), error: capture('error'), child: () => logger } as unknown as Logger;

function call(base: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; json: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('client errors from the parsers and the router', () => {
  let api: ApiServer;
  beforeAll(async () => {
    const r = Router();
    r.get('/things/:id', (req, res) => res.json({ id: req.params.id }));
    r.post('/things', (req, res) => res.json({ got: req.body as unknown }));
    api = await startApiServer({ host: '127.0.0.1', port: 0, routers: [r], webRoot: null, snapshot: () => [], logger, auth: memoryAuth() });
  });
  afterAll(() => api.close());

  const json = { 'content-type': 'application/json' };
  it.each([
    ['a malformed percent-encoding in a path parameter', 'GET', '/api/things/%ZZ', {}, undefined, 400, /percent-encoding/],
    ['a body over the limit', 'POST', '/api/things', json, JSON.stringify({ x: 'y'.repeat(300 * 1024) }), 413, /larger than the limit/],
    ['an unsupported Content-Encoding', 'POST', '/api/things', { ...json, 'content-encoding': 'zstd-ish' }, '{}', 415, /Content-Encoding "zstd-ish"/],
    ['an unsupported charset', 'POST', '/api/things', { 'content-type': 'application/json; charset=gbk' }, '{}', 415, /charset "gbk"/],
    ['malformed JSON', 'POST', '/api/things', json, '{"x":', 400, /not valid JSON/],
    ['a gzip header on a body that is not gzip', 'POST', '/api/things', { ...json, 'content-encoding': 'gzip' }, '{"x":1}', 400, /./],
  ] as const)('%s', async (_what, method, path, headers, body, status, message) => {
    logged.length = 0;
    const res = await call(api.url, method, path, headers as Record<string, string>, body);
    expect(res.status).toBe(status);
    expect(String(res.json.error)).toMatch(message);
    // Logged as a client error: one line, no stack, nothing at error level.
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    expect(JSON.stringify(logged)).not.toMatch(/\n\s+at /);
  });

  it('still parses a good body', async () => {
    const res = await call(api.url, 'POST', '/api/things', json, '{"x":1}');
    expect(res).toEqual({ status: 200, json: { got: { x: 1 } } });
  });
});

describe('security headers and the rate limit on changes', () => {
  let api: ApiServer;
  beforeAll(async () => {
    const r = Router();
    r.get('/things', (_req, res) => res.json({ ok: true }));
    r.post('/things', (_req, res) => res.json({ ok: true }));
    api = await startApiServer({ host: '127.0.0.1', port: 0, routers: [r], middleware: [mutationRateLimit({ windowSec: 60, max: 3 }, logger)], webRoot: null, snapshot: () => [], logger, auth: memoryAuth() });
  });
  afterAll(() => api.close());

  it('sends CSP with frame-ancestors none, X-Frame-Options, Referrer-Policy; no HSTS over plain HTTP', async () => {
    const res = await fetch(`${api.url}/api/things`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    // Plain HTTP (the demo): upgrading subresources would break the page.
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers 429 with a JSON reason once a source exceeds the limit on changes; reads stay open', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${api.url}/api/things`, { method: 'POST' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await fetch(`${api.url}/api/things`, { method: 'POST' });
    expect(((await refused.json()) as { error: string }).error).toMatch(/too many changes .* at most 3 per 60 s/);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    for (let i = 0; i < 5; i++) expect((await fetch(`${api.url}/api/things`)).status).toBe(200);
  });
});
