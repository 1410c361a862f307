import { ref } from 'vue';
import { ApiError, errorText } from '../api/http.js';

/** What a failed console action shows: the HTTP status (worded by the page) and the server's own detail. */
export interface ActionFailure {
  status: number | null;
  detail: string;
}

/**
 * Busy and failure state of a store's commands, so a page can disable its buttons while one
 * runs and show why the server refused one (a 400 names the field, a 403 the rule).
 */
export function actionState() {
  const busy = ref(false);
  const failure = ref<ActionFailure | null>(null);
  async function run<T>(command: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    failure.value = null;
    try {
      return await command();
    } catch (e) {
      failure.value = { status: e instanceof ApiError ? e.status : null, detail: errorText(e) };
      return null;
    } finally {
      busy.value = false;
    }
  }
  /** A read: its failure shows, but it neither clears an action's failure nor disables the buttons. */
  async function read<T>(query: () => Promise<T>): Promise<T | null> {
    try {
      return await query();
    } catch (e) {
      failure.value = { status: e instanceof ApiError ? e.status : null, detail: errorText(e) };
      return null;
    }
  }
  return { busy, failure, run, read };
}
