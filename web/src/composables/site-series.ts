import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { SeriesPoint } from '../../../core/events.js';
import { fetchMetrics } from '../api/endpoints.js';
import { errorText } from '../api/http.js';
import { chartWindow, type ChartRange, type ChartWindow } from '../model/site-chart.js';

/** Ranges up to a day move with the clock; longer ones are re-read less often. */
const REFRESH_MS: Readonly<Record<ChartRange, number>> = { '1h': 15_000, '24h': 60_000, '7d': 300_000, '30d': 600_000, term: 600_000 };

/**
 * One site's series for the chosen range: the window and step from model/site-chart.ts, the
 * points from the API (raw samples for short ranges, so a fresh demo draws at once), re-read
 * on a timer. An answer that arrives after the range changed is dropped.
 */
export function useSiteSeries(siteId: Ref<string>, range: Ref<ChartRange>, term: Ref<{ from: number; to: number } | null>) {
  const points = ref<SeriesPoint[]>([]);
  const win = ref<ChartWindow | null>(null);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  let inflight: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function load(): Promise<void> {
    if (timer) clearTimeout(timer);
    inflight?.abort();
    const ctl = new AbortController();
    inflight = ctl;
    const w = chartWindow(range.value, Date.now(), term.value);
    try {
      const pts = w ? await fetchMetrics(siteId.value, w.from, w.fetchTo, w.stepSec ?? undefined, ctl.signal) : [];
      if (ctl.signal.aborted) return;
      points.value = pts;
      win.value = w;
      error.value = null;
    } catch (e) {
      if (!ctl.signal.aborted) error.value = errorText(e);
    } finally {
      if (!ctl.signal.aborted) {
        loaded.value = true;
        timer = setTimeout(() => void load(), REFRESH_MS[range.value]);
      }
    }
  }

  watch([siteId, range, term], () => void load(), { immediate: true });
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    inflight?.abort();
  });
  return { points, win, loaded, error, reload: load };
}
