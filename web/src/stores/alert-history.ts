import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { opsApi, type AlertDto, type DeliveryDto } from '../api/ops-endpoints.js';
import { actionState } from './action-state.js';

export interface AlertFilters {
  rule: string;
  status: string;
  site: string;
  acked: '' | 'true' | 'false';
  /** Days back from now (the API allows up to 400). */
  days: number;
}

export const ALERT_PAGE_SIZE = 25;

/** Alert history with filters and paging, the dead letters, and the operator's ack and retry. */
export const useAlertHistoryStore = defineStore('alertHistory', () => {
  const filters = reactive<AlertFilters>({ rule: '', status: '', site: '', acked: '', days: 7 });
  const page = ref(0);
  const total = ref(0);
  const alerts = ref<AlertDto[]>([]);
  const deadLetters = ref<DeliveryDto[]>([]);
  const loaded = ref(false);
  const { busy, failure, run, read } = actionState();

  /** Answers can come back out of order: only the newest request's answer is shown. */
  let latest = 0;

  async function load(): Promise<void> {
    const mine = ++latest;
    const from = new Date(Date.now() - filters.days * 86_400_000).toISOString();
    await read(async () => {
      const [p, dead] = await Promise.all([
        opsApi.alerts({
          from,
          ...(filters.rule ? { rule: filters.rule } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.site.trim() ? { site: filters.site.trim() } : {}),
          ...(filters.acked ? { acked: filters.acked } : {}),
          limit: ALERT_PAGE_SIZE,
          offset: page.value * ALERT_PAGE_SIZE,
        }),
        opsApi.deadLetters(),
      ]);
      if (mine !== latest) return;
      alerts.value = p.alerts;
      total.value = p.total;
      deadLetters.value = dead;
      loaded.value = true;
    });
  }

  /** New filters start again at the first page. */
  function applyFilters(): Promise<void> {
    page.value = 0;
    return load();
  }

  function goTo(n: number): Promise<void> {
    page.value = Math.max(0, Math.min(n, Math.ceil(total.value / ALERT_PAGE_SIZE) - 1));
    return load();
  }

  async function ack(id: string): Promise<boolean> {
    const out = await run(() => opsApi.ackAlert(id));
    if (out) await load();
    return out !== null;
  }

  async function retry(deliveryId: string): Promise<boolean> {
    const out = await run(() => opsApi.retryDeadLetter(deliveryId));
    if (out) await load();
    return out !== null;
  }

  return { filters, page, total, alerts, deadLetters, loaded, busy, failure, load, applyFilters, goTo, ack, retry };
});
