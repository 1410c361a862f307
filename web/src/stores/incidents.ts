import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { IncidentDto } from '../../../core/events.js';
import { fetchIncidents } from '../api/endpoints.js';
import { ApiError, errorText } from '../api/http.js';
import { openIncidentBySite, sortIncidents } from '../model/incident-order.js';

/** Incidents as the API and the socket report them, merged by id. */
export const useIncidentsStore = defineStore('incidents', () => {
  const incidents = ref<IncidentDto[]>([]);
  /** false once the API answered 404: the outage stage is not deployed on this server. */
  const available = ref<boolean | null>(null);
  const loadError = ref<string | null>(null);

  const sorted = computed(() => sortIncidents(incidents.value));
  const openBySite = computed(() => openIncidentBySite(incidents.value));

  function upsert(dto: IncidentDto): void {
    available.value = true;
    const existing = incidents.value.find((i) => i.id === dto.id);
    if (existing) Object.assign(existing, dto);
    else incidents.value.push(dto);
  }

  async function request(filter: Parameters<typeof fetchIncidents>[0]): Promise<IncidentDto[] | null> {
    try {
      const list = await fetchIncidents(filter);
      available.value = true;
      loadError.value = null;
      return list;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) available.value = false;
      else loadError.value = errorText(e);
      return null;
    }
  }

  /** Re-reads the open incidents (start-up, reconnect): ones that closed meanwhile drop out. */
  async function loadOpen(): Promise<void> {
    const list = await request({ open: true });
    if (!list) return;
    const open = new Set(list.map((i) => i.id));
    incidents.value = incidents.value.filter((i) => i.endedAt !== null || open.has(i.id));
    list.forEach(upsert);
  }

  async function loadForSite(siteId: string): Promise<void> {
    const list = await request({ siteId });
    // Merged, not replaced: the open incidents of other sites stay for the wall.
    list?.filter((i) => i.siteId === siteId).forEach(upsert);
  }

  return { incidents, available, loadError, sorted, openBySite, upsert, loadOpen, loadForSite };
});
