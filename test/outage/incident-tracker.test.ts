import { describe, expect, it } from 'vitest';
import { evidenceDetail } from '../../core/terms.js';
import type { Incident, IncidentEvent, MaintenanceWindow } from '../../core/incident.js';
import type { CircuitSample } from '../../core/sample.js';
import { IncidentTracker } from '../../outage/incident-tracker.js';
import { answered, at, cpeView, makeSite, oobSilent, oobView, silent, testConfig } from './sample-factory.js';

const BOOT = 30 * 86_400;
let seq = 0;
const ids = () => `INC-${++seq}`;

function tracker(sites = [makeSite('A')], cfg = testConfig()) {
  return new IncidentTracker(sites, cfg, ids);
}

/** Feeds one poll per second from `from` to `to` inclusive; returns every event. */
function run(t: IncidentTracker, from: number, to: number, poll: (sec: number) => CircuitSample[], windows: MaintenanceWindow[] = []): IncidentEvent[] {
  const events: IncidentEvent[] = [];
  for (let s = from; s <= to; s++) events.push(...t.observe(poll(s), at(s), windows).events);
  return events;
}

/** Final state of every incident seen in the events, by id. */
function incidents(events: IncidentEvent[]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const e of events) byId.set(e.incident.id, e.incident);
  return [...byId.values()].sort((a, b) => a.startedAt - b.startedAt);
}

const kinds = (i: Incident) => i.evidence.map((e) => e.kind);

describe('IncidentTracker: one site', () => {
  it('line cut: one incident, undetermined while down, line final at recovery', () => {
    const t = tracker();
    const ev = [
      ...run(t, 0, 9, (s) => [answered('A', s)]),
      ...run(t, 10, 19, (s) => [silent('A', s)]),
      ...run(t, 20, 25, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 19.5 })]),
    ];
    const [i, ...more] = incidents(ev);
    expect(more).toEqual([]);
    expect(ev.map((e) => e.type)).toEqual(['opened', 'updated', 'closed']);
    const opened = ev[0]!.incident;
    expect(opened).toMatchObject({ responsibility: 'undetermined', verdict: 'provisional', rule: 'awaiting-recovery', startedAt: at(10) });
    expect(i).toMatchObject({ siteId: 'A', kind: 'outage', startedAt: at(10), endedAt: at(20), responsibility: 'line', verdict: 'final', rule: 'line-cut', flaps: 0 });
    expect(kinds(i!)).toEqual(expect.arrayContaining(['ce-unreachable', 'headend-down', 'ce-returned', 'uptime-continuous', 'wan-change-inside', 'verdict']));
    expect(t.openIncidents()).toEqual([]);
  });

  it('power loss: uptime shorter than the outage → device, final at recovery', () => {
    const t = tracker();
    const ev = [
      ...run(t, 0, 5, (s) => [answered('A', s)]),
      ...run(t, 6, 30, (s) => [silent('A', s)]),
      ...run(t, 31, 33, (s) => [answered('A', s, { uptimeSec: s - 28 })]),
    ];
    const [i] = incidents(ev);
    expect(i).toMatchObject({ responsibility: 'device', verdict: 'final', rule: 'ce-rebooted', endedAt: at(31) });
  });

  it('agent restart without reboot (hrSystemUptime continuous) is not a power loss', () => {
    const t = tracker();
    const host = (s: number) => BOOT + 5 * 86_400 + s;
    const ev = [
      ...run(t, 0, 5, (s) => [answered('A', s, { hostUptimeSec: host(s) })]),
      ...run(t, 6, 30, (s) => [silent('A', s)]),
      ...run(t, 31, 33, (s) => [answered('A', s, { uptimeSec: s - 29, hostUptimeSec: host(s), wanLastChangeSec: 0 })]),
    ];
    const [i] = incidents(ev);
    expect(i).toMatchObject({ responsibility: 'line', rule: 'line-cut', verdict: 'final' });
    expect(kinds(i!)).toContain('agent-restart');
    expect(kinds(i!)).not.toContain('ce-rebooted');
  });

  it('sysUpTime wrapping at 497 days during the outage is not a reboot', () => {
    const t = tracker();
    const WRAP = 2 ** 32 / 100;
    const up = (s: number) => (WRAP - 12 + s) % WRAP;
    const ev = [
      ...run(t, 0, 5, (s) => [answered('A', s, { uptimeSec: up(s) })]),
      ...run(t, 6, 20, (s) => [silent('A', s)]),
      ...run(t, 21, 23, (s) => [answered('A', s, { uptimeSec: up(s), wanLastChangeSec: up(20) })]),
    ];
    const [i] = incidents(ev);
    expect(up(21)).toBeLessThan(20);
    expect(i).toMatchObject({ responsibility: 'line', rule: 'line-cut' });
  });

  it('OOB: WAN oper down with admin up → line during the outage, before recovery', () => {
    const t = tracker([makeSite('A', { oob: true })]);
    run(t, 0, 3, (s) => [answered('A', s)]);
    run(t, 4, 8, (s) => [silent('A', s, { oob: oobView('down', 'up') })]);
    const [open] = t.openIncidents();
    expect(open).toMatchObject({ responsibility: 'line', verdict: 'provisional', rule: 'oob-wan-down', endedAt: null });
  });

  it('OOB: WAN admin down → device (configuration)', () => {
    const t = tracker([makeSite('A', { oob: true })]);
    run(t, 0, 3, (s) => [answered('A', s)]);
    const ev = [
      ...run(t, 4, 8, (s) => [silent('A', s, { oob: oobView('down', 'down') })]),
      ...run(t, 9, 11, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 8.5 })]),
    ];
    expect(incidents(ev)[0]).toMatchObject({ responsibility: 'device', verdict: 'final', rule: 'oob-wan-admin-down' });
  });

  it('CE silent on OOB too → device provisional until it returns', () => {
    const t = tracker([makeSite('A', { oob: true })]);
    run(t, 0, 3, (s) => [answered('A', s)]);
    run(t, 4, 8, (s) => [silent('A', s, { oob: oobSilent })]);
    expect(t.openIncidents()[0]).toMatchObject({ responsibility: 'device', rule: 'ce-silent-on-all-paths', verdict: 'provisional' });
  });

  it('carrier CPE: line port down → line; customer port down with the CE silent → device', () => {
    const t = tracker([makeSite('A', { cpe: true }), makeSite('B', { cpe: true, group: 'AGG-B' })]);
    run(t, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(t, 4, 8, (s) => [silent('A', s, { cpe: cpeView('down', 'up') }), silent('B', s, { cpe: cpeView('up', 'down') })]);
    const open = t.openIncidents();
    expect(open.find((i) => i.siteId === 'A')).toMatchObject({ responsibility: 'line', rule: 'cpe-line-down' });
    expect(open.find((i) => i.siteId === 'B')).toMatchObject({ responsibility: 'device', rule: 'cpe-customer-port-down' });
  });

  it('management-plane hang: CE silent, head-end up with moving counters → a device-side monitoring gap, no outage', () => {
    const t = tracker();
    const ev = [
      ...run(t, 0, 3, (s) => [answered('A', s)]),
      ...run(t, 4, 20, (s) => [silent('A', s, { headend: 'up-moving' })]),
      ...run(t, 21, 22, (s) => [answered('A', s)]),
    ];
    const all = incidents(ev);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'monitoring-gap', responsibility: 'device', rule: 'management-plane-hang', startedAt: at(4), endedAt: at(21), verdict: 'final' });
  });

  it('head-end up but idle while the CE is silent is an outage, not a hang', () => {
    const t = tracker();
    run(t, 0, 3, (s) => [answered('A', s)]);
    run(t, 4, 8, (s) => [silent('A', s, { headend: 'up-idle' })]);
    expect(t.openIncidents()[0]).toMatchObject({ kind: 'outage' });
  });

  it('still down: stays provisional and keeps gathering evidence; final when recovery evidence arrives', () => {
    const t = tracker([makeSite('A', { cpe: true })]);
    run(t, 0, 3, (s) => [answered('A', s)]);
    const ev = run(t, 4, 60, (s) => [silent('A', s, { cpe: s < 30 ? { reachable: false, error: 'timeout', lineOper: null, customerOper: null } : cpeView('down', 'up') })]);
    const open = t.openIncidents()[0]!;
    expect(open).toMatchObject({ verdict: 'provisional', rule: 'cpe-line-down', responsibility: 'line', endedAt: null });
    expect(kinds(open)).toEqual(expect.arrayContaining(['ce-unreachable', 'headend-down', 'cpe-unreachable', 'cpe-line-down']));
    expect(ev.filter((e) => e.type === 'opened')).toHaveLength(1);
    // Evidence is recorded when first seen, not once per poll.
    expect(kinds(open).filter((k) => k === 'headend-down')).toHaveLength(1);
    const end = run(t, 61, 62, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 60.5 })]);
    expect(end.at(-1)).toMatchObject({ type: 'closed', incident: { verdict: 'final', responsibility: 'line' } });
  });

  it('drops shorter than the confirmation threshold are flaps of one incident, closed after a quiet time', () => {
    const t = tracker();
    // Five 2-poll drops, 5 s apart: below the 3-poll confirmation each time.
    const down = (s: number) => s >= 10 && s < 35 && s % 5 < 2;
    const ev = run(t, 0, 60, (s) => [down(s) ? silent('A', s) : answered('A', s, { wanLastChangeSec: BOOT + s - 0.5 })]);
    const all = incidents(ev);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ flaps: 5, startedAt: at(10), endedAt: at(32), verdict: 'final', kind: 'outage' });
    expect(kinds(all[0]!).filter((k) => k === 'flap')).toHaveLength(5);
    expect(ev.map((e) => e.type)).toEqual(['opened', 'updated', 'updated', 'closed']);
  });

  it('two short drops stay below the flapping threshold and open nothing', () => {
    const t = tracker();
    const ev = run(t, 0, 30, (s) => [s === 5 || s === 15 ? silent('A', s) : answered('A', s)]);
    expect(ev).toEqual([]);
  });

  it('short drops seen only by linkDown/linkUp traps between polls are counted as flaps', () => {
    const t = tracker();
    const events: IncidentEvent[] = [];
    for (let s = 0; s <= 40; s++) {
      events.push(...t.observe([answered('A', s)], at(s), []).events);
      if (s >= 5 && s <= 15 && s % 2 === 1) {
        events.push(...t.trap({ at: at(s) + 200, siteId: 'A', kind: 'linkDown', from: 'ce', ifName: 'GigabitEthernet0/0/0', detail: '' }, at(s) + 200, []).events);
        events.push(...t.trap({ at: at(s) + 600, siteId: 'A', kind: 'linkUp', from: 'ce', ifName: 'GigabitEthernet0/0/0', detail: '' }, at(s) + 600, []).events);
      }
    }
    // A trap about another interface is not this circuit's business.
    events.push(...t.trap({ at: at(41), siteId: 'A', kind: 'linkDown', from: 'ce', ifName: 'Vlanif100', detail: '' }, at(41), []).events);
    const all = incidents(events);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ flaps: 6, startedAt: at(5) + 200, endedAt: at(15) + 600, responsibility: 'line', rule: 'line-cut', verdict: 'final' });
    expect(evidenceDetail(all[0]!.evidence.find((e) => e.kind === 'flap')!, 'en')).toMatch(/traps between polls/);
  });

  it('a drop during recovery is a flap of the same outage, not a new incident', () => {
    const t = tracker();
    const ev = run(t, 0, 30, (s) => [s >= 5 && s < 12 ? silent('A', s) : s === 13 ? silent('A', s) : answered('A', s, { wanLastChangeSec: BOOT + 11.5 })]);
    const all = incidents(ev);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ flaps: 1, startedAt: at(5), endedAt: at(14), responsibility: 'line' });
  });

  it('a dying-gasp trap before the polls notice is evidence for the outage', () => {
    const t = tracker();
    run(t, 0, 4, (s) => [answered('A', s)]);
    t.trap({ at: at(4) + 500, siteId: 'A', kind: 'dyingGasp', from: 'ce', ifName: null, detail: 'power failure' }, at(4) + 500, []);
    run(t, 5, 9, (s) => [silent('A', s)]);
    expect(t.openIncidents()[0]).toMatchObject({ responsibility: 'device', rule: 'dying-gasp' });
  });

  it('ignores samples for sites not in the inventory, and says so', () => {
    const t = tracker();
    const out = t.observe([silent('ZZ', 1)], at(1), []);
    expect(out).toMatchObject({ events: [], unknownSites: ['ZZ'] });
  });
});

describe('IncidentTracker: maintenance windows', () => {
  const win = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
    id: 'MW-1',
    scope: { kind: 'site', siteId: 'A' },
    startsAt: at(5),
    endsAt: at(30),
    carrierNoticeRef: 'CT-2026-031',
    registeredAt: at(-3600),
    registeredBy: 'noc.zhang',
    ...over,
  });

  it('outage inside a window registered in advance → planned, final at recovery', () => {
    const t = tracker();
    const ev = [
      ...run(t, 0, 9, (s) => [answered('A', s)], [win()]),
      ...run(t, 10, 20, (s) => [silent('A', s)], [win()]),
      ...run(t, 21, 23, (s) => [answered('A', s, { uptimeSec: s - 20 })], [win()]),
    ];
    expect(incidents(ev)[0]).toMatchObject({ responsibility: 'planned', rule: 'planned-maintenance', verdict: 'final', maintenanceWindowId: 'MW-1' });
  });

  it("a window for the site's carrier_group counts too", () => {
    const t = tracker();
    const w = win({ scope: { kind: 'carrier-group', carrierGroup: 'AGG-A' } });
    run(t, 0, 9, (s) => [answered('A', s)], [w]);
    run(t, 10, 14, (s) => [silent('A', s)], [w]);
    expect(t.openIncidents()[0]).toMatchObject({ responsibility: 'planned' });
  });

  it('a window registered after the outage began does not make it planned', () => {
    const t = tracker();
    const late = win({ registeredAt: at(12) });
    run(t, 0, 9, (s) => [answered('A', s)], [late]);
    run(t, 10, 14, (s) => [silent('A', s)], [late]);
    expect(t.openIncidents()[0]).toMatchObject({ responsibility: 'undetermined', rule: 'awaiting-recovery' });
  });

  it('the overrun past the window end is split into its own line incident', () => {
    const t = tracker();
    const ev = [
      ...run(t, 0, 9, (s) => [answered('A', s)], [win()]),
      ...run(t, 10, 40, (s) => [silent('A', s)], [win()]),
      ...run(t, 41, 43, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 40.5 })], [win()]),
    ];
    const [planned, overrun, ...rest] = incidents(ev);
    expect(rest).toEqual([]);
    expect(planned).toMatchObject({ responsibility: 'planned', verdict: 'final', startedAt: at(10), endedAt: at(30) });
    expect(overrun).toMatchObject({ responsibility: 'line', verdict: 'final', rule: 'maintenance-overrun', startedAt: at(30), endedAt: at(41) });
    expect(kinds(overrun!)).toContain('maintenance-overrun');
  });
});

describe('IncidentTracker: fleet rules', () => {
  it('mass outage: K sites of one carrier_group down together → one group event, line provisional at once, final at recovery', () => {
    const sites = ['A', 'B', 'C', 'D'].map((id) => makeSite(id, { group: 'AGG-X' }));
    const t = tracker([...sites, makeSite('E', { group: 'AGG-Y' })]);
    const all = ['A', 'B', 'C', 'D', 'E'];
    const down = new Set(['A', 'B', 'C']);
    run(t, 0, 5, (s) => all.map((id) => answered(id, s)));
    run(t, 6, 12, (s) => all.map((id) => (down.has(id) && s >= 6 + all.indexOf(id) ? silent(id, s) : answered(id, s))));
    const open = t.openIncidents();
    expect(open).toHaveLength(3);
    const group = open[0]!.groupEventId;
    expect(group).toMatch(/^GE-/);
    for (const i of open) expect(i).toMatchObject({ groupEventId: group, responsibility: 'line', verdict: 'provisional', rule: 'mass-outage' });
    // C's own evidence says its CE rebooted: that wins over the group presumption.
    const ev = run(t, 13, 15, (s) => all.map((id) => answered(id, s, id === 'C' ? { uptimeSec: s - 11 } : {})));
    const closed = ev.filter((e) => e.type === 'closed').map((e) => e.incident);
    expect(closed.map((i) => [i.siteId, i.responsibility, i.verdict, i.rule])).toEqual([
      ['A', 'line', 'final', 'mass-outage'],
      ['B', 'line', 'final', 'mass-outage'],
      ['C', 'device', 'final', 'ce-rebooted'],
    ]);
  });

  it('fewer than K sites down is no group event', () => {
    const t = tracker(['A', 'B', 'C'].map((id) => makeSite(id)));
    run(t, 0, 10, (s) => [answered('A', s), silent('B', s), silent('C', s)]);
    expect(t.openIncidents().every((i) => i.groupEventId === null)).toBe(true);
  });

  it('NOC isolation: ≥90% of sites silent at once → one monitoring incident, no per-site outages', () => {
    const ids_ = Array.from({ length: 10 }, (_, i) => `S${i}`);
    const t = tracker(ids_.map((id) => makeSite(id)));
    const ev = [
      ...run(t, 0, 5, (s) => ids_.map((id) => answered(id, s))),
      ...run(t, 6, 30, (s) => ids_.map((id) => silent(id, s, { headend: 'unreachable' }))),
      ...run(t, 31, 40, (s) => ids_.map((id) => answered(id, s))),
    ];
    const all = incidents(ev);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ siteId: null, kind: 'monitoring-gap', responsibility: 'monitoring', rule: 'noc-isolation', startedAt: at(6), endedAt: at(31), verdict: 'final' });
  });

  it('NOC isolation by the head-end: every circuit unreachable there, even in a small fleet', () => {
    const t = tracker([makeSite('A'), makeSite('B')]);
    run(t, 0, 5, (s) => [answered('A', s), answered('B', s)]);
    run(t, 6, 12, (s) => [silent('A', s, { headend: 'unreachable' }), silent('B', s, { headend: 'unreachable' })]);
    const open = t.openIncidents();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ siteId: null, rule: 'noc-isolation' });
  });

  it('a site already down when the NOC loses sight keeps its outage, noted, and goes on after', () => {
    const ids_ = Array.from({ length: 10 }, (_, i) => `S${i}`);
    const t = tracker(ids_.map((id) => makeSite(id, { group: id })));
    run(t, 0, 3, (s) => ids_.map((id) => answered(id, s)));
    run(t, 4, 10, (s) => ids_.map((id) => (id === 'S0' ? silent(id, s) : answered(id, s))));
    run(t, 11, 20, (s) => ids_.map((id) => silent(id, s, { headend: 'unreachable' })));
    const ev = run(t, 21, 30, (s) => ids_.map((id) => (id === 'S0' && s < 25 ? silent(id, s) : answered(id, s, { wanLastChangeSec: BOOT + 24.5 }))));
    const s0 = incidents(ev).find((i) => i.siteId === 'S0')!;
    expect(s0).toMatchObject({ startedAt: at(4), endedAt: at(25), responsibility: 'line' });
    expect(kinds(s0)).toContain('noc-isolation');
  });
});

describe('IncidentTracker: a drop seen by both a poll and traps', () => {
  it('is one flap, whichever arrives first', () => {
    const t = tracker();
    const events: IncidentEvent[] = [];
    for (let s = 0; s <= 40; s++) {
      const drop = s >= 5 && s <= 25 && s % 5 === 0;
      if (drop) {
        // The traps of a sub-second drop arrive before the cycle's samples are processed…
        events.push(...t.trap({ at: at(s) - 300, siteId: 'A', kind: 'linkDown', from: 'ce', ifName: null, detail: '' }, at(s) - 300, []).events);
        events.push(...t.trap({ at: at(s) + 400, siteId: 'A', kind: 'linkUp', from: 'ce', ifName: null, detail: '' }, at(s) + 400, []).events);
      }
      // …and the poll sent during it saw the CE silent too.
      events.push(...t.observe([drop ? silent('A', s) : answered('A', s, { wanLastChangeSec: BOOT + s })], at(s), []).events);
    }
    const all = incidents(events);
    expect(all).toHaveLength(1);
    expect(all[0]!.flaps).toBe(5);
  });
});

describe('IncidentTracker: traps ahead of a late cycle', () => {
  it('a second drop seen by traps while the poll of the first is still being processed is a drop of its own', () => {
    const t = tracker();
    const trap = (ms: number, kind: 'linkDown' | 'linkUp') => t.trap({ at: at(0) + ms, siteId: 'A', kind, from: 'oob', ifName: 'GigabitEthernet0/0/0', detail: '' }, at(0) + ms, []).events;
    const bounce = (ms: number) => [...trap(ms, 'linkDown'), ...trap(ms + 250, 'linkUp')];
    const events: IncidentEvent[] = [...run(t, 0, 4, (s) => [answered('A', s)])];
    events.push(...bounce(5000));
    events.push(...t.observe([silent('A', 5.1)], at(7), []).events); // the poll that saw drop 0…
    events.push(...bounce(7750)); // …drop 1 arrives while that poll still holds the site in suspect
    events.push(...t.observe([answered('A', 6.1)], at(8.1), []).events); // the next poll, sent at 6.1, processed late
    events.push(...bounce(10_500));
    const all = incidents(events);
    expect(all).toHaveLength(1);
    expect(all[0]!.flaps).toBe(3);
  });

  it('a trap-seen bounce inside what becomes a confirmed outage is part of it, not a flap', () => {
    const t = tracker();
    run(t, 0, 4, (s) => [answered('A', s)]);
    t.trap({ at: at(5), siteId: 'A', kind: 'linkDown', from: 'oob', ifName: null, detail: '' }, at(5), []);
    t.trap({ at: at(5) + 300, siteId: 'A', kind: 'linkUp', from: 'oob', ifName: null, detail: '' }, at(5) + 300, []);
    const ev = [...run(t, 5, 12, (s) => [silent('A', s)]), ...run(t, 13, 30, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 12.5 })])];
    t.trap({ at: at(31), siteId: 'A', kind: 'linkDown', from: 'oob', ifName: null, detail: '' }, at(31), []);
    t.trap({ at: at(31) + 300, siteId: 'A', kind: 'linkUp', from: 'oob', ifName: null, detail: '' }, at(31) + 300, []);
    t.trap({ at: at(33), siteId: 'A', kind: 'linkDown', from: 'oob', ifName: null, detail: '' }, at(33), []);
    const more = t.trap({ at: at(33) + 300, siteId: 'A', kind: 'linkUp', from: 'oob', ifName: null, detail: '' }, at(33) + 300, []).events;
    expect(incidents(ev)).toHaveLength(1);
    expect(incidents(ev)[0]).toMatchObject({ flaps: 0, kind: 'outage' });
    // Two later bounces stay below the three-drop flapping threshold.
    expect(more).toEqual([]);
  });
});
