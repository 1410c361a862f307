import { describe, expect, it } from 'vitest';
import type { Incident, IncidentEvent, MaintenanceWindow } from '../../core/incident.js';
import type { CircuitFinding, HealthSignal, Notification, Silence } from '../../alerts/alert.js';
import { applyFinding, applyHealth, applyIncidentEvent } from '../../alerts/alert-policy.js';
import { evaluate } from '../../alerts/alert-timers.js';
import type { AlertsConfig } from '../../alerts/config-schema.js';
import { AlertBook, config, ev, incident, policyContext, T0 } from './fixtures.js';

interface Step {
  /** Seconds after T0. */
  at: number;
  events?: IncidentEvent[];
  health?: HealthSignal;
  finding?: CircuitFinding;
}

/** Runs the policy through the steps (evaluating after each) and lists what was sent, "kind rule → contacts". */
function run(steps: Step[], opts: { cfg?: AlertsConfig; silences?: Silence[]; windows?: MaintenanceWindow[] } = {}): string[] {
  const cfg = opts.cfg ?? config();
  const book = new AlertBook();
  const sent: string[] = [];
  const log = (notes: Notification[]) => {
    for (const n of notes) sent.push(`${n.kind} ${book.get(n.alertId)?.rule} → ${n.contactIds.join(',') || '(log)'}`);
  };
  for (const s of steps) {
    const ctx = policyContext(cfg, T0 + s.at * 1000, { silences: opts.silences, windows: opts.windows });
    for (const e of s.events ?? []) log(applyIncidentEvent(book, e, ctx));
    if (s.health) applyHealth(book, s.health, ctx);
    if (s.finding) applyFinding(book, s.finding, ctx);
    log(evaluate(book, ctx));
    book.drainChanged();
  }
  return sent;
}

const line = (id: string, over: Partial<Incident> = {}) => incident(id, { responsibility: 'line', rule: 'oob-wan-down', ...over });
const closed = (i: Incident, at: number, over: Partial<Incident> = {}) => ({ ...i, endedAt: T0 + at * 1000, verdict: 'final' as const, ...over });

const tenSites = Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
const grouped = (id: string) => incident(`INC-${id}`, { siteId: id, responsibility: 'line', rule: 'mass-outage', groupEventId: 'GE-1', startedAt: T0 });

const silence = (over: Partial<Silence>): Silence => ({
  id: 'SIL-1',
  match: { siteIds: ['S01'] },
  startsAt: T0 - 60_000,
  endsAt: T0 + 3_600_000,
  reason: 'CE replacement',
  createdBy: 'noc.zhang',
  createdAt: T0 - 60_000,
  approvedBy: 'mgr.li',
  approvedAt: T0 - 30_000,
  deletedBy: null,
  deletedAt: null,
  ...over,
});

const windowFor = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({
  id: 'MW-1',
  scope: { kind: 'carrier-group', carrierGroup: 'POP-A' },
  startsAt: T0 - 600_000,
  endsAt: T0 + 3_600_000,
  carrierNoticeRef: 'CUT-2026-031',
  registeredAt: T0 - 86_400_000,
  registeredBy: 'noc.zhang',
  ...over,
});

describe('alert policy: who is told what', () => {
  const cases: { name: string; steps: Step[]; want: string[]; opts?: Parameters<typeof run>[1] }[] = [
    {
      name: 'line outage → NOC on-call after the grouping window, and a fault report to the carrier',
      steps: [{ at: 0, events: [ev('opened', line('I1'))] }, { at: 59 }, { at: 60 }, { at: 61 }],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk'],
    },
    {
      name: 'device outage → that division’s on-call, nothing to the carrier',
      steps: [{ at: 0, events: [ev('opened', incident('I1', { responsibility: 'device', rule: 'ce-silent-on-all-paths' }))] }, { at: 60 }],
      want: ['firing site-down → div1-a'],
    },
    {
      name: 'device outage in a division without a route → the log, flagged unrouted',
      steps: [{ at: 0, events: [ev('opened', incident('I1', { siteId: 'S11', responsibility: 'device', rule: 'ce-rebooted' }))] }, { at: 60 }],
      want: ['firing site-down → (log)'],
    },
    {
      name: 'NOC isolation (monitoring) → NOC only, at once, never the carrier',
      steps: [{ at: 0, events: [ev('opened', incident('I1', { siteId: null, kind: 'monitoring-gap', responsibility: 'monitoring', rule: 'noc-isolation' }))] }, { at: 600 }],
      want: ['firing noc-isolation → noc-a'],
    },
    {
      name: 'planned work inside its window → nobody, from start to end',
      steps: [
        { at: 0, events: [ev('opened', incident('I1', { responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' }))] },
        { at: 60 },
        { at: 1800, events: [ev('closed', closed(incident('I1', { responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' }), 1800))] },
        { at: 2400 },
      ],
      want: [],
    },
    {
      name: 'planned work that overruns its window → the overrun pages, on its own',
      steps: [
        { at: 0, events: [ev('opened', incident('P1', { responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' }))] },
        { at: 60 },
        {
          at: 1800,
          events: [
            ev('closed', closed(incident('P1', { responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' }), 1800)),
            ev('opened', line('O1', { rule: 'maintenance-overrun', startedAt: T0 + 1_800_000 })),
          ],
        },
        { at: 1860 },
      ],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk'],
    },
    {
      name: 'carrier_group mass outage of 10 sites → one page per recipient listing them',
      steps: [
        { at: 0, events: tenSites.slice(0, 3).map((s) => ev('opened', incident(`INC-${s}`, { siteId: s }))) },
        { at: 10, events: [...tenSites.slice(3).map((s) => ev('opened', grouped(s))), ...tenSites.slice(0, 3).map((s) => ev('updated', grouped(s)))] },
        { at: 60 },
        { at: 61 },
      ],
      want: ['firing mass-outage → noc-a', 'fault-report mass-outage → carrier-desk'],
    },
    {
      name: 'one flapping incident counted up 30 times → one alert',
      steps: [
        { at: 0, events: [ev('opened', line('I1', { flaps: 3 }))] },
        ...Array.from({ length: 30 }, (_, k) => ({ at: 10 + k * 10, events: [ev('updated', line('I1', { flaps: 4 + k }))] })),
      ],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk'],
    },
    {
      name: '30 short outages of one site (open/close every 20 s) → one alert, one recovery after the damping',
      steps: [
        ...Array.from({ length: 30 }, (_, k) => [
          { at: k * 20, events: [ev('opened', line(`F${k}`, { startedAt: T0 + k * 20_000 }))] },
          { at: k * 20 + 10, events: [ev('closed', closed(line(`F${k}`, { startedAt: T0 + k * 20_000 }), k * 20 + 10))] },
        ]).flat(),
        { at: 590 + 299 },
        { at: 590 + 300 },
      ],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk', 'resolved site-down → noc-a', 'fault-report-update site-down → carrier-desk'],
    },
    {
      name: 'an outage over within the grouping window pages nobody',
      steps: [{ at: 0, events: [ev('opened', line('I1'))] }, { at: 30, events: [ev('closed', closed(line('I1'), 30))] }, { at: 60 }, { at: 400 }],
      want: [],
    },
    {
      name: 'verdict turns to line mid-outage → the paged hear it, the carrier gets its fault report',
      steps: [
        { at: 0, events: [ev('opened', incident('I1'))] },
        { at: 60 },
        { at: 120, events: [ev('updated', line('I1'))] },
        { at: 130, events: [ev('updated', line('I1', { evidence: [] }))] },
      ],
      want: ['firing site-down → noc-a', 'verdict-changed site-down → noc-a', 'fault-report site-down → carrier-desk'],
    },
    {
      name: 'recovery → resolved after the damping, with the carrier told',
      steps: [
        { at: 0, events: [ev('opened', line('I1'))] },
        { at: 60 },
        { at: 900, events: [ev('closed', closed(line('I1', { rule: 'line-cut' }), 900))] },
        { at: 1199 },
        { at: 1200 },
      ],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk', 'resolved site-down → noc-a', 'fault-report-update site-down → carrier-desk'],
    },
    {
      name: 'an approved silence covering the site → nothing',
      steps: [{ at: 0, events: [ev('opened', line('I1'))] }, { at: 60 }, { at: 600 }],
      want: [],
      opts: { silences: [silence({})] },
    },
    {
      name: 'a silence not yet approved (security annex 11) → pages as usual',
      steps: [{ at: 0, events: [ev('opened', line('I1'))] }, { at: 60 }],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk'],
      opts: { silences: [silence({ approvedBy: null, approvedAt: null })] },
    },
    {
      name: 'a one-site silence does not mute a 10-site mass outage',
      steps: [{ at: 0, events: tenSites.map((s) => ev('opened', grouped(s))) }, { at: 60 }],
      want: ['firing mass-outage → noc-a', 'fault-report mass-outage → carrier-desk'],
      opts: { silences: [silence({})] },
    },
    {
      name: 'maintenance window registered in advance → a utilization finding on a covered site is quiet',
      steps: [{ at: 0, finding: { siteId: 'S02', kind: 'high-utilization', at: T0, active: true, detail: '95%' } }, { at: 60 }],
      want: [],
      opts: { windows: [windowFor({})] },
    },
    {
      name: 'a window registered after the outage began does not silence it',
      steps: [{ at: 0, events: [ev('opened', line('I1'))] }, { at: 60 }],
      want: ['firing site-down → noc-a', 'fault-report site-down → carrier-desk'],
      opts: { windows: [windowFor({ registeredAt: T0 + 1000 })] },
    },
    {
      name: 'capacity finding → the capacity team, not the night shift',
      steps: [{ at: 0, finding: { siteId: 'S03', kind: 'plateau', at: T0, active: true, detail: 'flat at 20 Mbit/s for 3 h' } }],
      want: ['firing capacity → capacity'],
    },
    {
      name: 'demarc health → NOC at once; cleared → recovered after the damping',
      steps: [
        { at: 0, health: { kind: 'trap-receiver-down', source: 'udp/162', at: T0, active: true, detail: 'bind failed' } },
        { at: 30, health: { kind: 'trap-receiver-down', source: 'udp/162', at: T0, active: false, detail: 'listening again' } },
        { at: 330 },
      ],
      want: ['firing demarc-health → noc-a', 'resolved demarc-health → noc-a'],
    },
    {
      name: 'a late correction of an incident whose alert is over pages nobody',
      steps: [{ at: 0, events: [ev('updated', closed(line('I1', { rule: 'operator-correction', responsibility: 'device' }), 0))] }, { at: 60 }],
      want: [],
    },
  ];

  it.each(cases)('$name', ({ steps, want, opts }) => {
    expect(run(steps, opts)).toEqual(want);
  });

  it('a disabled rule raises nothing', () => {
    const cfg = config({ rules: { capacity: { enabled: false } } });
    expect(run([{ at: 0, finding: { siteId: 'S03', kind: 'plateau', at: T0, active: true, detail: 'x' } }], { cfg })).toEqual([]);
  });

  it('the overrun of planned work is its own alert, starting when the window ended', () => {
    const cfg = config();
    const book = new AlertBook();
    const planned = incident('P1', { responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' });
    applyIncidentEvent(book, ev('opened', planned), policyContext(cfg, T0));
    evaluate(book, policyContext(cfg, T0 + 60_000));
    const ctx = policyContext(cfg, T0 + 1_800_000);
    applyIncidentEvent(book, ev('closed', { ...planned, endedAt: ctx.now }), ctx);
    applyIncidentEvent(book, ev('opened', line('O1', { rule: 'maintenance-overrun', startedAt: ctx.now })), ctx);
    const open = book.all().filter((a) => a.status !== 'resolved');
    expect(open.map((a) => Object.keys(a.incidents))).toEqual([['O1']]);
    expect(book.all().find((a) => a.incidents.P1)).toMatchObject({ status: 'resolved', firedAt: null, suppressedBy: 'planned:MW-1' });
  });

  it('a mass outage alert lists every site and folds the early site alerts into it', () => {
    const cfg = config();
    const book = new AlertBook();
    const ctx0 = policyContext(cfg, T0);
    for (const s of tenSites.slice(0, 3)) applyIncidentEvent(book, ev('opened', incident(`INC-${s}`, { siteId: s })), ctx0);
    const ctx1 = policyContext(cfg, T0 + 10_000);
    for (const s of tenSites) applyIncidentEvent(book, ev(tenSites.indexOf(s) < 3 ? 'updated' : 'opened', grouped(s)), ctx1);
    const changed = book.drainChanged();
    const group = changed.find((a) => a.rule === 'mass-outage')!;
    expect(new Set(group.siteIds)).toEqual(new Set(tenSites));
    expect(group.fireAt).toBe(T0 + 60_000);
    const merged = changed.filter((a) => a.rule === 'site-down');
    expect(merged).toHaveLength(3);
    for (const m of merged) expect(m).toMatchObject({ status: 'resolved', mergedInto: group.id, firedAt: null });
  });
});
