import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl, SimControlError } from '../../sim/control-client.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

const PORT = 20060;
const CONTROL_PORT = 20061;
let fx: FleetConfig;
let sim: FleetSimulator;
const url = (path: string) => `http://127.0.0.1:${CONTROL_PORT}${path}`;

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 4, agentPort: PORT });
  sim = await startFleetSimulator({ config: fx.config, controlPort: CONTROL_PORT });
});
afterAll(async () => {
  await sim?.stop();
  fx?.cleanup();
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(url(path), {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Record<string, unknown>[] };
}

describe('control API', () => {
  it('listens on 127.0.0.1 at the given port and reports health', async () => {
    expect(sim.controlUrl).toBe(`http://127.0.0.1:${CONTROL_PORT}`);
    const r = await call('GET', '/health');
    expect(r).toEqual({ status: 200, body: { ok: true, sites: 4, agents: sim.agentCount, activeFaults: 0 } });
  });

  it('injects, lists and clears a fault', async () => {
    const posted = await call('POST', '/faults', { kind: 'rate-cap', target: 'D01-R001', durationSec: 60, params: { mbps: 10 } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ kind: 'rate-cap', target: 'D01-R001', params: { mbps: 10 }, durationSec: 60, endsAt: expect.any(String) });
    const id = posted.body.id as string;
    expect(Date.parse(posted.body.endsAt as string) - Date.parse(posted.body.startsAt as string)).toBe(60_000);

    const listed = await call('GET', '/faults');
    expect(listed.body.map((f: Record<string, unknown>) => f.id)).toEqual([id]);
    const state = await call('GET', '/sites/D01-R001/state');
    expect(state.body).toMatchObject({ siteId: 'D01-R001', faults: [id], traffic: { capMbps: 10 } });

    const cleared = await call('DELETE', `/faults/${id}`);
    expect(cleared.status).toBe(200);
    expect(Date.parse(cleared.body.endsAt as string)).toBeLessThanOrEqual(Date.now());
    expect((await call('GET', '/faults')).body).toEqual([]);
    expect((await call('DELETE', '/faults/F-9999')).status).toBe(404);
  });

  it('clears everything at once', async () => {
    await call('POST', '/faults', { kind: 'line-cut', target: 'D01-R002' });
    await call('POST', '/faults', { kind: 'noc-isolation' });
    const r = await call('DELETE', '/faults');
    expect(r.body.map((f: Record<string, unknown>) => f.kind).sort()).toEqual(['line-cut', 'noc-isolation']);
    expect(sim.faults()).toEqual([]);
  });

  it.each([
    ['an unknown kind', { kind: 'meteor', target: 'D01-R001' }, 'kind', /Invalid discriminator/],
    ['a missing parameter', { kind: 'rate-cap', target: 'D01-R001' }, 'params', /expected object/],
    ['a bad parameter', { kind: 'rate-cap', target: 'D01-R001', params: { mbps: -5 } }, 'params.mbps', /too small/i],
    ['an unknown parameter', { kind: 'line-cut', target: 'D01-R001', params: { speed: 1 } }, 'params', /speed/],
    ['an unknown site', { kind: 'line-cut', target: 'D99-R999' }, 'target', /unknown site "D99-R999"/],
    ['an unknown carrier group', { kind: 'group-down', target: 'AGG-nowhere' }, 'target', /unknown carrier group/],
    ['a negative duration', { kind: 'line-cut', target: 'D01-R001', durationSec: -1 }, 'durationSec', /too small/i],
    ['a duration on a fault that ends by itself', { kind: 'flap', target: 'D01-R001', durationSec: 5 }, '(body)', /ends by itself/],
    ['a bad garbage mode', { kind: 'garbage', target: 'D01-R001', params: { mode: 'loud' } }, 'params.mode', /malformed/],
    ['no body', undefined, '(body)', /expected object/],
  ])('answers 400 naming the field for %s', async (_label, body, field, message) => {
    const r = await call('POST', '/faults', body);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe(field);
    expect(r.body.error).toMatch(message);
    expect(sim.faults()).toEqual([]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const r = await call('POST', '/faults', undefined, '{"kind": line-cut');
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('body');
  });

  it('gives the true rate over an interval', async () => {
    const to = new Date(Date.now() - 1000);
    const from = new Date(to.getTime() - 60_000);
    const r = await call('GET', `/sites/D01-R003/true-rate?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(r.status).toBe(200);
    const truth = sim.trueRate('D01-R003', from, to);
    expect(r.body).toEqual({ siteId: 'D01-R003', from: from.toISOString(), to: to.toISOString(), inBps: truth.inBps, outBps: truth.outBps });
    expect(truth.inBps).toBeGreaterThan(0);
    expect((await call('GET', `/sites/D01-R003/true-rate?from=${from.toISOString()}`)).body.field).toBe('to');
    expect((await call('GET', `/sites/D01-R003/true-rate?from=yesterday&to=${to.toISOString()}`)).body.field).toBe('from');
    expect((await call('GET', `/sites/D01-R003/true-rate?from=${to.toISOString()}&to=${from.toISOString()}`)).status).toBe(400);
    expect((await call('GET', `/sites/NOPE/true-rate?from=${from.toISOString()}&to=${to.toISOString()}`)).status).toBe(404);
  });

  it('is what the CLI client talks to', async () => {
    const c = simControl(sim.controlUrl!);
    const f = await c.inject({ kind: 'mgmt-hang', target: 'D01-R004', durationSec: 30 });
    expect((await c.faults()).map((x) => x.id)).toEqual([f.id]);
    expect((await c.health()).activeFaults).toBe(1);
    await c.clear(f.id);
    expect(await c.faults()).toEqual([]);
    const err = await c.inject({ kind: 'latency', target: 'D01-R004', params: { ms: 0 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimControlError);
    expect(err).toMatchObject({ status: 400, field: 'params.ms' });
    const down = await simControl('http://127.0.0.1:20069').health().catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, message: expect.stringMatching(/not reachable/) });
  });
});
