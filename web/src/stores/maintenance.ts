import { defineStore } from 'pinia';
import { ref } from 'vue';
import { opsApi, type NewWindowBody, type WindowCoverageDto, type WindowDto, type WindowProposalDto } from '../api/ops-endpoints.js';
import { actionState } from './action-state.js';

const DAY_MS = 86_400_000;

/** Maintenance windows over the timeline's range, the proposals waiting for a second person, and what each window covers. */
export const useMaintenanceStore = defineStore('maintenance', () => {
  const windows = ref<WindowDto[]>([]);
  const proposals = ref<WindowProposalDto[]>([]);
  const coverage = ref<Record<string, WindowCoverageDto>>({});
  /** The past and the next 7 days around when the page was opened. */
  const range = ref({ from: 0, to: 0 });
  const loaded = ref(false);
  const { busy, failure, run, read } = actionState();
  /** The last create: applied at once, or held as a proposal (and why). */
  const lastCreate = ref<{ applied: true; window: WindowDto } | { applied: false; proposal: WindowProposalDto } | null>(null);

  /** Answers can come back out of order (each incident event reloads): only the newest is shown. */
  let latest = 0;

  async function load(now: number = Date.now()): Promise<void> {
    const mine = ++latest;
    range.value = { from: now - 7 * DAY_MS, to: now + 7 * DAY_MS };
    await read(async () => {
      const [w, p] = await Promise.all([
        opsApi.windows(new Date(range.value.from).toISOString(), new Date(range.value.to).toISOString()),
        opsApi.windowProposals(),
      ]);
      if (mine !== latest) return;
      windows.value = w;
      proposals.value = p;
      loaded.value = true;
    });
  }

  async function loadCoverage(id: string): Promise<void> {
    const c = await read(() => opsApi.windowCoverage(id));
    if (c) coverage.value = { ...coverage.value, [id]: c };
  }

  async function create(body: NewWindowBody): Promise<boolean> {
    const out = await run(() => opsApi.createWindow(body));
    if (!out) return false;
    lastCreate.value = 'window' in out ? { applied: true, window: out.window } : { applied: false, proposal: out.proposal };
    await load();
    return true;
  }

  async function approve(proposalId: string): Promise<boolean> {
    const out = await run(() => opsApi.approveWindowProposal(proposalId));
    if (out) await load();
    return out !== null;
  }

  async function withdraw(windowId: string, reason: string): Promise<boolean> {
    const out = await run(() => opsApi.deleteWindow(windowId, reason));
    if (out) await load();
    return out !== null;
  }

  return { windows, proposals, coverage, range, loaded, busy, failure, lastCreate, load, loadCoverage, create, approve, withdraw };
});
