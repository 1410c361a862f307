import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/auth.js';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import type { InventoryChangeDto, ServerToClientEvents } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';

// Issue 15 items 1, 2 and 6 on the demo fleet: discovery over real SNMP (the simulator's
// ENTITY-MIB), the API lists every CE, head-end and CPE with vendor, model, serial and software,
// and a simulated CE swap and firmware upgrade each become a dated change, a socket.io event
// and an alert.

const AGENT_PORT = 24510;
const fast = { timeoutMs: 800, retries: 0 };
let fx: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
/** The operator's API token (no CSRF for bearer calls); reads and the socket use it too. */
let operator: Record<string, string> = {};
let socket: Socket<ServerToClientEvents>;
const pushed: InventoryChangeDto[] = [];

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(demarc.url + '/api' + path, {
    method,
    headers: { 'content-type': 'application/json', ...operator },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}


beforeAll(async () => {
  fx = makeFleetConfig({
    sites: 8,
    agentPort: AGENT_PORT,
    oobEvery: 4,
    cpeEvery: 3,
    extraYaml: JSON.stringify({
      snmp: { profiles: { 'ce-v2c': fast, 'ce-v3': fast, 'headend-v3': fast, 'carrier-cpe': fast } },
      traps: { enabled: false },
      users: [{ id: 'noc.zhang', name: '张工', roles: ['operator'] }],
    }),
  });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null });
  demarc = await startDemarc(fx.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
  operator = bearer(demarc.identity, ['operator'], 'inventory-test');
  socket = connectSocket(demarc.url, { transports: ['websocket'], extraHeaders: operator });
  socket.on('inventory:change', (c) => pushed.push(c));
  await until('socket connected', () => socket.connected);
}, 60_000);

afterAll(async () => {
  socket?.close();
  await demarc?.stop();
  await sim?.stop();
  fx?.cleanup();
});

describe('discovery of the demo fleet over SNMP', () => {
  it('lists every CE, OOB view, head-end and CPE with vendor, model, serial and software', async () => {
    const devices = await until('start-up discovery of every device', async () => {
      const r = await api('GET', '/inventory/devices');
      return (r.body.devices as any[]).every((d) => d.lastDiscoveryAt) ? (r.body.devices as any[]) : null;
    });
    const sites = fx.config.inventory.sites;
    const roles = (role: string) => devices.filter((d) => d.role === role);
    expect(roles('ce')).toHaveLength(sites.length);
    expect(roles('oob')).toHaveLength(sites.filter((s) => s.oob).length);
    expect(roles('cpe')).toHaveLength(sites.filter((s) => s.cpe).length);
    expect(roles('headend').length).toBe(new Set(sites.map((s) => `${s.circuit.headend.device.host}:${s.circuit.headend.device.port}`)).size);
    for (const d of devices) {
      expect(d.vendor, d.id).toBe('Huawei');
      expect(d.model, d.id).toMatch(/\S/);
      expect(d.serial, d.id).toMatch(/^2102351\d{6}P0/);
      expect(d.software, d.id).toMatch(/^V\d{3}R\d{3}/);
      expect(d.gaps, d.id).toEqual([]);
    }
    expect(roles('ce')[0]).toMatchObject({ model: 'AR2220', software: 'V200R010C10SPC700' });
    expect(roles('headend')[0]).toMatchObject({ model: 'NE40E-X8' });
    // A CE and its OOB view are the same unit: the same serial.
    const withOob = sites.find((s) => s.oob)!;
    expect(devices.find((d) => d.id === `oob:${withOob.id}`).serial).toBe(devices.find((d) => d.id === `ce:${withOob.id}`).serial);

    const one = await api('GET', `/inventory/devices/${encodeURIComponent(`ce:${sites[0]!.id}`)}`);
    expect(one.status).toBe(200);
    expect(one.body.device.entities.map((e: any) => e.class)).toEqual(['chassis', 'module']);
    const wan = one.body.device.interfaces.find((i: any) => i.ifName === sites[0]!.ce.ifName);
    expect(wan).toMatchObject({ ifType: 6, admin: 'up', oper: 'up', highSpeedMbps: 1000 });
    expect(wan.ifAlias).toContain(sites[0]!.circuit.id);
    expect((await api('GET', '/inventory/devices/ce:NOPE')).status).toBe(404);
  });

  it('a CE swap becomes a device-replaced change, a socket.io event and an alert; an upgrade a software change', async () => {
    const site = fx.config.inventory.sites[1]!;
    const before = (await api('GET', `/inventory/devices/ce:${site.id}`)).body.device;
    const t0 = Date.now();
    sim.inject({ kind: 'device-swap', target: site.id, params: { offSec: 1, serial: '2102351999999P0SWAP1' } });
    // The new unit boots: the collector sees sysUpTime go back and discovery walks the CE again.
    const change = await until('a device-replaced change', async () => {
      const r = await api('GET', `/inventory/changes?from=${new Date(t0).toISOString()}`);
      return (r.body.changes as any[]).find((c) => c.kind === 'device-replaced' && c.deviceId === `ce:${site.id}`);
    });
    expect(change.before).toEqual({ serial: before.serial, model: 'AR2220' });
    expect(change.after).toEqual({ serial: '2102351999999P0SWAP1', model: 'AR2220' });
    expect(Date.parse(change.at)).toBeGreaterThanOrEqual(t0);
    await until('the change pushed over socket.io', () => pushed.some((p) => p.id === change.id));
    const alert = await until('an inventory-change alert', async () => ((await api('GET', '/alerts')).body.alerts as any[]).find((a) => a.rule === 'inventory-change' && a.siteIds.includes(site.id)));
    expect(alert.detail).toContain('2102351999999P0SWAP1');
    expect(((await api('GET', '/alerts')).body.alerts as any[]).filter((a) => a.rule === 'site-down')).toEqual([]);

    const t1 = Date.now();
    sim.inject({ kind: 'firmware-upgrade', target: site.id, params: { version: 'V200R011C10SPC600', rebootSec: 1 } });
    const upgrade = await until('a software-upgraded change', async () => {
      const r = await api('GET', `/inventory/changes?from=${new Date(t1).toISOString()}`);
      return (r.body.changes as any[]).find((c) => c.kind === 'software-upgraded' && c.deviceId === `ce:${site.id}`);
    });
    expect(upgrade).toMatchObject({ before: 'V200R010C10SPC700', after: 'V200R011C10SPC600' });
  });

  it('a CE swapped during an outage decides it device side (ce-replaced)', async () => {
    const site = fx.config.inventory.sites[2]!;
    const t0 = Date.now();
    // Off long enough to confirm an outage (3 failed 1 s polls).
    sim.inject({ kind: 'device-swap', target: site.id, params: { offSec: 6 } });
    const incident = await until('the outage closed', async () => {
      const r = await api('GET', `/incidents?site=${site.id}&from=${new Date(t0 - 1000).toISOString()}`);
      const list = r.body.incidents as any[];
      return list.length === 1 && list[0].endedAt ? list[0] : null;
    }, 40_000);
    expect(incident).toMatchObject({ responsibility: 'device', rule: 'ce-replaced', verdict: 'final' });
    expect(incident.evidence.map((e: any) => e.kind)).toContain('ce-replaced');
  });

  it('serves the circuit register with derived dates from the demo inventory', async () => {
    const r = await api('GET', '/inventory/circuits');
    expect(r.status).toBe(200);
    const sites = fx.config.inventory.sites;
    expect(r.body.circuits).toHaveLength(sites.length);
    for (const c of r.body.circuits as any[]) {
      const site = sites.find((s) => s.circuit.id === c.circuitId)!;
      expect(c.orderDate, c.circuitId).toBe(site.circuit.contract!.orderDate);
      expect(c.requiredActivationDate > c.orderDate, c.circuitId).toBe(true);
      expect(c.activationDate).toBe(site.circuit.activationDate);
      expect(c.late.creditFen).toBe(c.late.workingDaysLate === 0 ? 0 : Math.min(c.late.workingDaysLate * 10_000, 300_000));
    }
  });

  it('discovers on demand for one site, and refuses an unknown site naming the field', async () => {
    const site = fx.config.inventory.sites[0]!;
    const r = await api('POST', '/inventory/discover', { site: site.id });
    expect(r.status).toBe(200);
    expect(r.body.devices).toBeGreaterThanOrEqual(2);
    expect(r.body.changes).toEqual([]);
    const bad = await api('POST', '/inventory/discover', { site: 'NOPE' });
    expect(bad.status).toBe(404);
    expect(bad.body.details).toEqual([{ field: 'site', problem: 'unknown site' }]);
    const typo = await api('POST', '/inventory/discover', { sites: 'x' });
    expect(typo.status).toBe(400);
  });
});
