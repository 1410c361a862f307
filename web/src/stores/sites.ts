import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CycleReport, SiteDto, SiteStateDto } from '../../../core/events.js';
import { fetchHealth, fetchSites } from '../api/endpoints.js';
import { errorText } from '../api/http.js';
import { groupByDivision } from '../model/division.js';
import { isOutageTile, tileOf } from '../model/site-health.js';

/**
 * The inventory and each site's latest state. A cycle updates the state objects in place,
 * property by property, so only the tiles whose numbers changed re-render: replacing the
 * array every second would rebuild 120 tiles and make the wall flicker.
 */
export const useSitesStore = defineStore('sites', () => {
  const sites = ref<SiteDto[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  const lastCycle = ref<CycleReport | null>(null);
  /** When this browser first saw a site's outage: a lower bound shown until an incident gives its start. */
  const observedDownSince = ref<Record<string, number>>({});

  // Depends only on the array and the ids, so it is rebuilt on load, not on every cycle.
  const siteById = computed(() => new Map(sites.value.map((s) => [s.id, s])));
  const divisions = computed(() => groupByDivision(sites.value));

  function trackDown(site: SiteDto, fallbackAt: number): void {
    const down = isOutageTile(tileOf(site.state));
    const known = site.id in observedDownSince.value;
    if (down && !known) {
      const at = site.state?.at ? Date.parse(site.state.at) : NaN;
      observedDownSince.value[site.id] = Number.isFinite(at) ? at : fallbackAt;
    } else if (!down && known) {
      delete observedDownSince.value[site.id];
    }
  }

  function applyStates(states: readonly SiteStateDto[]): void {
    const now = Date.now();
    for (const dto of states) {
      const site = siteById.value.get(dto.siteId);
      if (!site) continue; // not in the inventory this page loaded; the next load picks it up
      if (site.state) {
        Object.assign(site.state, dto);
        // Optional fields (a capacity finding, configuration gaps) are left out once they end.
        for (const k of Object.keys(site.state) as (keyof SiteStateDto)[]) if (!(k in dto)) delete site.state[k];
      } else site.state = { ...dto };
      trackDown(site, now);
    }
  }

  function applyCycle(payload: { report: CycleReport; sites: SiteStateDto[] }): void {
    lastCycle.value = payload.report;
    applyStates(payload.sites);
  }

  async function load(): Promise<void> {
    if (loading.value) return;
    loading.value = true;
    try {
      sites.value = await fetchSites();
      loaded.value = true;
      loadError.value = null;
      const now = Date.now();
      for (const s of sites.value) trackDown(s, now);
    } catch (e) {
      loadError.value = errorText(e);
    } finally {
      loading.value = false;
    }
    if (!lastCycle.value) {
      // Until the first cycle arrives over the socket, the header shows the collector's last one.
      fetchHealth()
        .then((h) => {
          if (!lastCycle.value && h.collector.lastCycle) lastCycle.value = h.collector.lastCycle;
        })
        .catch(() => undefined);
    }
  }

  return { sites, loaded, loadError, lastCycle, observedDownSince, siteById, divisions, applyStates, applyCycle, load };
});
