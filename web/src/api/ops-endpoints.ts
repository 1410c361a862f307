import type { CycleStats, IncidentDto, StoreHealth } from '../../../core/events.js';
import type { MaintenanceWindowDto } from '../../../outage/incident-dto.js';
import type { HealthIssue } from '../../../core/health-terms.js';
import { getJson, sendJson } from './http.js';
import type { ArchivedReport } from '../../../reports/archived-report.js';

/**
 * The console's operations side on the wire: maintenance windows, silences, alerts, reports,
 * health. Times are ISO-8601 UTC strings (except inside a window proposal's change, which is
 * the stage's own record and carries epoch ms). Only the Pinia stores call these.
 */

/** A window as the API lists it: the outage stage's wire form plus the incidents it covers. */
export type WindowDto = MaintenanceWindowDto & { coveredIncidentIds: string[] };

export type WindowScope = { kind: 'site'; siteId: string } | { kind: 'carrier-group'; carrierGroup: string };
export type WindowChange =
  | { kind: 'create'; window: { scope: WindowScope; startsAt: number; endsAt: number; carrierNoticeRef: string } }
  | { kind: 'delete'; windowId: string; reason: string };

export interface WindowProposalDto {
  id: string;
  change: WindowChange;
  why: string;
  proposedBy: string;
  proposedAt: string;
  state: 'proposed' | 'approved';
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface WindowCoverageDto {
  window: Omit<WindowDto, 'coveredIncidentIds'> & { deletedAt: string | null };
  covered: IncidentDto[];
  overlapping: { reason: string; incident: IncidentDto }[];
}

export interface NewWindowBody {
  siteId?: string;
  carrierGroup?: string;
  startsAt: string;
  endsAt: string;
  carrierNoticeRef: string;
}

export type CreateWindowAnswer = { window: WindowDto } | { proposal: WindowProposalDto; needsApproval: string };

export interface SilenceMatch {
  siteIds?: string[];
  carrierGroups?: string[];
  divisions?: string[];
  rules?: string[];
}

export interface SilenceDto {
  id: string;
  state: 'proposed' | 'scheduled' | 'active' | 'expired' | 'lifted';
  match: SilenceMatch;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  liftedBy: string | null;
  liftedAt: string | null;
}

export interface DeliveryDto {
  id: string;
  alertId: string;
  kind: string;
  channelId: string;
  contactIds: string[];
  status: 'queued' | 'sent' | 'dead';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deadAt: string | null;
  rule: string;
}

export interface AlertDto {
  id: string;
  rule: string;
  severity: string;
  status: string;
  createdAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  siteIds: string[];
  incidentIds: string[];
  carrierGroup: string | null;
  deliveries: DeliveryDto[];
}

export interface AlertQuery {
  from?: string;
  to?: string;
  rule?: string;
  status?: string;
  site?: string;
  acked?: 'true' | 'false';
  limit: number;
  offset: number;
}

export interface AlertPage {
  total: number;
  offset: number;
  limit: number;
  alerts: AlertDto[];
}

export type ArchivedReportDto = ArchivedReport;

export interface OpsHealthDto {
  status: 'ok' | 'degraded';
  problems: string[];
  /** The same findings as codes with parameters, one per problem (core/health-terms.ts). */
  issues: HealthIssue[];
  collector: {
    lastCycle: CycleStats | null;
    overruns: number;
    intervalSec: number;
    snmp: { requests: number; failures: Record<string, number>; undecodable: number; sessions: number };
    traps: { listening: boolean; error: string | null; received: number; mapped: number; unknownSender: number; rejected: number; ignored: number } | null;
  };
  store: StoreHealth;
  configGaps: unknown[];
  audit?: { state: 'unchecked' } | { state: 'ok'; checkedAt: number; rows: number } | { state: 'broken'; checkedAt: number; brokenAt: number; reason: string };
  deliveries?: { queued: number; dead: number; sentLastDay: number; deadLastDay: number; oldestQueuedAt: string | null };
}

const enc = encodeURIComponent;
const query = (q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
};

export const opsApi = {
  windows: (from: string, to: string) => getJson<{ windows: WindowDto[] }>(`/api/maintenance?${query({ from, to })}`).then((r) => r.windows),
  windowProposals: () => getJson<{ proposals: WindowProposalDto[] }>('/api/maintenance/proposals').then((r) => r.proposals),
  windowCoverage: (id: string) => getJson<WindowCoverageDto>(`/api/maintenance/${enc(id)}/incidents`),
  createWindow: (b: NewWindowBody) => sendJson<CreateWindowAnswer>('POST', '/api/maintenance', b),
  approveWindowProposal: (id: string) => sendJson<{ window: WindowDto }>('POST', `/api/maintenance/proposals/${enc(id)}/approve`),
  deleteWindow: (id: string, reason: string) => sendJson<unknown>('DELETE', `/api/maintenance/${enc(id)}`, { reason }),

  silences: () => getJson<{ silences: SilenceDto[] }>('/api/silences').then((r) => r.silences),
  proposeSilence: (b: { match: SilenceMatch; startsAt?: string; endsAt: string; reason: string }) => sendJson<{ silence: SilenceDto }>('POST', '/api/silences', b),
  approveSilence: (id: string) => sendJson<{ silence: SilenceDto }>('POST', `/api/silences/${enc(id)}/approve`),
  liftSilence: (id: string) => sendJson<{ silence: SilenceDto }>('DELETE', `/api/silences/${enc(id)}`),

  alerts: (q: AlertQuery) => getJson<AlertPage>(`/api/alerts?${query({ ...q })}`),
  deadLetters: () => getJson<{ deadLetters: DeliveryDto[] }>('/api/alerts/dead-letters').then((r) => r.deadLetters),
  retryDeadLetter: (id: string) => sendJson<{ requeued: string }>('POST', `/api/alerts/dead-letters/${enc(id)}/retry`),
  ackAlert: (id: string) => sendJson<{ alert: AlertDto }>('POST', `/api/alerts/${enc(id)}/ack`),

  reportArchive: () => getJson<{ reports: ArchivedReportDto[] }>('/api/reports/archive').then((r) => r.reports),
  issueReport: (month: string, lang: 'zh' | 'en') => sendJson<{ reports: ArchivedReportDto[] }>('POST', '/api/reports/archive', { month, lang }),
  archivedFileUrl: (id: number) => `/api/reports/archive/${id}/file`,
  monthlyUrl: (month: string, format: string, lang: 'zh' | 'en') => `/api/reports/monthly?${query({ month, format, lang })}`,
  rangeUrl: (from: string, to: string, format: string, lang: 'zh' | 'en') => `/api/reports/range?${query({ from, to, format, lang })}`,

  health: () => getJson<OpsHealthDto>('/api/health'),
  userNames: () => getJson<{ people: { id: string; name: string }[] }>('/api/people').then((r) => r.people),
};
