import type { Site } from '../core/inventory.js';
import { sampleToSiteState, type SiteDto, type SiteStateDto } from '../core/events.js';
import type { CircuitSample } from '../core/sample.js';
import type { LatestSample } from '../store/metric-store.js';

/**
 * The latest known state of every site, in memory, for the wall and `GET /api/sites`.
 * Seeded from the store at start-up so a restart does not show an empty wall.
 */
export class FleetState {
  private readonly states = new Map<string, SiteStateDto>();
  private readonly byId: Map<string, Site>;

  constructor(readonly sites: readonly Site[]) {
    this.byId = new Map(sites.map((s) => [s.id, s]));
  }

  seed(latest: readonly LatestSample[]): void {
    for (const l of latest) {
      if (!this.byId.has(l.siteId) || this.states.has(l.siteId)) continue;
      this.states.set(l.siteId, {
        siteId: l.siteId,
        at: new Date(l.at).toISOString(),
        ceReachable: l.ceReachable,
        wanOper: l.wanOper,
        headendOper: l.headendOper,
        inBps: l.inBps,
        outBps: l.outBps,
        inUtilPct: l.inUtilPct,
        outUtilPct: l.outUtilPct,
        rttMs: l.rttMs,
        gap: null,
      });
    }
  }

  update(samples: readonly CircuitSample[]): SiteStateDto[] {
    return samples.map((s) => {
      const state = sampleToSiteState(s);
      this.states.set(s.siteId, state);
      return state;
    });
  }

  site(id: string): Site | undefined {
    return this.byId.get(id);
  }

  snapshot(): SiteStateDto[] {
    return [...this.states.values()];
  }

  dto(site: Site): SiteDto {
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
      state: this.states.get(site.id) ?? null,
    };
  }
}
