import type { CircuitSample } from '../core/sample.js';
import type { TermParams } from '../core/terms.js';

export interface VantageNote {
  siteId: string;
  kind: 'vantage-sees-ce' | 'vantage-lost-ce';
  at: number;
  params: TermParams;
}

/**
 * The second vantage point, as a pure rule: when the center's own reading of a site failed,
 * what did the site's remote collector see at about the same time? Reached the CE: the center
 * lost sight (`vantage-sees-ce`); lost it too: the site is down (`vantage-lost-ce`). A remote
 * reading more than `maxSkewMs` from the center's says nothing about that moment.
 */
export function vantageNote(center: CircuitSample, remote: CircuitSample | undefined, maxSkewMs: number): VantageNote | null {
  if (center.ce.reachable || !remote || remote.vantage === undefined) return null;
  if (Math.abs(remote.at - center.at) > maxSkewMs) return null;
  const params: TermParams = { collector: remote.vantage, at: remote.at, ...(remote.ce.reachable ? {} : { error: remote.ce.error }) };
  return { siteId: center.siteId, kind: remote.ce.reachable ? 'vantage-sees-ce' : 'vantage-lost-ce', at: remote.at, params };
}

/** The latest reading of each site from each side; asks vantageNote whenever either side moves. */
export class VantageBook {
  private readonly center = new Map<string, CircuitSample>();
  private readonly remote = new Map<string, CircuitSample>();

  constructor(private readonly maxSkewMs: number) {}

  /** The center's own readings of a cycle. */
  fromCenter(samples: readonly CircuitSample[]): VantageNote[] {
    const out: VantageNote[] = [];
    for (const s of samples) {
      this.center.set(s.siteId, s);
      const n = vantageNote(s, this.remote.get(s.siteId), this.maxSkewMs);
      if (n) out.push(n);
    }
    return out;
  }

  /** A remote collector's reading. */
  fromRemote(s: CircuitSample): VantageNote | null {
    const last = this.remote.get(s.siteId);
    if (last && last.at > s.at) return null;
    this.remote.set(s.siteId, s);
    const c = this.center.get(s.siteId);
    return c ? vantageNote(c, s, this.maxSkewMs) : null;
  }
}
