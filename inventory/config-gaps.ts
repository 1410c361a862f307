import { CONFIG_GAP_SIDE_TERMS } from '../core/health-terms.js';
import type { SiteId } from '../core/inventory.js';
import type { CircuitSample, ConfigGap } from '../core/sample.js';

/** A configuration gap at a site: which configured name, on which device, since when. */
export interface SiteConfigGap extends ConfigGap {
  siteId: SiteId;
  since: number;
}

export interface ConfigGapChange {
  siteId: SiteId;
  /** The site's gaps now (empty: all resolved again). */
  gaps: readonly SiteConfigGap[];
  raised: readonly SiteConfigGap[];
  cleared: readonly SiteConfigGap[];
}

const keyOf = (g: ConfigGap) => `${g.side}|${g.device}|${g.ifName}`;

/**
 * The configuration gaps the polls are seeing now, site by site. Fed every sample; says what
 * changed, so the pipeline logs and alerts once per change, not once per cycle. A site whose
 * sample carries no gap has none (a sample is a complete poll of the site).
 */
export class ConfigGapBook {
  private readonly bySite = new Map<SiteId, Map<string, SiteConfigGap>>();

  observe(samples: readonly CircuitSample[]): ConfigGapChange[] {
    const out: ConfigGapChange[] = [];
    for (const s of samples) {
      const before = this.bySite.get(s.siteId);
      const seen = s.configGaps ?? [];
      if (!before && seen.length === 0) continue;
      const now = new Map<string, SiteConfigGap>();
      const raised: SiteConfigGap[] = [];
      for (const g of seen) {
        const k = keyOf(g);
        const old = before?.get(k);
        const gap = old ?? { ...g, siteId: s.siteId, since: s.at };
        if (!old) raised.push(gap);
        now.set(k, gap);
      }
      const cleared = before ? [...before].filter(([k]) => !now.has(k)).map(([, g]) => g) : [];
      if (now.size) this.bySite.set(s.siteId, now);
      else this.bySite.delete(s.siteId);
      if (raised.length || cleared.length) out.push({ siteId: s.siteId, gaps: [...now.values()], raised, cleared });
    }
    return out;
  }

  current(): SiteConfigGap[] {
    return [...this.bySite.values()].flatMap((m) => [...m.values()]);
  }
}


/** One line naming the site, the device and the name (health, logs, alert detail). */
export function describeGap(g: SiteConfigGap): string {
  return `site ${g.siteId}: ${CONFIG_GAP_SIDE_TERMS[g.side].en} "${g.ifName}" not found on ${g.device} (checked ifName, ifDescr, its first word, ifAlias)`;
}
