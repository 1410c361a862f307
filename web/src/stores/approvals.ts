import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as api from '../api/console-incidents.js';
import { errorText } from '../api/http.js';
import { mayDo } from '../model/console-permissions.js';

/**
 * Everything waiting for a second person that this user may see: verdict corrections, silences,
 * maintenance-window proposals, and (for admins) user changes.
 */
export const useApprovalsStore = defineStore('approvals', () => {
  const corrections = ref<api.ConsoleIncident[]>([]);
  const silences = ref<api.SilenceSummary[]>([]);
  const windows = ref<api.WindowProposalSummary[]>([]);
  const userChanges = ref<api.UserChangeSummary[]>([]);
  const error = ref<string | null>(null);
  const loaded = ref(false);
  const busy = ref(false);

  async function load(roles: readonly string[]): Promise<void> {
    try {
      const [c, s, w, u] = await Promise.all([
        api.fetchPendingCorrections(),
        api.fetchSilences(),
        api.fetchWindowProposals(),
        mayDo('approve-user-change', roles) ? api.fetchUserChanges() : Promise.resolve([]),
      ]);
      corrections.value = c;
      silences.value = s.filter((x) => x.state === 'proposed');
      windows.value = w;
      userChanges.value = u;
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    } finally {
      loaded.value = true;
    }
  }

  async function decide(run: () => Promise<unknown>, roles: readonly string[]): Promise<boolean> {
    busy.value = true;
    try {
      await run();
      await load(roles);
      return true;
    } catch (e) {
      error.value = errorText(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    corrections, silences, windows, userChanges, error, loaded, busy, load,
    approveCorrection: (id: string, roles: readonly string[]) => decide(() => api.approveCorrection(id), roles),
    rejectCorrection: (id: string, reason: string, roles: readonly string[]) => decide(() => api.rejectCorrection(id, reason), roles),
    approveSilence: (id: string, roles: readonly string[]) => decide(() => api.approveSilence(id), roles),
    approveWindow: (id: string, roles: readonly string[]) => decide(() => api.approveWindowProposal(id), roles),
    approveUserChange: (id: string, roles: readonly string[]) => decide(() => api.approveUserChange(id), roles),
  };
});
