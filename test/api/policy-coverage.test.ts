import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, policyLabel, routeTable, type Policy, type RouteEntry } from '../../api/policy.js';
import { HANDSHAKE_POLICY, SOCKET_EVENT_POLICIES } from '../../api/socket-policy.js';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { login, setTestPasswords } from '../support/auth.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

/**
 * Every route of the running app and every socket.io event has a policy, and each policy holds
 * for every kind of caller. The table this test builds is docs/route-access.md (and README's
 * security section); set UPDATE_ROUTE_TABLE=1 to rewrite it after changing a route.
 */
const TABLE_FILE = fileURLToPath(new URL('../../docs/route-access.md', import.meta.url));
// No agent answers on this port: the collector's polls time out, which these tests do not mind.
const AGENT_PORT = 24050;

const CALLERS = ['anonymous', 'viewer', 'operator', 'approver', 'admin', 'auditor', 'display token', 'API token (operator)'] as const;
type CallerName = (typeof CALLERS)[number];

/** What each route was declared with, reviewed by a person: a new route must be added here. */
const EXPECTED: Record<string, string> = {
  'GET /': 'public',
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/display': 'public',
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/logout': 'signed-in',
  'POST /api/auth/password': 'signed-in',
  'GET /api/auth/sessions': 'admin',
  'DELETE /api/auth/sessions/:handle': 'admin',
  'GET /api/users': 'admin',
  'GET /api/people': 'viewer|operator|approver|auditor',
  'GET /api/user-changes': 'admin',
  'POST /api/user-changes': 'admin',
  'POST /api/user-changes/:id/approve': 'admin',
  'GET /api/tokens': 'admin',
  'POST /api/tokens': 'admin',
  'DELETE /api/tokens/:id': 'admin',
  'GET /api/sites': 'read',
  'GET /api/sites/:id': 'read',
  'GET /api/sites/:id/contact': 'operator|approver',
  'GET /api/sites/:id/metrics': 'read',
  'GET /api/incidents': 'read',
  'GET /api/incidents/:id': 'read',
  'GET /api/incidents/:id/fault-report': 'operator',
  'POST /api/incidents/:id/carrier-report': 'operator',
  'POST /api/incidents/:id/carrier-response': 'operator',
  'POST /api/incidents/:id/verdict': 'operator',
  'POST /api/incidents/:id/verdict/approve': 'approver',
  'POST /api/incidents/:id/verdict/reject': 'approver',
  'GET /api/maintenance': 'read',
  'POST /api/maintenance': 'operator',
  'DELETE /api/maintenance/:id': 'operator',
  'GET /api/maintenance/proposals': 'read',
  'GET /api/maintenance/:id/incidents': 'read',
  'POST /api/maintenance/proposals/:id/approve': 'approver',
  'GET /api/alerts': 'read',
  'GET /api/alerts/ack': 'public',
  'POST /api/alerts/ack': 'public',
  'GET /api/alerts/dead-letters': 'read',
  'POST /api/alerts/dead-letters/:id/retry': 'operator',
  'GET /api/alerts/:id': 'read',
  'POST /api/alerts/:id/ack': 'operator',
  'GET /api/silences': 'read',
  'POST /api/silences': 'operator',
  'POST /api/silences/:id/approve': 'approver',
  'DELETE /api/silences/:id': 'operator',
  'GET /api/reports/monthly': 'read',
  'GET /api/reports/range': 'read',
  'GET /api/reports/archive': 'read',
  'POST /api/reports/archive': 'operator|approver',
  'GET /api/reports/archive/:id/file': 'read',
  'GET /api/audit': 'auditor',
  'GET /api/audit/verify': 'auditor',
  'GET /api/inventory/devices': 'read',
  'GET /api/inventory/devices/:id': 'read',
  'GET /api/inventory/circuits': 'read',
  'GET /api/inventory/changes': 'read',
  'POST /api/inventory/discover': 'operator',
  'GET /api/inventory/sites/export': 'operator|approver',
  'GET /api/inventory/proposals': 'operator|approver',
  'GET /api/inventory/proposals/:id': 'operator|approver',
  'POST /api/inventory/proposals': 'operator',
  'POST /api/inventory/import': 'operator',
  'POST /api/inventory/proposals/:id/approve': 'approver',
  'POST /api/inventory/proposals/:id/reject': 'approver',
  'GET /api/inventory/config-gaps': 'read',
  'GET /api/inventory/report': 'read',
};

/** Refusals a handler adds after the policy let the caller in (documented in the route). */
const HANDLER_REFUSES: Record<string, CallerName[]> = {
  'POST /api/auth/password': ['display token', 'API token (operator)'],
};

let fleet: FleetConfig;
let demarc: RunningDemarc;
let siteId: string;
const headers = new Map<CallerName, Record<string, string>>();
const tokens: Partial<Record<CallerName, string>> = {};

beforeAll(async () => {
  fleet = makeFleetConfig({
    sites: 2,
    agentPort: AGENT_PORT,
    intervalSec: 5,
    extraYaml: `users:
  - { id: t.viewer, name: V, roles: [viewer] }
  - { id: t.operator, name: O, roles: [operator] }
  - { id: t.approver, name: A, roles: [approver] }
  - { id: t.admin, name: Ad, roles: [admin] }
  - { id: t.auditor, name: Au, roles: [auditor] }
# 8 callers × every route is more changes than the per-address limit allows; the limit has its own test.
api:
  rateLimit: { windowSec: 60, max: 100000 }`,
  });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
  await setTestPasswords(demarc.identity);
  siteId = fleet.config.inventory.sites[0]!.id;
  const api = demarc.url + '/api';
  headers.set('anonymous', {});
  for (const r of ['viewer', 'operator', 'approver', 'admin', 'auditor'] as const) headers.set(r, (await login(api, `t.${r}`)).headers);
  const display = demarc.identity.createToken({ name: 'wall', kind: 'display', roles: [], expiresAt: null }, 't.admin').value.reveal();
  const machine = demarc.identity.createToken({ name: 'ticketing', kind: 'api', roles: ['operator'], expiresAt: null }, 't.admin').value.reveal();
  tokens['display token'] = display;
  tokens['API token (operator)'] = machine;
  headers.set('display token', { authorization: `Bearer ${display}` });
  headers.set('API token (operator)', { authorization: `Bearer ${machine}` });
}, 120_000);

afterAll(async () => {
  await demarc?.stop();
  fleet?.cleanup();
});

const key = (r: RouteEntry) => `${r.method} ${r.path}`;

/** A concrete URL for a route: real site ids where the answer depends on one, else a miss. */
function concrete(path: string): string {
  return path.replace(/^\/api\/sites\/:id/, `/api/sites/${siteId}`).replace(/:[a-z]+/gi, 'nope');
}

// Logging out ends the session: run it last for each caller.
const order = (rs: RouteEntry[]) => [...rs].sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));

describe('policy coverage', () => {
  it('every route of the running app declares a policy, and it is the reviewed one', () => {
    const routes = routeTable(demarc.api.app);
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => r.policy === null).map(key);
    expect(missing, 'routes without a policy').toEqual([]);
    const declared = Object.fromEntries(routes.map((r) => [key(r), policyLabel(r.policy!)]));
    expect(declared).toEqual(EXPECTED);
  });

  it('every socket.io event the server listens to declares a policy, and so does the handshake', async () => {
    expect(HANDSHAKE_POLICY.kind).toBe('read');
    const client: ClientSocket = connectSocket(demarc.url, { transports: ['websocket'], extraHeaders: headers.get('viewer')!, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    const serverSockets = [...demarc.api.io.of('/').sockets.values()];
    expect(serverSockets.length).toBeGreaterThan(0);
    for (const s of serverSockets) {
      // Reserved names are socket.io's own; a client cannot send them (socket.io refuses to emit them).
      const names = s.eventNames().map(String).filter((n) => !['error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(n));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect(Object.keys(SOCKET_EVENT_POLICIES), `event ${name} has no entry in SOCKET_EVENT_POLICIES`).toContain(name);
        for (const l of s.listeners(name as never)) expect((l as { policy?: Policy }).policy, `a listener of ${name} was registered without onGuarded`).toBeDefined();
      }
    }
    client.close();
  });

  it('route × caller: refused callers get 401/403, allowed ones reach the handler; the table is docs/route-access.md', async () => {
    const routes = order(routeTable(demarc.api.app));
    const rows: string[] = [];
    const wrong: string[] = [];
    const statuses = new Map<string, Partial<Record<CallerName, number>>>();
    for (const caller of CALLERS) {
      for (const r of routes) {
        const res = await fetch(demarc.url + concrete(r.path), {
          method: r.method,
          headers: { ...headers.get(caller)!, ...(r.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
          ...(r.method === 'GET' ? {} : { body: '{}' }),
        });
        await res.arrayBuffer();
        statuses.set(key(r), { ...statuses.get(key(r)), [caller]: res.status });
        const callerOf = caller === 'anonymous' ? null : caller === 'display token' ? 'display' : caller === 'API token (operator)' ? 'api' : caller;
        const fakeCaller = callerOf === null ? null : callerOf === 'display' ? ({ via: 'display' } as never) : ({ via: 'session', user: { id: 'x', name: 'x', roles: callerOf === 'api' ? ['operator'] : [callerOf] } } as never);
        const d = decide(r.policy!, fakeCaller);
        const handlerRefuses = HANDLER_REFUSES[key(r)]?.includes(caller) ?? false;
        if (!d.ok && res.status !== d.status) wrong.push(`${key(r)} as ${caller}: ${res.status}, policy says ${d.status}`);
        if (d.ok && !handlerRefuses && (res.status === 401 || res.status === 403)) wrong.push(`${key(r)} as ${caller}: ${res.status}, policy allows`);
        if (d.ok && handlerRefuses && res.status !== 403) wrong.push(`${key(r)} as ${caller}: ${res.status}, handler should refuse with 403`);
        if (res.status >= 500) wrong.push(`${key(r)} as ${caller}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    rows.push(`| route | policy | ${CALLERS.join(' | ')} |`, `|---|---|${CALLERS.map(() => '---').join('|')}|`);
    for (const r of [...routes].sort((a, b) => key(a).localeCompare(key(b)))) {
      const s = statuses.get(key(r))!;
      rows.push(`| \`${key(r)}\` | ${policyLabel(r.policy!).replaceAll('|', ' or ')} | ${CALLERS.map((c) => s[c]).join(' | ')} |`);
    }
    const table = [
      '<!-- generated by test/api/policy-coverage.test.ts (UPDATE_ROUTE_TABLE=1 to rewrite) -->',
      'Status each caller got from the running app, with `{}` as the body of changes and ids that do not exist (so an allowed caller meets the handler: 400/404, or 200 for reads).',
      '',
      ...rows,
      '',
    ].join('\n');
    if (process.env.UPDATE_ROUTE_TABLE === '1' || !existsSync(TABLE_FILE)) writeFileSync(TABLE_FILE, table);
    expect(readFileSync(TABLE_FILE, 'utf8'), 'docs/route-access.md is out of date: run with UPDATE_ROUTE_TABLE=1').toBe(table);
  }, 120_000);

  it('the socket handshake refuses anonymous callers and accepts the display token', async () => {
    const attempt = (h: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const c = connectSocket(demarc.url, { transports: ['polling'], extraHeaders: h, reconnection: false });
        c.once('connect', () => (c.close(), resolve('connected')));
        c.once('connect_error', (e) => (c.close(), resolve(`refused: ${e.message}`)));
      });
    expect(await attempt({})).toMatch(/^refused/);
    expect(await attempt({ authorization: 'Bearer dmt_000000000000_notavalidtokenvaluenotavalidtokenvalue1234' })).toMatch(/^refused/);
    expect(await attempt({ authorization: `Bearer ${tokens['display token']}` })).toBe('connected');
  });
});
