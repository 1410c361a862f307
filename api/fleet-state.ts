import type { Site } from '../core/inventory.js';
import type { SiteCapacityDto, SiteDto, SiteStateDto } from '../core/events.js';
import type { SiteCapacity } from '../core/site-state.js';
import type { Incident, IncidentEvent } from '../core/incident.js';
import type { CircuitSample } from '../core/sample.js';
import type { LatestSample } from '../store/metric-store.js';
import { decideTileState, tileIncident, type TileIncident, type TileInputs } from '../outage/tile-state.js';

type Reading = NonNullable<TileInputs['latest']>;

interface SiteEntry {
  site: Site;
  reading: Reading | null;
  refreshedAt: number | null;
  dto: Omit<SiteStateDto, 'tile' | 'incidentId' | 'since'> | null;
  open: Map<string, TileIncident>;
  capacity: SiteCapacityDto | null;
  state: SiteStateDto;
}

export interface FleetStateOptions {
  intervalSec: number;
  hangMinBps: number;
  now: () => number;
}

const ISO = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The latest known state of every site, in memory, for the wall and `GET /api/sites`: the
 * latest reading, the open incidents, and the tile state decided from both (one rule,
 * outage/tile-state.ts). Seeded from the store and the open incidents at start-up so a restart
 * does not show an empty wall.
 */
export class FleetState {
  private readonly entries = new Map<string, SiteEntry>();
  /** Fleet-wide incidents (NOC isolation): every tile shows them. */
  private readonly fleetWide = new Map<string, TileIncident>();

  constructor(
    readonly sites: readonly Site[],
    private readonly opts: FleetStateOptions,
  ) {
    for (const site of sites) {
      const e: SiteEntry = { site, reading: null, refreshedAt: null, dto: null, open: new Map(), capacity: null, state: null as unknown as SiteStateDto };
      e.state = this.decide(e, opts.now());
      this.entries.set(site.id, e);
    }
  }

  seed(latest: readonly LatestSample[], open: readonly Incident[] = []): void {
    for (const l of latest) {
      const e = this.entries.get(l.siteId);
      if (!e || e.reading) continue;
      // The store keeps the head-end's status, not its traffic: a seeded silent CE reads as silent until the first cycle.
      // Seeded readings count from their sample time: after a long stop they are stale until polled.
      e.refreshedAt = l.at;
      e.reading = { ce: { reachable: l.ceReachable }, headend: { reachable: l.headendOper !== null, oper: l.headendOper as CircuitSample['headend']['oper'], inBps: null, outBps: null } };
      e.dto = { siteId: l.siteId, at: ISO(l.at), ceReachable: l.ceReachable, wanOper: l.wanOper, headendOper: l.headendOper, inBps: l.inBps, outBps: l.outBps, inUtilPct: l.inUtilPct, outUtilPct: l.outUtilPct, rttMs: l.rttMs, gap: null };
    }
    this.noteIncidents(open);
    this.recompute(this.opts.now());
  }

  /** A cycle's (or a trap-triggered poll's) samples: the states of the sites polled and of every site whose tile changed. */
  update(samples: readonly CircuitSample[]): SiteStateDto[] {
    const polled = new Set<string>();
    const now = this.opts.now();
    for (const s of samples) {
      const e = this.entries.get(s.siteId);
      if (!e) continue;
      polled.add(s.siteId);
      e.reading = s;
      e.refreshedAt = now;
      e.dto = {
        siteId: s.siteId, at: ISO(s.at), ceReachable: s.ce.reachable, wanOper: s.ce.wanOper, headendOper: s.headend.oper,
        inBps: s.inBps, outBps: s.outBps, inUtilPct: s.inUtilPct, outUtilPct: s.outUtilPct, rttMs: s.rttMs, gap: s.gap,
        ...(s.configGaps?.length ? { configGaps: [...s.configGaps] } : {}),
      };
    }
    return this.recompute(now, polled);
  }

  /** Incident events: the states of the sites whose tile changed. */
  onIncidents(events: readonly IncidentEvent[]): SiteStateDto[] {
    this.noteIncidents(events.map((e) => e.incident));
    return this.recompute(this.opts.now());
  }

  /** The live capacity findings (outage/capacity-window.ts): the states of the sites whose finding changed. */
  setCapacity(findings: ReadonlyMap<string, SiteCapacity | null>): SiteStateDto[] {
    const changed = new Set<string>();
    for (const [siteId, f] of findings) {
      const e = this.entries.get(siteId);
      if (!e) continue;
      const next: SiteCapacityDto | null = f === null ? null : ({ ...f, since: new Date(f.since).toISOString() } as SiteCapacityDto);
      if (JSON.stringify(next) !== JSON.stringify(e.capacity)) changed.add(siteId);
      e.capacity = next;
    }
    return changed.size ? this.recompute(this.opts.now(), changed) : [];
  }

  site(id: string): Site | undefined {
    return this.entries.get(id)?.site;
  }

  snapshot(): SiteStateDto[] {
    return [...this.entries.values()].map((e) => e.state);
  }

  dto(site: Site): SiteDto {
    const e = this.entries.get(site.id);
    return {
      id: site.id,
      name: site.name,
      nameEn: site.nameEn,
      division: site.division,
      circuitId: site.circuit.id,
      bandwidthMbps: site.circuit.bandwidthMbps,
      activationDate: site.circuit.activationDate,
      carrierGroup: site.circuit.carrierGroup,
      hasOob: site.oob !== null,
      hasCpe: site.cpe !== null,
      location: site.location,
      state: e?.state ?? null,
    };
  }

  private noteIncidents(incidents: readonly Incident[]): void {
    for (const i of incidents) {
      const into = i.siteId === null ? this.fleetWide : this.entries.get(i.siteId)?.open;
      if (!into) continue;
      if (i.endedAt === null) into.set(i.id, { id: i.id, kind: i.kind, responsibility: i.responsibility, startedAt: i.startedAt });
      else into.delete(i.id);
    }
  }

  private recompute(now: number, include: ReadonlySet<string> = new Set()): SiteStateDto[] {
    const out: SiteStateDto[] = [];
    for (const e of this.entries.values()) {
      const next = this.decide(e, now);
      const prev = e.state;
      e.state = next;
      if (include.has(e.site.id) || !prev || prev.tile !== next.tile || prev.incidentId !== next.incidentId) out.push(next);
    }
    return out;
  }

  private decide(e: SiteEntry, now: number): SiteStateDto {
    const incident = tileIncident([...e.open.values()]) ?? tileIncident([...this.fleetWide.values()]);
    const d = decideTileState({ now, intervalSec: this.opts.intervalSec, hangMinBps: this.opts.hangMinBps, latest: e.reading, refreshedAt: e.refreshedAt, incident });
    const base = e.dto ?? { siteId: e.site.id, at: null, ceReachable: null, wanOper: null, headendOper: null, inBps: null, outBps: null, inUtilPct: null, outUtilPct: null, rttMs: null, gap: null };
    return { ...base, tile: d.state, incidentId: d.incidentId, since: ISO(d.since), ...(e.capacity ? { capacity: e.capacity } : {}) };
  }
}
