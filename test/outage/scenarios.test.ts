import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceDetail } from '../../core/terms.js';
import type { IncidentDto } from '../../core/events.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { DYING_GASP_TRAP_OID } from '../../sim/traps.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { sessions, setTestPasswords } from '../support/auth.js';

// Behaviours 1-11 of the outage issue, end to end: the simulated fleet answers real SNMP on
// loopback, the collector polls it every second, traps arrive over UDP, the outage stage
// decides, SQLite stores, and everything is read back over HTTP as an external tool would.
//
// 12 sites of the demo fleet: D01-R004 and D01-R010 have an OOB path, D01-R002, D01-R007 and
// D01-R012 a carrier CPE; D01-R009…R012 are carrier group AGG-阿拉尔-B, the rest AGG-阿拉尔-A.

const AGENT_PORT = 22161;
const TRAP_PORT = 22162;
const GROUP_B = 'AGG-阿拉尔-B';
const fast = { timeoutMs: 400, retries: 0 };

let fx: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
/**
 * The one place that starts demarc for these tests. They read only the HTTP API, so switching
 * to app/pipeline.ts once it mounts the outage stage is this one line:
 * `startDemarc(fx.config, { logger: silentLogger, clock: systemClock, webRoot: null })`.
 */
const startPipeline = async () => {
  const d = await startDemarc(fx.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
  await setTestPasswords(d.identity);
  return d;
};
// Each test logs in as the people it names; reads go as the viewer.
const VIEWER = 'noc.viewer';
const as = sessions(() => demarc.url + '/api');

type Incident = IncidentDto & { carrierResponse: unknown };

async function api(method: string, path: string, body?: unknown, user?: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(demarc.url + '/api' + path, {
    method,
    headers: { 'content-type': 'application/json', ...(await as(user ?? (method === 'GET' ? VIEWER : undefined))) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Incidents of a site (or all, site null) that overlap [since, now]. */
async function incidentsOf(site: string | null, since: number): Promise<Incident[]> {
  const qs = new URLSearchParams({ from: new Date(since).toISOString(), ...(site ? { site } : {}) });
  const r = await api('GET', `/incidents?${qs}`);
  expect(r.status).toBe(200);
  const found = (r.body.incidents as Incident[]).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  lastLook = { site, incidents: found.map(({ id, kind, startedAt, endedAt, responsibility, verdict, rule, evidence }) => ({ id, kind, startedAt, endedAt, responsibility, verdict, rule, evidence: evidence.map((e) => `${e.kind}: ${e.detail}`) })) };
  return found;
}
/** What the last look at the incidents found: printed when a wait times out. */
let lastLook: unknown = null;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}; last seen: ${JSON.stringify(lastLook, null, 1)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kinds = (i: Incident) => i.evidence.map((e) => e.kind);
const only = async (site: string, since: number) => {
  const all = await incidentsOf(site, since);
  return all.length === 1 ? all[0]! : null;
};
const closedOnly = async (site: string, since: number) => {
  const i = await only(site, since);
  return i && i.endedAt !== null ? i : null;
};

beforeAll(async () => {
  fx = makeFleetConfig({
    sites: 12,
    agentPort: AGENT_PORT,
    oobEvery: 6,
    cpeEvery: 5,
    extraYaml: JSON.stringify({
      snmp: { profiles: { 'ce-v2c': fast, 'ce-v3': fast, 'headend-v3': fast, 'carrier-cpe': fast } },
      traps: { enabled: true, host: '127.0.0.1', port: TRAP_PORT, communities: ['public'], dyingGaspOids: [DYING_GASP_TRAP_OID] },
      outage: {
        confirm: { polls: 3 },
        recover: { polls: 2 },
        flap: { minDrops: 3, windowSec: 60, quietSec: 6 },
        massOutage: { minSites: 4, windowSec: 30 },
      },
      users: [
        { id: 'noc.zhang', name: '张工', roles: ['operator'] },
        { id: 'mgr.li', name: '李主任', roles: ['approver'] },
        { id: VIEWER, name: '大屏', roles: ['viewer'] },
      ],
    }),
  });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null, trapTarget: { host: '127.0.0.1', port: TRAP_PORT, community: 'public' } });
  demarc = await startPipeline();
  // Every site answering before any fault: the uptime baseline the verdicts compare against.
  await sleep(3000);
}, 60_000);

afterAll(async () => {
  await demarc?.stop();
  await sim?.stop();
  fx?.cleanup();
});

describe('outages over real SNMP, 1 s polls', () => {
  let lineCutId = '';

  it('1 + 9. line cut: provisional with the evidence so far while down, one incident, line final at recovery', async () => {
    const t0 = Date.now();
    const cut = sim.inject({ kind: 'line-cut', target: 'D01-R001' });
    const open = await until('the line cut to open an incident', () => only('D01-R001', t0));
    expect(open).toMatchObject({ endedAt: null, verdict: 'provisional', responsibility: 'undetermined', rule: 'awaiting-recovery' });
    expect(kinds(open)).toEqual(expect.arrayContaining(['ce-unreachable', 'headend-down']));
    await sleep(3000);
    const still = (await only('D01-R001', t0))!;
    expect(still).toMatchObject({ id: open.id, endedAt: null, verdict: 'provisional' });
    cut.clear();
    const done = await until('the line cut to close', () => closedOnly('D01-R001', t0));
    expect(done).toMatchObject({ id: open.id, responsibility: 'line', verdict: 'final', rule: 'line-cut', flaps: 0 });
    expect(kinds(done)).toEqual(expect.arrayContaining(['uptime-continuous', 'wan-change-inside', 'ce-returned']));
    expect(done.durationSec).toBeGreaterThanOrEqual(3);
    lineCutId = done.id;
  });

  it('2. power loss → device; an agent restart alone is no outage; an agent restart inside a line cut stays line', async () => {
    const t0 = Date.now();
    sim.inject({ kind: 'power-loss', target: 'D01-R003', durationSec: 6, params: { bootSec: 2 } });
    sim.inject({ kind: 'agent-restart', target: 'D01-R005', params: { silentSec: 6 } });
    sim.inject({ kind: 'line-cut', target: 'D01-R006', durationSec: 10 });
    await sleep(2500);
    sim.inject({ kind: 'agent-restart', target: 'D01-R006', params: { silentSec: 3 } });
    const power = await until('the power loss to close', () => closedOnly('D01-R003', t0));
    expect(power).toMatchObject({ responsibility: 'device', verdict: 'final', rule: 'ce-rebooted' });
    expect(kinds(power)).toContain('trap:dyingGasp');
    const cutRestart = await until('the line cut with an agent restart to close', () => closedOnly('D01-R006', t0));
    expect(cutRestart).toMatchObject({ responsibility: 'line', verdict: 'final', rule: 'line-cut' });
    expect(kinds(cutRestart)).toContain('agent-restart');
    expect(kinds(cutRestart)).not.toContain('ce-rebooted');
    const restartAlone = await incidentsOf('D01-R005', t0);
    expect(restartAlone.filter((i) => i.kind === 'outage')).toEqual([]);
    for (const gap of restartAlone) expect(gap).toMatchObject({ kind: 'monitoring-gap', responsibility: 'device', rule: 'management-plane-hang' });
  });

  it('3. OOB and carrier CPE evidence decide during the outage, without waiting for recovery', async () => {
    const t0 = Date.now();
    const faults = [
      sim.inject({ kind: 'line-cut', target: 'D01-R004' }),
      sim.inject({ kind: 'line-cut', target: 'D01-R002' }),
      sim.inject({ kind: 'power-loss', target: 'D01-R007' }),
    ];
    const during = await until('all three to be decided while down', async () => {
      const [oob, cpeLine, cpeCustomer] = await Promise.all(['D01-R004', 'D01-R002', 'D01-R007'].map((s) => only(s, t0)));
      return oob?.rule === 'oob-wan-down' && cpeLine?.rule === 'cpe-line-down' && cpeCustomer?.rule === 'cpe-customer-port-down' && { oob, cpeLine, cpeCustomer };
    });
    expect(during.oob).toMatchObject({ responsibility: 'line', verdict: 'provisional', endedAt: null });
    expect(during.cpeLine).toMatchObject({ responsibility: 'line', verdict: 'provisional', endedAt: null });
    expect(during.cpeCustomer).toMatchObject({ responsibility: 'device', verdict: 'provisional', endedAt: null });
    for (const f of faults) f.clear();
    const [oob, cpeLine, cpeCustomer] = await until('all three to close', async () => {
      const all = await Promise.all(['D01-R004', 'D01-R002', 'D01-R007'].map((s) => closedOnly(s, t0)));
      return all.every(Boolean) && (all as Incident[]);
    });
    expect(oob).toMatchObject({ responsibility: 'line', verdict: 'final' });
    expect(cpeLine).toMatchObject({ responsibility: 'line', verdict: 'final' });
    expect(cpeCustomer).toMatchObject({ responsibility: 'device', verdict: 'final' });

    const t1 = Date.now();
    const shut = sim.inject({ kind: 'wan-admin-down', target: 'D01-R010' });
    const admin = await until('the admin-down port to be decided', () => only('D01-R010', t1));
    expect(admin).toMatchObject({ responsibility: 'device', rule: 'oob-wan-admin-down', verdict: 'provisional' });
    shut.clear();
    expect(await until('the admin-down outage to close', () => closedOnly('D01-R010', t1))).toMatchObject({ responsibility: 'device', verdict: 'final', rule: 'oob-wan-admin-down' });
  }, 90_000);

  it('4. management-plane hang: a device-side monitoring gap, not an outage', async () => {
    const t0 = Date.now();
    const hang = sim.inject({ kind: 'mgmt-hang', target: 'D01-R008' });
    const gap = await until('the hang to be recorded', () => only('D01-R008', t0));
    expect(gap).toMatchObject({ kind: 'monitoring-gap', responsibility: 'device', rule: 'management-plane-hang', endedAt: null });
    expect(kinds(gap)).toContain('headend-up-moving');
    hang.clear();
    const done = await until('the hang to end', () => closedOnly('D01-R008', t0));
    expect(done).toMatchObject({ kind: 'monitoring-gap', verdict: 'final' });
  });

  it('5. mass outage: every site of the carrier group down together → one group event, line at once, final at recovery', async () => {
    const t0 = Date.now();
    const down = sim.inject({ kind: 'group-down', target: GROUP_B });
    const groupSites = ['D01-R009', 'D01-R010', 'D01-R011', 'D01-R012'];
    const during = await until('the group event', async () => {
      const all = await Promise.all(groupSites.map((s) => only(s, t0)));
      return all.every((i) => i?.groupEventId) && (all as Incident[]);
    });
    expect(new Set(during.map((i) => i.groupEventId)).size).toBe(1);
    for (const i of during) expect(i).toMatchObject({ responsibility: 'line', verdict: 'provisional', endedAt: null });
    expect(during.map((i) => i.rule)).toContain('mass-outage');
    expect((await api('GET', `/incidents?group=${during[0]!.groupEventId}`)).body.incidents).toHaveLength(4);
    down.clear();
    const after = await until('the group to recover', async () => {
      const all = await Promise.all(groupSites.map((s) => closedOnly(s, t0)));
      return all.every(Boolean) && (all as Incident[]);
    });
    for (const i of after) expect(i).toMatchObject({ responsibility: 'line', verdict: 'final', groupEventId: during[0]!.groupEventId });
  });

  it('7. planned cutover: inside a window registered in advance → planned; the overrun is its own line incident; a late window does not count', async () => {
    const t0 = Date.now();
    const w = await api('POST', '/maintenance', { siteId: 'D01-R001', startsAt: new Date(t0 - 1000).toISOString(), endsAt: new Date(t0 + 8000).toISOString(), carrierNoticeRef: '割接通知 CT-2026-031' }, 'noc.zhang');
    expect(w.status).toBe(201);
    const cutover = sim.inject({ kind: 'line-cut', target: 'D01-R001' });
    const late = sim.inject({ kind: 'line-cut', target: 'D01-R003', durationSec: 10 });
    const lateOpen = await until('the unannounced outage', () => only('D01-R003', t0));
    const lateWindow = await api('POST', '/maintenance', { siteId: 'D01-R003', startsAt: new Date(t0 - 60_000).toISOString(), endsAt: new Date(t0 + 3_600_000).toISOString(), carrierNoticeRef: 'after the fact' }, 'noc.zhang');
    expect(lateWindow.status).toBe(201);
    const split = await until('the planned part to end at the window end and the overrun to open', async () => {
      const all = await incidentsOf('D01-R001', t0);
      return all.length === 2 && all[0]!.endedAt !== null && all;
    });
    expect(split[0]).toMatchObject({ responsibility: 'planned', verdict: 'final', rule: 'planned-maintenance', endedAt: w.body.window.endsAt, maintenanceWindowId: w.body.window.id });
    expect(split[1]).toMatchObject({ responsibility: 'line', rule: 'maintenance-overrun', startedAt: w.body.window.endsAt, endedAt: null });
    cutover.clear();
    const overrun = await until('the overrun to close', async () => {
      const all = await incidentsOf('D01-R001', t0);
      return all[1]?.endedAt && all[1];
    });
    expect(overrun).toMatchObject({ responsibility: 'line', verdict: 'final', rule: 'maintenance-overrun' });
    late.clear();
    const lateDone = await until('the unannounced outage to close', () => closedOnly('D01-R003', t0));
    expect(lateDone).toMatchObject({ id: lateOpen.id, responsibility: 'line', maintenanceWindowId: null });
    expect(lateDone.rule).not.toBe('planned-maintenance');
    // It has begun: withdrawing it takes a second person.
    const lift = await api('DELETE', `/maintenance/${lateWindow.body.window.id}`, { reason: 'registered after the fact' }, 'noc.zhang');
    expect(lift.status).toBe(202);
    expect((await api('POST', `/maintenance/proposals/${lift.body.proposal.id}/approve`, {}, 'mgr.li')).status).toBe(200);
  }, 90_000);

  it('8. flapping: short drops are flaps of one incident; drops between polls are caught by traps', async () => {
    const t0 = Date.now();
    sim.inject({ kind: 'flap', target: 'D01-R005', params: { count: 4, downMs: 1500, upMs: 3000 } });
    // Not in the same millisecond: the simulator's trap timer skips a transition at the instant it last checked.
    await sleep(20);
    sim.inject({ kind: 'flap', target: 'D01-R004', params: { count: 4, downMs: 250, upMs: 2500 } });
    const polled = await until('the polled flaps to close', () => closedOnly('D01-R005', t0), 50_000);
    expect(polled, JSON.stringify(polled.evidence.map((e) => `${e.at} ${e.kind}: ${e.detail}`), null, 1)).toMatchObject({ kind: 'outage', flaps: 4, verdict: 'final' });
    expect(kinds(polled).filter((k) => k === 'flap')).toHaveLength(4);
    const trapped = await until('the trapped flaps to close', () => closedOnly('D01-R004', t0), 50_000);
    expect(trapped.flaps, JSON.stringify({ evidence: trapped.evidence, traps: sim.trapsSent().filter((t) => t.siteId === 'D01-R004' && t.at >= t0) }, null, 1)).toBe(4);
    expect(trapped).toMatchObject({ kind: 'outage', responsibility: 'line', verdict: 'final' });
    expect(kinds(trapped)).toEqual(expect.arrayContaining(['trap:linkDown', 'trap:linkUp']));
    expect(trapped.evidence.some((e) => e.kind === 'flap' && /traps between polls/.test(evidenceDetail(e, 'en')))).toBe(true);
  }, 90_000);

  it('8b. flapping at the poll rate: 8 one-second cuts 2 s apart, one good poll between most of them, are one flapping line incident', async () => {
    const t0 = Date.now();
    // D01-R003 has no OOB path: its linkDown traps cannot leave, so the polls see these drops.
    const f = sim.inject({ kind: 'flap', target: 'D01-R003', params: { count: 8, downMs: 1000, upMs: 1000 } });
    const flapping = await until('the flapping incident to close', () => closedOnly('D01-R003', t0), 60_000);
    // Each flap against the cut it fell in (cut k is [start + 2k s, start + 2k s + 1 s)).
    const flaps = flapping.evidence.filter((e) => e.kind === 'flap').map((e) => ({ cut: Math.floor((Date.parse(e.at) - f.fault.startsAt) / 2000), intoMs: (Date.parse(e.at) - f.fault.startsAt) % 2000, detail: e.detail }));
    const detail = JSON.stringify(flaps);
    console.info(`[8b] ${flapping.flaps} flaps: ${detail}`);
    expect(flapping, detail).toMatchObject({ kind: 'outage', responsibility: 'line', verdict: 'final' });
    // Each 1 s cut is seen by one poll, or by none when it falls between two: never merged with the next.
    expect(flapping.flaps, detail).toBeGreaterThanOrEqual(3);
    expect(flaps).toHaveLength(flapping.flaps);
  }, 90_000);

  it('10. a verdict correction takes effect only when a second person with the approver role approves it', async () => {
    expect(lineCutId).not.toBe('');
    const p = await api('POST', `/incidents/${lineCutId}/verdict`, { responsibility: 'external', reason: '道路施工挖断光缆（第三方，12.1）' }, 'noc.zhang');
    expect(p.status).toBe(202);
    expect(p.body.incident.responsibility).toBe('line');
    const self = await api('POST', `/incidents/${lineCutId}/verdict/approve`, {}, 'noc.zhang');
    expect(self.status).toBe(403);
    const ok = await api('POST', `/incidents/${lineCutId}/verdict/approve`, {}, 'mgr.li');
    expect(ok.status).toBe(200);
    expect(ok.body.incident).toMatchObject({ responsibility: 'external', verdict: 'final', rule: 'operator-correction' });
    expect(ok.body.incident.corrections[0]).toMatchObject({ proposedBy: 'noc.zhang', approvedBy: 'mgr.li', approvedAt: expect.stringMatching(/Z$/) });
    expect((await api('GET', `/incidents/${lineCutId}`)).body.incident.responsibility).toBe('external');
  });

  it('6. NOC isolation: one monitoring incident for the fleet, not an outage per site', async () => {
    const t0 = Date.now();
    const iso = sim.inject({ kind: 'noc-isolation', durationSec: 8 });
    const fleet = await until('the isolation incident', async () => (await incidentsOf(null, t0)).find((i) => i.siteId === null));
    expect(fleet).toMatchObject({ kind: 'monitoring-gap', responsibility: 'monitoring', rule: 'noc-isolation' });
    await until('the isolation to end', async () => (await incidentsOf(null, t0)).find((i) => i.siteId === null && i.endedAt !== null), 40_000);
    expect(iso.fault.endsAt).not.toBeNull();
    await sleep(4000);
    const all = await incidentsOf(null, t0);
    expect(all.filter((i) => i.siteId !== null && Date.parse(i.startedAt) >= t0)).toEqual([]);
    expect(all.filter((i) => i.siteId === null)).toHaveLength(1);
  });
});

describe('11. restart of demarc', () => {
  it('an outage open at the stop continues after the restart: the same incident, not a duplicate', async () => {
    const t0 = Date.now();
    const cut = sim.inject({ kind: 'line-cut', target: 'D01-R011' });
    const open = await until('the outage to open', () => only('D01-R011', t0));
    await demarc.stop();
    await sleep(3000);
    demarc = await startPipeline();
    await sleep(2500);
    const resumed = (await only('D01-R011', t0))!;
    expect(resumed).toMatchObject({ id: open.id, endedAt: null });
    cut.clear();
    const done = await until('the resumed outage to close', () => closedOnly('D01-R011', t0));
    expect(done).toMatchObject({ id: open.id, responsibility: 'line', verdict: 'final' });
    expect(kinds(done)).toContain('demarc-restart');
  }, 60_000);

  it('recovered while demarc was down: dated by ifLastChange when the CE stayed up; otherwise the blind time is monitoring', async () => {
    const t0 = Date.now();
    const cut = sim.inject({ kind: 'line-cut', target: 'D01-R006' });
    const power = sim.inject({ kind: 'power-loss', target: 'D01-R008' });
    await until('both outages to open', async () => (await only('D01-R006', t0)) && (await only('D01-R008', t0)));
    await demarc.stop();
    cut.clear();
    const clearedAt = Date.now();
    power.clear();
    await sleep(4000);
    demarc = await startPipeline();
    const lineDone = await until('the line cut to close', () => closedOnly('D01-R006', t0));
    expect(lineDone).toMatchObject({ responsibility: 'line', verdict: 'final' });
    // Ended when the line came back (the CE's ifLastChange, centisecond-exact), not when demarc stopped.
    expect(Math.abs(Date.parse(lineDone.endedAt!) - clearedAt)).toBeLessThan(1000);
    expect(kinds(lineDone)).toContain('demarc-restart');
    expect(await incidentsOf('D01-R006', t0)).toHaveLength(1);
    const power8 = await until('the power loss to close with a gap', async () => {
      const all = await incidentsOf('D01-R008', t0);
      return all.length === 2 && all.every((i) => i.endedAt) && all;
    });
    expect(power8.map((i) => [i.kind, i.responsibility, i.verdict])).toEqual([
      ['outage', 'device', 'final'],
      ['monitoring-gap', 'monitoring', 'final'],
    ]);
    expect(power8[0]!.endedAt).toBe(power8[1]!.startedAt);
    expect(power8[1]!.rule).toBe('demarc-down');
  }, 60_000);
});
