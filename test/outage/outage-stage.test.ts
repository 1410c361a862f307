import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evidenceDetail } from '../../core/terms.js';
import { AuditLog } from '../../audit/audit-log.js';
import { ManualClock } from '../../core/clock.js';
import type { IncidentEvent } from '../../core/incident.js';
import { silentLogger } from '../../core/logger.js';
import type { CircuitSample } from '../../core/sample.js';
import type { User } from '../../core/user.js';
import { httpStatus } from '../../api/http-errors.js';
import { createOutageStage, OutageCommandError, type OutageStage } from '../../outage/outage-stage.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { answered, at, makeSite, silent, testConfig } from './sample-factory.js';

const BOOT = 30 * 86_400;
const zhang: User = { id: 'noc.zhang', name: 'Zhang', roles: ['operator'] };
const li: User = { id: 'mgr.li', name: 'Li', roles: ['approver'] };

let dir: string;
let dbPath: string;
let open: { db: StateDb; stage: OutageStage; audit: AuditLog; clock: ManualClock }[] = [];

function start(nowSec: number) {
  const db = openStateDb(dbPath);
  const clock = new ManualClock(at(nowSec));
  const audit = new AuditLog(db, clock);
  const stage = createOutageStage({ db, sites: [makeSite('A'), makeSite('B')], config: testConfig(), clock, logger: silentLogger, audit });
  const h = { db, stage, audit, clock };
  open.push(h);
  return h;
}
function stop(h: { db: StateDb }) {
  h.db.close();
  open = open.filter((o) => o !== h);
}
function run(h: { stage: OutageStage; clock: ManualClock }, from: number, to: number, poll: (s: number) => CircuitSample[]): IncidentEvent[] {
  const ev: IncidentEvent[] = [];
  for (let s = from; s <= to; s++) {
    h.clock.set(at(s));
    ev.push(...h.stage.observe(poll(s), at(s)));
  }
  return ev;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-outage-'));
  dbPath = join(dir, 'state.db');
});
afterEach(() => {
  for (const h of open) h.db.close();
  open = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('OutageStage: storage', () => {
  it('stores every incident it reports and answers queries from SQLite', () => {
    const h = start(0);
    run(h, 0, 5, (s) => [answered('A', s), answered('B', s)]);
    run(h, 6, 15, (s) => [silent('A', s), answered('B', s)]);
    const ev = run(h, 16, 18, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 15.5 }), s >= 17 ? silent('B', s) : answered('B', s)]);
    expect(ev.some((e) => e.type === 'closed')).toBe(true);
    stop(h);
    const db = openStateDb(dbPath);
    open.push({ db } as never);
    const rows = db.prepare('SELECT id, site_id, responsibility, verdict, started_at, ended_at FROM outage_incident ORDER BY started_at').all();
    expect(rows).toEqual([{ id: expect.any(String), site_id: 'A', responsibility: 'line', verdict: 'final', started_at: at(6), ended_at: at(16) }]);
  });

  it('filters by time overlap, site, responsibility and open', () => {
    const h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    run(h, 11, 12, (s) => [answered('A', s, { uptimeSec: s - 8 }), answered('B', s)]);
    run(h, 13, 20, (s) => [answered('A', s, { uptimeSec: s - 8 }), silent('B', s)]);
    const q = h.stage.listIncidents.bind(h.stage);
    expect(q().map((i) => i.siteId)).toEqual(['B', 'A']);
    expect(q({ siteId: 'A' })).toHaveLength(1);
    expect(q({ responsibility: 'device' }).map((i) => i.siteId)).toEqual(['A']);
    expect(q({ open: true }).map((i) => i.siteId)).toEqual(['B']);
    expect(q({ open: false }).map((i) => i.siteId)).toEqual(['A']);
    expect(q({ from: at(10), to: at(11) }).map((i) => i.siteId)).toEqual(['A']);
    expect(q({ from: at(11), to: at(12) })).toEqual([]);
    expect(q({ from: at(12), to: at(14) }).map((i) => i.siteId)).toEqual(['B']);
    expect(q({ from: at(100) }).map((i) => i.siteId)).toEqual(['B']);
  });
});

describe('OutageStage: restart continuity', () => {
  it('an outage open at the stop continues after the restart: same incident, no duplicate', () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    const first = run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    const id = first.find((e) => e.type === 'opened')!.incident.id;
    stop(h);
    h = start(40);
    expect(h.stage.listIncidents({ open: true }).map((i) => i.id)).toEqual([id]);
    const after = [
      ...run(h, 40, 45, (s) => [silent('A', s), answered('B', s)]),
      ...run(h, 46, 47, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 45.5 }), answered('B', s)]),
    ];
    expect(after.filter((e) => e.type === 'opened')).toEqual([]);
    const closed = after.find((e) => e.type === 'closed')!.incident;
    expect(closed).toMatchObject({ id, startedAt: at(4), endedAt: at(46), responsibility: 'line', verdict: 'final' });
    expect(evidenceDetail(closed.evidence.find((e) => e.kind === 'demarc-restart')!, 'en')).toMatch(/still down: one continuing outage/);
    expect(h.stage.listIncidents()).toHaveLength(1);
  });

  it("back while demarc was down, ifLastChange dates the recovery: the outage ends then, no gap", () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    stop(h);
    h = start(60);
    const ev = run(h, 60, 61, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 30 }), answered('B', s)]);
    const closed = ev.find((e) => e.type === 'closed')!.incident;
    expect(closed).toMatchObject({ startedAt: at(4), endedAt: at(30), responsibility: 'line' });
    expect(h.stage.listIncidents().filter((i) => i.kind === 'monitoring-gap')).toEqual([]);
  });

  it('back just as demarc stopped: an ifLastChange a few ms before its last poll (centisecond ticks) still dates the recovery, at that poll', () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    stop(h);
    h = start(14);
    // Measured in the scenario suite: the change read 11 ms before demarc's last cycle.
    const ev = run(h, 14, 15, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 9.989 }), answered('B', s)]);
    const closed = ev.find((e) => e.type === 'closed')!.incident;
    expect(closed).toMatchObject({ startedAt: at(4), endedAt: at(10), responsibility: 'line' });
    expect(h.stage.listIncidents({ siteId: 'A' })).toHaveLength(1);
    // The evidence says why the end is the last poll, not the (earlier) reading.
    expect(evidenceDetail(closed.evidence.find((e) => e.kind === 'demarc-restart')!, 'en')).toMatch(/within its clock's resolution/);
  });

  it('the first poll after the restart misses the CE while its line carries traffic: the CE answering next dates the recovery', () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    stop(h);
    h = start(60);
    // A fresh session's first request to the CE went unanswered (v3 discovery, a busy start-up).
    run(h, 60, 60, (s) => [silent('A', s, { headend: 'up-moving' }), answered('B', s)]);
    const ev = run(h, 61, 62, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 30 }), answered('B', s)]);
    const closed = ev.find((e) => e.type === 'closed')!.incident;
    expect(closed).toMatchObject({ startedAt: at(4), endedAt: at(30), responsibility: 'line' });
    expect(h.stage.listIncidents({ siteId: 'A' })).toHaveLength(1);
  });

  it('a CE still silent after the restart while its line carries traffic: the outage ends at the stop, then a hang', () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    stop(h);
    h = start(60);
    run(h, 60, 70, (s) => [silent('A', s, { headend: 'up-moving' }), answered('B', s)]);
    const all = h.stage.listIncidents({ siteId: 'A' }).sort((a, b) => a.startedAt - b.startedAt);
    expect(all.map((i) => [i.kind, i.responsibility, i.startedAt, i.endedAt])).toEqual([
      ['outage', 'undetermined', at(4), at(10)],
      ['monitoring-gap', 'monitoring', at(10), expect.any(Number)],
      ['monitoring-gap', 'device', expect.any(Number), null],
    ]);
  });

  it('back while demarc was down with nothing dating the recovery: outage to the stop, the blind time is monitoring', () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), answered('B', s)]);
    stop(h);
    h = start(60);
    run(h, 60, 61, (s) => [answered('A', s, { uptimeSec: 20 }), answered('B', s)]);
    const all = h.stage.listIncidents({ siteId: 'A' }).sort((a, b) => a.startedAt - b.startedAt);
    expect(all.map((i) => [i.kind, i.responsibility, i.verdict, i.startedAt, i.endedAt])).toEqual([
      ['outage', 'device', 'final', at(4), at(10)],
      ['monitoring-gap', 'monitoring', 'final', at(10), at(60)],
    ]);
  });

  it('a NOC isolation open at the stop goes on if it still holds, and ends at the first cycle that sees again', () => {
    let h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 8, (s) => [silent('A', s, { headend: 'unreachable' }), silent('B', s, { headend: 'unreachable' })]);
    const [iso] = h.stage.listIncidents({ open: true });
    expect(iso).toMatchObject({ siteId: null, rule: 'noc-isolation' });
    stop(h);
    h = start(30);
    expect(run(h, 30, 32, (s) => [silent('A', s, { headend: 'unreachable' }), silent('B', s, { headend: 'unreachable' })]).filter((e) => e.type !== 'updated')).toEqual([]);
    const ev = run(h, 33, 35, (s) => [answered('A', s), answered('B', s)]);
    expect(ev.filter((e) => e.type === 'closed').map((e) => [e.incident.id, e.incident.endedAt])).toEqual([[iso!.id, at(33)]]);
    expect(h.stage.listIncidents()).toHaveLength(1);
  });
});

describe('OutageStage: commands', () => {
  function withClosedAndOpen() {
    const h = start(0);
    run(h, 0, 3, (s) => [answered('A', s), answered('B', s)]);
    run(h, 4, 10, (s) => [silent('A', s), silent('B', s)]);
    run(h, 11, 12, (s) => [answered('A', s, { wanLastChangeSec: BOOT + 10.5 }), silent('B', s)]);
    const closed = h.stage.listIncidents({ siteId: 'A' })[0]!;
    const openI = h.stage.listIncidents({ siteId: 'B' })[0]!;
    expect(closed.endedAt).not.toBeNull();
    expect(openI.endedAt).toBeNull();
    return { h, closed, openI };
  }

  it('carrier report and response on an open incident: stored, evidence, audit', () => {
    const { h, openI } = withClosedAndOpen();
    h.clock.set(at(7200));
    const r1 = h.stage.reportToCarrier(openI.id, zhang, at(600), 'hotline ticket 123');
    expect(r1.events.map((e) => e.type)).toEqual(['updated']);
    const r2 = h.stage.recordCarrierResponse(openI.id, zhang, at(600 + 80 * 60));
    expect(r2.incident).toMatchObject({ carrierReportedAt: at(600), carrierRespondedAt: at(5400) });
    expect(h.stage.carrierResponse(r2.incident)).toMatchObject({ status: 'responded', responseSec: 4800, withinLimit: true, withinStrictLimit: false });
    const stored = h.stage.incidents.get(openI.id)!.incident;
    expect(stored.carrierRespondedAt).toBe(at(5400));
    expect(stored.evidence.map((e) => e.kind)).toEqual(expect.arrayContaining(['carrier-reported', 'carrier-responded']));
    expect(h.audit.list().map((e) => [e.actor, e.action, e.target])).toEqual([
      ['noc.zhang', 'incident.carrier-report', openI.id],
      ['noc.zhang', 'incident.carrier-response', openI.id],
    ]);
  });

  it('refuses a response before a report, a response before the report time, and a second report', () => {
    const { h, closed } = withClosedAndOpen();
    h.clock.set(at(3600));
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return httpStatus((e as OutageCommandError).failure);
      }
      return 'accepted';
    };
    expect(code(() => h.stage.recordCarrierResponse(closed.id, zhang, at(700)))).toBe(409);
    expect(code(() => h.stage.reportToCarrier(closed.id, zhang, at(7200)))).toBe(400);
    expect(code(() => h.stage.reportToCarrier(closed.id, zhang, at(600)))).toBe('accepted');
    expect(code(() => h.stage.reportToCarrier(closed.id, zhang, at(610)))).toBe(409);
    expect(code(() => h.stage.recordCarrierResponse(closed.id, zhang, at(500)))).toBe(400);
    expect(code(() => h.stage.reportToCarrier('INC-nope', zhang, at(600)))).toBe(404);
    expect(h.audit.list()).toHaveLength(1);
  });

  it('a correction takes effect only when a different approver approves it, on a closed incident', () => {
    const { h, closed } = withClosedAndOpen();
    h.clock.set(at(100));
    const p = h.stage.proposeVerdict(closed.id, zhang, 'external', 'regional power cut, clause 12.1');
    expect(p.incident).toMatchObject({ responsibility: 'line', rule: 'line-cut' });
    expect(() => h.stage.approveVerdict(closed.id, { ...zhang, roles: ['operator', 'approver'] })).toThrow(/cannot also approve/);
    h.clock.set(at(200));
    const a = h.stage.approveVerdict(closed.id, li);
    expect(a.incident).toMatchObject({ responsibility: 'external', verdict: 'final', rule: 'operator-correction' });
    expect(a.incident.corrections).toEqual([
      { responsibility: 'external', reason: 'regional power cut, clause 12.1', proposedBy: 'noc.zhang', proposedAt: at(100), approvedBy: 'mgr.li', approvedAt: at(200) },
    ]);
    expect(h.stage.incidents.get(closed.id)!.incident.responsibility).toBe('external');
    expect(h.audit.list().map((e) => [e.actor, e.action])).toEqual([
      ['noc.zhang', 'incident.verdict.propose'],
      ['mgr.li', 'incident.verdict.approve'],
    ]);
    expect(h.audit.verify()).toEqual({ ok: true });
  });

  it('an approved correction on an open incident survives its recovery', () => {
    const { h, openI } = withClosedAndOpen();
    h.stage.proposeVerdict(openI.id, zhang, 'external', 'fibre cut by road works (third party), clause 12.1');
    h.stage.approveVerdict(openI.id, li);
    const ev = run(h, 13, 15, (s) => [answered('A', s), answered('B', s, { wanLastChangeSec: BOOT + 12.5 })]);
    expect(ev.find((e) => e.type === 'closed')!.incident).toMatchObject({ id: openI.id, responsibility: 'external', rule: 'operator-correction', verdict: 'final' });
  });
});

describe('OutageStage: maintenance windows', () => {
  it('creates, lists and withdraws windows (kept, audited); a window registered in advance makes the outage planned', () => {
    const h = start(0);
    const { window } = h.stage.createWindow({ scope: { kind: 'site', siteId: 'A' }, startsAt: at(10), endsAt: at(100), carrierNoticeRef: 'CT-031' }, zhang);
    expect(h.stage.listWindows().map((w) => w.id)).toEqual([window.id]);
    run(h, 0, 9, (s) => [answered('A', s), answered('B', s)]);
    run(h, 10, 15, (s) => [silent('A', s), answered('B', s)]);
    expect(h.stage.listIncidents({ open: true })[0]).toMatchObject({ responsibility: 'planned', maintenanceWindowId: window.id });
    h.stage.deleteWindow(window.id, zhang, 'entered for the wrong site');
    expect(h.stage.listWindows()).toEqual([]);
    expect(h.db.prepare('SELECT deleted_by, deleted_reason FROM outage_maintenance_window').get()).toEqual({ deleted_by: 'noc.zhang', deleted_reason: 'entered for the wrong site' });
    expect(h.stage.listIncidents({ open: true })[0]).toMatchObject({ responsibility: 'undetermined' });
    expect(h.audit.list().map((e) => e.action)).toEqual(['maintenance.create', 'maintenance.delete']);
    expect(() => h.stage.createWindow({ scope: { kind: 'site', siteId: 'nope' }, startsAt: at(10), endsAt: at(100), carrierNoticeRef: 'x' }, zhang)).toThrow(/siteId: no site nope/);
    expect(() => h.stage.createWindow({ scope: { kind: 'site', siteId: 'A' }, startsAt: at(10), endsAt: at(10), carrierNoticeRef: 'x' }, zhang)).toThrow(/endsAt/);
  });
});
