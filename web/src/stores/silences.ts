import { defineStore } from 'pinia';
import { ref } from 'vue';
import { opsApi, type SilenceDto, type SilenceMatch } from '../api/ops-endpoints.js';
import { actionState } from './action-state.js';

/** Alert silences: one person proposes, another approves (security annex 11); lifting is one person's. */
export const useSilencesStore = defineStore('silences', () => {
  const silences = ref<SilenceDto[]>([]);
  const loaded = ref(false);
  const { busy, failure, run, read } = actionState();

  async function load(): Promise<void> {
    const list = await read(() => opsApi.silences());
    if (list) {
      silences.value = list;
      loaded.value = true;
    }
  }

  async function propose(b: { match: SilenceMatch; startsAt?: string; endsAt: string; reason: string }): Promise<boolean> {
    const out = await run(() => opsApi.proposeSilence(b));
    if (out) await load();
    return out !== null;
  }

  async function approve(id: string): Promise<boolean> {
    const out = await run(() => opsApi.approveSilence(id));
    if (out) await load();
    return out !== null;
  }

  async function lift(id: string): Promise<boolean> {
    const out = await run(() => opsApi.liftSilence(id));
    if (out) await load();
    return out !== null;
  }

  return { silences, loaded, busy, failure, load, propose, approve, lift };
});
