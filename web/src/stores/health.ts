import { defineStore } from 'pinia';
import { ref } from 'vue';
import { opsApi, type OpsHealthDto } from '../api/ops-endpoints.js';
import { actionState } from './action-state.js';

/** How often the health page re-reads /api/health while it is open. */
export const HEALTH_REFRESH_MS = 5000;

/** demarc's own health, re-read every few seconds while someone watches it. */
export const useHealthStore = defineStore('health', () => {
  const health = ref<OpsHealthDto | null>(null);
  const readAt = ref<number | null>(null);
  const { busy, failure, read } = actionState();
  let timer: ReturnType<typeof setInterval> | null = null;
  let watchers = 0;

  async function load(): Promise<void> {
    const h = await read(() => opsApi.health());
    if (h) {
      health.value = h;
      readAt.value = Date.now();
    }
  }

  /** Starts the refresh for one more watcher; the returned function stops it for that watcher. */
  function watch(): () => void {
    watchers++;
    if (!timer) {
      void load();
      timer = setInterval(() => void load(), HEALTH_REFRESH_MS);
    }
    return () => {
      watchers--;
      if (watchers === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }

  return { health, readAt, busy, failure, load, watch };
});
