import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { fetchIncidentPage, type ConsoleIncident } from '../api/console-incidents.js';
import { errorText } from '../api/http.js';
import { useIncidentsStore } from './incidents.js';
import { EMPTY_FILTER, incidentQuery, type IncidentFilter } from '../model/incident-filter.js';

/** One page of the incident list, as the server filtered and paged it. */
export const useIncidentListStore = defineStore('incident-list', () => {
  const filter = ref<IncidentFilter>({ ...EMPTY_FILTER });
  const rows = ref<ConsoleIncident[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const page = await fetchIncidentPage(incidentQuery(filter.value));
      // A slower answer to an older filter must not overwrite a newer one.
      if (mine !== seq) return;
      rows.value = page.incidents;
      total.value = page.total;
      error.value = null;
    } catch (e) {
      if (mine === seq) error.value = errorText(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** Live changes (socket, via the incidents store) laid over the page's rows; the server's paging stays. */
  const shown = computed(() => {
    const live = new Map(useIncidentsStore().incidents.map((i) => [i.id, i]));
    return rows.value.map((r) => {
      const l = live.get(r.id);
      return l ? { ...r, ...l } : r;
    });
  });

  function setFilter(patch: Partial<IncidentFilter>): Promise<void> {
    filter.value = { ...filter.value, page: 0, ...patch };
    return load();
  }

  return { filter, rows, shown, total, loading, error, load, setFilter };
});
