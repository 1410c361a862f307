import type { ConfigGapSide } from '../../../core/health-terms.js';
import type { InventoryChangeDto } from '../../../core/events.js';
import { getJson, sendBody, sendJson } from './http.js';

/** Wire shapes of the inventory routes (api/routes/inventory*.ts). */
export interface DeviceSummaryDto {
  id: string;
  role: string | null;
  siteId: string | null;
  endpoint: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  software: string | null;
  sysName: string | null;
  lastDiscoveryAt: string | null;
  gaps: string[];
}
export interface DeviceDto extends DeviceSummaryDto {
  system: Record<string, unknown> | null;
  entities: Record<string, unknown>[];
  interfaces: Record<string, unknown>[];
  history: InventoryChangeDto[];
}
export interface RegisterEntryDto {
  circuitId: string;
  siteId: string;
  status: 'ordered' | 'active' | 'notice-given' | 'ended';
  orderDate: string | null;
  requiredActivationDate: string | null;
  activationDate: string | null;
  serviceEndDate: string | null;
  renewal: { termEnd: string; daysToTermEnd: number; noticeDeadline: string; daysToDeadline: number; decision: 'renews-unless-notice' | 'renews' | 'ends'; warning: number | null } | null;
  late: { requiredDate: string; workingDaysLate: number; creditFen: number | null; capped: boolean; customerMayTerminate: boolean } | null;
}
export type SiteRowDto = Record<string, string>;
export interface RowDiffDto {
  added: SiteRowDto[];
  changed: { siteId: string; fields: { column: string; before: string; after: string }[] }[];
  removed: SiteRowDto[];
}
export interface ProposalDto {
  id: number;
  kind: 'edit' | 'import';
  source: string | null;
  reason: string;
  diff: RowDiffDto;
  state: 'proposed' | 'applied' | 'rejected';
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  counts: { added: number; changed: number; removed: number };
}
export interface ProblemDto {
  row: number | null;
  siteId: string | null;
  field: string;
  reason: string;
}
export interface ConfigGapsDto {
  configGaps: { siteId: string; side: ConfigGapSide; device: string; ifName: string; since: string; detail: string }[];
  discoveryGaps: { deviceId: string; siteId: string | null; gaps: string[]; attemptedAt: string }[];
}
export type SiteEditDto = { op: 'add'; row: SiteRowDto } | { op: 'change'; siteId: string; fields: SiteRowDto } | { op: 'remove'; siteId: string };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const enc = encodeURIComponent;

export const fetchDevices = () => getJson<{ devices: DeviceSummaryDto[] }>('/api/inventory/devices').then((r) => r.devices);
export const fetchDevice = (id: string) => getJson<{ device: DeviceDto }>(`/api/inventory/devices/${enc(id)}`).then((r) => r.device);
export const fetchChanges = () => getJson<{ changes: InventoryChangeDto[] }>('/api/inventory/changes').then((r) => r.changes);
export const fetchRegister = () => getJson<{ asOf: string; circuits: RegisterEntryDto[] }>('/api/inventory/circuits');
export const fetchConfigGaps = () => getJson<ConfigGapsDto>('/api/inventory/config-gaps');
export const fetchProposals = () => getJson<{ proposals: ProposalDto[] }>('/api/inventory/proposals').then((r) => r.proposals);

function importQuery(file: File, extra: Record<string, string>): { path: string; type: string } {
  const xlsx = /\.xlsx$/i.test(file.name);
  const q = new URLSearchParams({ format: xlsx ? 'xlsx' : 'csv', name: file.name, ...extra });
  return { path: `/api/inventory/import?${q}`, type: xlsx ? XLSX : 'text/csv' };
}
export function previewImport(file: File): Promise<{ diff: RowDiffDto }> {
  const { path, type } = importQuery(file, { dryRun: 'true' });
  return sendBody(path, file, type);
}
export function proposeImport(file: File, reason: string): Promise<{ proposal: ProposalDto }> {
  const { path, type } = importQuery(file, { reason });
  return sendBody(path, file, type);
}
export const proposeEdits = (edits: SiteEditDto[], reason: string) => sendJson<{ proposal: ProposalDto }>('POST', '/api/inventory/proposals', { reason, edits });
export const approveProposal = (id: number) => sendJson<{ proposal: ProposalDto }>('POST', `/api/inventory/proposals/${id}/approve`, {});
export const rejectProposal = (id: number, note: string) => sendJson<{ proposal: ProposalDto }>('POST', `/api/inventory/proposals/${id}/reject`, { note });
