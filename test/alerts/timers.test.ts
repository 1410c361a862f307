import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Incident } from '../../core/incident.js';
import type { Notification, Silence } from '../../alerts/alert.js';
import { acknowledge, applyIncidentEvent } from '../../alerts/alert-policy.js';
import { evaluate } from '../../alerts/alert-timers.js';
import { AlertBook, config, ev, incident, MIN, policyContext, T0 } from './fixtures.js';

/**
 * Time-driven behaviour with an injected clock: the ManualClock moves a minute at a time and
 * `evaluate` runs at each instant, as the pipeline's timer would. Nothing sleeps.
 */
function drive(opts: {
  until: number;
  incident: Incident;
  at?: Record<number, (ctx: { book: AlertBook; now: number }) => void>;
  updates?: Record<number, Partial<Incident>>;
  silences?: (minute: number) => Silence[];
}): { minute: number; rule: string; kind: string; to: string }[] {
  const cfg = config();
  const clock = new ManualClock(T0);
  const book = new AlertBook();
  const out: { minute: number; rule: string; kind: string; to: string }[] = [];
  const log = (notes: Notification[]) =>
    notes.forEach((n) => out.push({ minute: Math.round((clock.now() - T0) / MIN), rule: book.get(n.alertId)!.rule, kind: n.kind, to: n.contactIds.join(',') }));
  let inc = opts.incident;
  applyIncidentEvent(book, ev('opened', inc), policyContext(cfg, clock.now()));
  for (let m = 0; m <= opts.until; m++) {
    const ctx = policyContext(cfg, clock.now(), { silences: opts.silences?.(m) ?? [] });
    const upd = opts.updates?.[m];
    if (upd) {
      inc = { ...inc, ...upd };
      log(applyIncidentEvent(book, ev('updated', inc), ctx));
    }
    opts.at?.[m]?.({ book, now: clock.now() });
    log(evaluate(book, ctx));
    book.drainChanged();
    clock.advance(MIN);
  }
  return out;
}

const lineOutage = incident('I1', { responsibility: 'line', rule: 'oob-wan-down' });
const siteDown = (book: AlertBook) => book.all().find((a) => a.rule === 'site-down')!;

describe('escalation and re-notification (ManualClock)', () => {
  it('climbs the night chain every 15 min, repeats every 30 min, and stops when acknowledged', () => {
    const sent = drive({
      until: 120,
      incident: lineOutage,
      at: { 62: ({ book, now }) => expect(acknowledge(book, siteDown(book).id, 'noc.zhang', 'api', now)).toMatchObject({ ok: true, already: false }) },
    }).filter((s) => s.rule === 'site-down');
    expect(sent).toEqual([
      { minute: 1, rule: 'site-down', kind: 'firing', to: 'noc-a' },
      { minute: 1, rule: 'site-down', kind: 'fault-report', to: 'carrier-desk' },
      { minute: 16, rule: 'site-down', kind: 'escalation', to: 'noc-b' },
      { minute: 31, rule: 'site-down', kind: 'escalation', to: 'noc-lead' },
      { minute: 31, rule: 'site-down', kind: 'renotify', to: 'noc-a,noc-b' },
      { minute: 61, rule: 'site-down', kind: 'renotify', to: 'noc-a,noc-b,noc-lead' },
    ]);
  });

  it('a silence set while an alert is out stops its reminders; they resume, one step at a time, when it ends', () => {
    const s: Silence = {
      id: 'SIL-9', match: { siteIds: ['S01'] }, startsAt: T0, endsAt: T0 + 600 * MIN, reason: 'on site', createdBy: 'a', createdAt: T0,
      approvedBy: 'b', approvedAt: T0, deletedBy: null, deletedAt: null,
    };
    const sent = drive({ until: 70, incident: lineOutage, silences: (m) => (m >= 10 && m < 50 ? [s] : []) });
    expect(sent.map((x) => `${x.minute} ${x.kind} ${x.to}`)).toEqual([
      '1 firing noc-a',
      '1 fault-report carrier-desk',
      '50 escalation noc-b',
      '50 renotify noc-a',
      '65 escalation noc-lead',
    ]);
  });
});

describe('carrier response deadline (contract 7.4.2, limit 2 h, warning 15 min before)', () => {
  const reported = { carrierReportedAt: T0 + 10 * MIN };

  it('warns at 1 h 45 min after the report and raises the miss at 2 h', () => {
    const sent = drive({ until: 175, incident: lineOutage, updates: { 10: reported } }).filter((s) => s.rule.startsWith('carrier-deadline'));
    expect(sent).toEqual([
      { minute: 115, rule: 'carrier-deadline-approaching', kind: 'firing', to: 'noc-a' },
      { minute: 130, rule: 'carrier-deadline-missed', kind: 'firing', to: 'noc-a' },
      { minute: 160, rule: 'carrier-deadline-missed', kind: 'renotify', to: 'noc-a' },
    ]);
  });

  it('a response in time means no reminder at all', () => {
    const sent = drive({ until: 175, incident: lineOutage, updates: { 10: reported, 100: { carrierRespondedAt: T0 + 100 * MIN } } });
    expect(sent.filter((s) => s.rule.startsWith('carrier-deadline'))).toEqual([]);
  });

  it('a response after the warning quietly ends the reminder (no further messages)', () => {
    const sent = drive({ until: 200, incident: lineOutage, updates: { 10: reported, 120: { carrierRespondedAt: T0 + 120 * MIN } } });
    expect(sent.filter((s) => s.rule.startsWith('carrier-deadline')).map((s) => `${s.minute} ${s.rule}`)).toEqual(['115 carrier-deadline-approaching']);
  });

  it('a device-side incident has no carrier deadline, even if someone recorded a report', () => {
    const sent = drive({ until: 175, incident: incident('I1', { responsibility: 'device', rule: 'ce-rebooted' }), updates: { 10: reported } });
    expect(sent.filter((s) => s.rule.startsWith('carrier-deadline'))).toEqual([]);
  });
});
