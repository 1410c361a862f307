import type { TermParams } from '../core/terms.js';
import type { MaintenanceWindow } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import type { OutageConfig } from './config-schema.js';
import { noteReturn } from './drop-return.js';
import { noteFlap, sameDrop, type Drop } from './flap-drops.js';
import { demarcDownGap, hangGap, trapConcernsCircuit, trapParams } from './gap-incidents.js';
import { planResume } from './restart-resume.js';
import { addEvidence, emptyFacts, iso, mergeFacts, newIncident, noteSignal, type IncidentFacts, type SitePhase, type TrackedIncident } from './incident-facts.js';
import type { IncidentLedger } from './incident-ledger.js';
import { classifySample, noteSilentSample, type SampleClass } from './sample-signals.js';
import type { Signal } from './signals.js';
import type { UptimeReading } from './uptime-continuity.js';

export interface TrackerContext {
  now: number;
  cfg: OutageConfig;
  windows: readonly MaintenanceWindow[];
  newId: () => string;
  ledger: IncidentLedger;
}

const TRAP_MEMORY_MS = 10 * 60_000;

/**
 * One site's state machine: up → suspect → down → recovering → up. A drop shorter than the
 * confirmation threshold is a flap (a run of them is one flapping incident); a CE that is
 * silent while its circuit carries traffic is a management-plane hang, not an outage.
 * No I/O and no clock: instants come from the samples and the context.
 */
export class SiteTracker {
  phase: SitePhase = 'up';
  outage: TrackedIncident | null = null;
  flapping: TrackedIncident | null = null;
  gapIncident: TrackedIncident | null = null;
  private lastGood: UptimeReading | null = null;
  private failedPolls = 0;
  private dropStartedAt = 0;
  private pending: IncidentFacts | null = null;
  private goodPolls = 0;
  private hangSince: number | null = null;
  private hangPolls = 0;
  private drops: Drop[] = [];
  private dropFacts: IncidentFacts | null = null;
  private trapDownAt: number | null = null;
  private recentTraps: TrapEvent[] = [];
  private restartFrom: number | null = null;
  private resumeLooks = 0;

  constructor(readonly site: Site) {}

  open(): TrackedIncident[] {
    return [this.outage, this.flapping, this.gapIncident].filter((t): t is TrackedIncident => t !== null);
  }

  observe(s: CircuitSample, ctx: TrackerContext): void {
    const cls = classifySample(s, ctx.cfg.hang.minBps);
    if (this.restartFrom !== null && cls === 'hang' && this.outage && ++this.resumeLooks < ctx.cfg.confirm.polls) {
      // The line carries traffic but the CE did not answer the first request(s) of demarc's
      // fresh session (v3 discovery, a busy start-up): wait for it before deciding, since only
      // its ifLastChange can date the recovery. Still silent after as many polls as confirm an
      // outage, it is decided without.
      noteSignal(this.outage.facts, 'headend-up-moving', s.at, { inBps: s.headend.inBps, outBps: s.headend.outBps });
      ctx.ledger.touch(this.outage);
      return;
    }
    if (this.restartFrom !== null) this.resumeAfterRestart(s, cls, ctx);
    if (cls === 'answered') this.onAnswered(s, ctx);
    else if (cls === 'hang') this.onHang(s, ctx);
    else this.onSilent(s, ctx);
  }

  /** The NOC lost sight of everything: a drop that began with it says nothing about this site. */
  freeze(): void {
    if (this.phase === 'suspect') this.phase = 'up';
    this.pending = null;
    this.failedPolls = 0;
  }

  private onSilent(s: CircuitSample, ctx: TrackerContext): void {
    this.endHang(s.at, ctx, 'traffic-stopped');
    if (this.phase === 'up') {
      this.phase = 'suspect';
      this.failedPolls = 0;
      this.dropStartedAt = s.at;
      this.pending = emptyFacts(s.at, this.lastGood);
      noteSignal(this.pending, 'ce-unreachable', s.at, { error: s.ce.error });
      this.foldRecentTraps(this.pending);
    }
    if (this.phase === 'suspect') {
      this.failedPolls++;
      noteSilentSample(this.pending!, s);
      const { polls, seconds } = ctx.cfg.confirm;
      if (this.failedPolls >= polls && s.at - this.dropStartedAt >= seconds * 1000) this.confirmOutage(ctx);
      return;
    }
    const t = this.outage!;
    if (this.phase === 'recovering') {
      t.incident.flaps++;
      addEvidence(t.facts, { at: s.at, kind: 'flap', params: { again: true } });
      this.phase = 'down';
      t.facts.phase = 'down';
      t.facts.returnedAt = null;
      this.goodPolls = 0;
    }
    noteSilentSample(t.facts, s);
    t.facts.lastSeenAt = s.at;
    ctx.ledger.touch(t);
  }

  private confirmOutage(ctx: TrackerContext): void {
    if (this.flapping) this.closeFlapping(ctx);
    // Trap-seen drops inside what turned out to be an outage were part of it, not flaps.
    const from = this.pending!.before?.at ?? this.dropStartedAt;
    this.drops = this.drops.filter((d) => d.end < from);
    const t: TrackedIncident = {
      incident: newIncident(ctx.newId(), this.site.id, this.site.circuit.id, 'outage', this.dropStartedAt),
      facts: this.pending!,
    };
    t.facts.phase = 'down';
    this.outage = t;
    this.phase = 'down';
    this.pending = null;
    ctx.ledger.open(t);
  }

  private onAnswered(s: CircuitSample, ctx: TrackerContext): void {
    this.endHang(s.at, ctx, 'ce-answers');
    const tol = ctx.cfg.uptimeToleranceSec;
    if (this.phase === 'suspect') {
      noteReturn(this.pending!, s, this.dropStartedAt, tol);
      this.registerDrop({ start: this.dropStartedAt, end: s.at, seenFrom: this.pending!.before?.at ?? this.dropStartedAt, polls: this.failedPolls }, this.pending!, ctx);
      this.phase = 'up';
      this.pending = null;
    } else if (this.phase === 'down' || this.phase === 'recovering') {
      const t = this.outage!;
      if (this.phase === 'down') this.beginRecovery(t, s.at);
      else this.goodPolls++;
      if (t.facts.seen['ce-returned'] === undefined) noteReturn(t.facts, s, t.incident.startedAt, tol);
      t.facts.lastSeenAt = s.at;
      ctx.ledger.touch(t);
      if (this.goodPolls >= ctx.cfg.recover.polls) this.closeOutage(t.facts.returnedAt!, ctx);
    }
    const fl = this.flapping;
    if (fl && this.phase === 'up' && fl.facts.seen['ce-returned'] === undefined) {
      // Drops only the traps saw: this poll is the first look at the CE's clocks since.
      noteReturn(fl.facts, s, fl.incident.startedAt, tol);
      ctx.ledger.touch(fl);
    }
    this.lastGood = { at: s.at, uptimeSec: s.ce.uptimeSec, hostUptimeSec: s.ce.hostUptimeSec };
  }

  private beginRecovery(t: TrackedIncident, at: number): void {
    this.phase = 'recovering';
    t.facts.phase = 'recovering';
    t.facts.returnedAt = at;
    this.goodPolls = 1;
  }

  private onHang(s: CircuitSample, ctx: TrackerContext): void {
    if (this.phase === 'suspect') {
      // Silent polls that end with the circuit visibly carrying traffic were never a drop.
      this.phase = 'up';
      this.hangSince = this.dropStartedAt;
      this.hangPolls = this.failedPolls;
      this.pending = null;
    } else if (this.phase === 'down' || this.phase === 'recovering') {
      const t = this.outage!;
      if (this.phase === 'down') this.beginRecovery(t, s.at);
      else this.goodPolls++;
      noteSignal(t.facts, 'headend-up-moving', s.at, { inBps: s.headend.inBps, outBps: s.headend.outBps });
      t.facts.lastSeenAt = s.at;
      ctx.ledger.touch(t);
      if (this.goodPolls >= ctx.cfg.recover.polls) this.closeOutage(t.facts.returnedAt!, ctx);
    }
    if (this.hangSince === null) {
      this.hangSince = s.at;
      this.hangPolls = 0;
    }
    this.hangPolls++;
    const { polls, seconds } = ctx.cfg.confirm;
    if (this.phase === 'up' && !this.gapIncident && this.hangPolls >= polls && s.at - this.hangSince >= seconds * 1000) {
      const t = hangGap(ctx.newId(), this.site, this.hangSince, s, this.lastGood);
      this.gapIncident = t;
      ctx.ledger.open(t);
    } else if (this.gapIncident) {
      this.gapIncident.facts.lastSeenAt = s.at;
      ctx.ledger.touch(this.gapIncident);
    }
  }

  private endHang(at: number, ctx: TrackerContext, why: 'traffic-stopped' | 'ce-answers'): void {
    this.hangSince = null;
    this.hangPolls = 0;
    const t = this.gapIncident;
    if (!t) return;
    addEvidence(t.facts, { at, kind: 'gap-ended', params: { cause: why } });
    t.incident.endedAt = at;
    this.gapIncident = null;
    ctx.ledger.close(t);
  }

  private registerDrop(drop: Drop, f: IncidentFacts, ctx: TrackerContext): void {
    const { minDrops, windowSec } = ctx.cfg.flap;
    this.drops = this.drops.filter((d) => drop.end - d.end <= windowSec * 1000);
    const same = this.drops.find((d) => sameDrop(d, drop));
    if (same) {
      same.end = Math.max(same.end, drop.end);
      const into = this.flapping?.facts ?? this.dropFacts;
      if (into) mergeFacts(into, f);
      if (this.flapping) ctx.ledger.touch(this.flapping);
      return;
    }
    this.drops.push(drop);
    if (this.flapping) {
      const t = this.flapping;
      t.incident.flaps++;
      mergeFacts(t.facts, f);
      noteFlap(t.facts, drop);
      ctx.ledger.touch(t);
      return;
    }
    if (this.drops.length === 1 || !this.dropFacts) this.dropFacts = f;
    else mergeFacts(this.dropFacts, f);
    if (this.drops.length < minDrops) return;
    const facts = this.dropFacts;
    const t: TrackedIncident = {
      incident: newIncident(ctx.newId(), this.site.id, this.site.circuit.id, 'outage', this.drops[0]!.start),
      facts,
    };
    facts.flapping = true;
    facts.phase = 'up';
    t.incident.flaps = this.drops.length;
    for (const d of this.drops) noteFlap(facts, d);
    this.flapping = t;
    this.dropFacts = null;
    ctx.ledger.open(t);
  }

  private closeOutage(endedAt: number, ctx: TrackerContext): void {
    const t = this.outage!;
    t.incident.endedAt = endedAt;
    t.facts.phase = 'up';
    this.outage = null;
    this.phase = 'up';
    this.goodPolls = 0;
    ctx.ledger.close(t);
  }

  private closeFlapping(ctx: TrackerContext): void {
    const t = this.flapping!;
    t.incident.endedAt = t.facts.lastDropEndAt ?? t.incident.startedAt;
    this.flapping = null;
    this.drops = [];
    ctx.ledger.close(t);
  }

  /** Time-driven transitions: a flapping incident gone quiet, a planned outage past its window. */
  tick(ctx: TrackerContext): void {
    const f = this.flapping;
    if (f && this.phase !== 'suspect' && ctx.now - (f.facts.lastDropEndAt ?? f.incident.startedAt) >= ctx.cfg.flap.quietSec * 1000) {
      this.closeFlapping(ctx);
    }
    const t = this.outage;
    const w = t?.facts.plannedWindow;
    if (t && w && t.incident.rule === 'planned-maintenance' && ctx.now >= w.endsAt) {
      const stillDown = this.phase === 'down' || (t.facts.returnedAt !== null && t.facts.returnedAt > w.endsAt);
      if (stillDown) this.splitOverrun(t, w, ctx);
    }
  }

  private splitOverrun(old: TrackedIncident, w: NonNullable<IncidentFacts['plannedWindow']>, ctx: TrackerContext): void {
    const facts: IncidentFacts = structuredClone(old.facts);
    facts.evidence = facts.evidence.filter((e) => e.kind !== 'verdict');
    facts.plannedWindow = null;
    facts.overrunOf = { id: w.id, endedAt: w.endsAt };
    addEvidence(facts, {
      at: w.endsAt,
      kind: 'maintenance-overrun',
      params: { windowId: w.id, noticeRef: w.carrierNoticeRef, endedAt: w.endsAt },
    });
    old.incident.endedAt = w.endsAt;
    old.facts.phase = 'up';
    ctx.ledger.close(old);
    const t: TrackedIncident = { incident: newIncident(ctx.newId(), this.site.id, this.site.circuit.id, 'outage', w.endsAt), facts };
    this.outage = t;
    ctx.ledger.open(t);
  }

  /** Evidence from outside the polls (discovery saw the CE replaced), for the open or suspected outage. */
  note(kind: Signal, at: number, params: TermParams, ctx: TrackerContext): void {
    const target = this.outage?.facts ?? (this.phase === 'suspect' ? this.pending : null);
    if (!target) return;
    noteSignal(target, kind, at, params);
    if (this.outage) ctx.ledger.touch(this.outage);
  }

  /** A remote collector's reading during this drop (a hang gap is the center's view too). */
  noteVantage(kind: 'vantage-sees-ce' | 'vantage-lost-ce', at: number, params: TermParams, ctx: TrackerContext): void {
    const open = this.outage ?? this.gapIncident;
    const target = open?.facts ?? (this.phase === 'suspect' ? this.pending : null);
    if (!target) return;
    noteSignal(target, kind, at, params);
    if (open) ctx.ledger.touch(open);
  }

  trap(e: TrapEvent, ctx: TrackerContext): void {
    if (!trapConcernsCircuit(e, this.site)) return;
    const kind = `trap:${e.kind}` as Signal;
    const params = trapParams(e);
    const target = this.outage?.facts ?? (this.phase === 'suspect' ? this.pending : null);
    if (target) {
      noteSignal(target, kind, e.at, params);
      if (this.outage) ctx.ledger.touch(this.outage);
    } else {
      this.recentTraps = this.recentTraps.filter((r) => e.at - r.at <= TRAP_MEMORY_MS);
      this.recentTraps.push(e);
    }
    if (e.kind === 'linkDown') this.trapDownAt = e.at;
    if (e.kind !== 'linkUp') return;
    const down = this.trapDownAt;
    this.trapDownAt = null;
    // Samples reach the tracker only when their cycle ends, traps at once: a drop the traps saw
    // is registered on their timeline, and a poll that saw the same drop is folded into it.
    if (down === null || this.phase === 'down' || this.phase === 'recovering') return;
    const f = emptyFacts(down, this.lastGood);
    this.foldRecentTraps(f);
    this.recentTraps = [];
    noteSignal(f, 'trap:linkDown', down, { from: e.from });
    noteSignal(f, 'trap:linkUp', e.at, params);
    this.registerDrop({ start: down, end: e.at, seenFrom: down, polls: null }, f, ctx);
  }

  private foldRecentTraps(f: IncidentFacts): void {
    const since = this.lastGood?.at ?? -Infinity;
    for (const e of this.recentTraps) {
      if (e.at >= since) noteSignal(f, `trap:${e.kind}` as Signal, e.at, trapParams(e));
    }
  }

  /** Takes back an incident that was open when demarc stopped. */
  restore(t: TrackedIncident, lastCycleAt: number | null): void {
    if (t.facts.gap === 'management-plane-hang') {
      this.gapIncident = t;
      this.hangSince = t.incident.startedAt;
      this.hangPolls = Number.MAX_SAFE_INTEGER;
    } else if (t.facts.flapping) {
      this.flapping = t;
    } else {
      this.outage = t;
      this.phase = t.facts.phase === 'recovering' ? 'recovering' : 'down';
      this.lastGood = t.facts.before;
      this.restartFrom = Math.max(lastCycleAt ?? t.facts.lastSeenAt, t.facts.lastSeenAt);
    }
  }

  /** The first poll after a restart of demarc with this site's outage open. */
  private resumeAfterRestart(s: CircuitSample, cls: SampleClass, ctx: TrackerContext): void {
    const from = this.restartFrom!;
    this.restartFrom = null;
    const t = this.outage;
    if (!t) return;
    const plan = planResume(t, s, cls, from, this.phase, ctx.cfg.uptimeToleranceSec);
    if (plan.kind === 'continue') return;
    this.closeOutage(plan.at, ctx);
    if (plan.blindUntil !== null) {
      const gap = demarcDownGap(ctx.newId(), t, from, plan.blindUntil);
      ctx.ledger.open(gap);
      ctx.ledger.close(gap);
    }
  }
}

