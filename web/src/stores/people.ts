import { defineStore } from 'pinia';
import { ref } from 'vue';
import { fetchPeople } from '../api/console-incidents.js';
import { displayName, type People } from '../model/people.js';

/** Display names of demarc's users, loaded once per page: the console never shows an id. */
export const usePeopleStore = defineStore('people', () => {
  const people = ref<People>(new Map());
  let loading: Promise<void> | null = null;

  function load(): Promise<void> {
    // A display session may not list people; names then fall back to the recorded ids.
    loading ??= fetchPeople()
      .then((list) => void (people.value = new Map(list.map((p) => [p.id, p.name]))))
      .catch(() => void (loading = null));
    return loading;
  }

  const name = (id: string | null | undefined) => displayName(id, people.value);
  return { people, load, name };
});
