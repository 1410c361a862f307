import { defineStore } from 'pinia';
import { ref } from 'vue';
import { opsApi } from '../api/ops-endpoints.js';

/** Display names of demarc's users: the console shows people by name, never by login id. */
export const usePeopleStore = defineStore('people', () => {
  const names = ref<Record<string, string>>({});
  let loading: Promise<void> | null = null;

  function load(): Promise<void> {
    loading ??= opsApi
      .userNames()
      .then((users) => {
        names.value = Object.fromEntries(users.map((u) => [u.id, u.name]));
      })
      .catch(() => {
        // Names are a courtesy: without them the ids still say who acted. Try again next time.
        loading = null;
      });
    return loading;
  }

  /** The person's name, or the id itself for someone demarc does not know (an alert contact). */
  const name = (id: string | null | undefined): string => (id ? (names.value[id] ?? id) : '—');

  return { names, load, name };
});
