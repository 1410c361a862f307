import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { InventoryChangeDto } from '../../../core/events.js';
import * as api from '../api/inventory.js';
import { ApiRefusal, errorText } from '../api/http.js';

/**
 * The inventory as the console shows it: devices, changes, configuration gaps, the circuit
 * register, and the two-person edits (import preview, proposals, approve/reject). The only
 * place the inventory pages reach the API.
 */
export const useInventoryStore = defineStore('inventory', () => {
  const devices = ref<api.DeviceSummaryDto[]>([]);
  const device = ref<api.DeviceDto | null>(null);
  const changes = ref<InventoryChangeDto[]>([]);
  const gaps = ref<api.ConfigGapsDto | null>(null);
  const register = ref<{ asOf: string; circuits: api.RegisterEntryDto[] } | null>(null);
  const proposals = ref<api.ProposalDto[]>([]);
  const preview = ref<api.RowDiffDto | null>(null);
  /** The problems of the last refused import or edit (row, site, field, reason). */
  const problems = ref<api.ProblemDto[]>([]);
  const error = ref<string | null>(null);

  async function run<T>(fn: () => Promise<T>): Promise<T | null> {
    error.value = null;
    problems.value = [];
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiRefusal) problems.value = e.details as api.ProblemDto[];
      error.value = errorText(e);
      return null;
    }
  }

  const loadDevices = () => run(async () => (devices.value = await api.fetchDevices()));
  const loadDevice = (id: string) => run(async () => (device.value = await api.fetchDevice(id)));
  const loadChanges = () => run(async () => (changes.value = await api.fetchChanges()));
  const loadGaps = () => run(async () => (gaps.value = await api.fetchConfigGaps()));
  const loadRegister = () => run(async () => (register.value = await api.fetchRegister()));
  const loadProposals = () => run(async () => (proposals.value = await api.fetchProposals()));

  async function previewFile(file: File): Promise<void> {
    preview.value = null;
    const r = await run(() => api.previewImport(file));
    if (r) preview.value = r.diff;
  }
  async function proposeFile(file: File, reason: string): Promise<api.ProposalDto | null> {
    const r = await run(() => api.proposeImport(file, reason));
    if (r) await loadProposals();
    return r?.proposal ?? null;
  }
  async function propose(edits: api.SiteEditDto[], reason: string): Promise<api.ProposalDto | null> {
    const r = await run(() => api.proposeEdits(edits, reason));
    if (r) await loadProposals();
    return r?.proposal ?? null;
  }
  async function approve(id: number): Promise<boolean> {
    const r = await run(() => api.approveProposal(id));
    if (r) proposals.value = proposals.value.map((p) => (p.id === id ? r.proposal : p));
    return r !== null;
  }
  async function reject(id: number, note: string): Promise<boolean> {
    const r = await run(() => api.rejectProposal(id, note));
    if (r) proposals.value = proposals.value.map((p) => (p.id === id ? r.proposal : p));
    return r !== null;
  }

  return { devices, device, changes, gaps, register, proposals, preview, problems, error, loadDevices, loadDevice, loadChanges, loadGaps, loadRegister, loadProposals, previewFile, proposeFile, propose, approve, reject };
});
