import type { IncidentDto } from '../../../core/events.js';
import { getJson, sendJson } from './http.js';

/** GET /api/incidents also answers the carrier assessment per incident (outage/carrier-response.ts). */
export interface ConsoleIncident extends IncidentDto {
  carrierResponse: { status: 'not-reported' | 'awaiting' | 'overdue' | 'responded'; limitSec: number; strictLimitSec: number };
}

export interface IncidentPage {
  incidents: ConsoleIncident[];
  total: number;
  offset: number;
  limit: number;
}

export interface FaultReportDto {
  incidentId: string;
  hotline: string | null;
  customer: string;
  callback: string | null;
  circuitId: string | null;
  siteName: string | null;
  division: string | null;
  startedAt: string;
  evidence: string[];
  text: string;
}

/** The fields of an alert (api/routes/alerts.ts alertDto) the console shows. */
export interface AlertSummary {
  id: string;
  rule: string;
  severity: string;
  status: string;
  firedAt: string | null;
  resolvedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  incidentIds: string[];
  siteIds: string[];
}

export interface SilenceSummary {
  id: string;
  state: string;
  match: Record<string, string[] | undefined>;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
}

export interface WindowProposalSummary {
  id: string;
  why: string;
  proposedBy: string;
  proposedAt: string;
  change: Record<string, unknown>;
}

export interface UserChangeSummary {
  id: string;
  proposedBy: string;
  proposedAt: string;
  change: { kind: string; userId: string; roles?: string[]; name?: string };
}

const enc = encodeURIComponent;
type One = { incident: ConsoleIncident };

export const fetchIncidentPage = (q: URLSearchParams) => getJson<IncidentPage>(`/api/incidents?${q}`);
export const fetchIncident = (id: string) => getJson<One>(`/api/incidents/${enc(id)}`).then((r) => r.incident);
export const fetchFaultReport = (id: string) => getJson<{ faultReport: FaultReportDto }>(`/api/incidents/${enc(id)}/fault-report`).then((r) => r.faultReport);
export const fetchPendingCorrections = () => getJson<IncidentPage>('/api/incidents?correction=pending&limit=200').then((r) => r.incidents);
export const fetchPeople = () => getJson<{ people: { id: string; name: string }[] }>('/api/people').then((r) => r.people);

export const reportToCarrier = (id: string, note: string | null) => sendJson<One>('POST', `/api/incidents/${enc(id)}/carrier-report`, note ? { note } : {});
export const recordCarrierResponse = (id: string, note: string | null) => sendJson<One>('POST', `/api/incidents/${enc(id)}/carrier-response`, note ? { note } : {});
export const proposeCorrection = (id: string, responsibility: string, reason: string) => sendJson<One>('POST', `/api/incidents/${enc(id)}/verdict`, { responsibility, reason });
export const approveCorrection = (id: string) => sendJson<One>('POST', `/api/incidents/${enc(id)}/verdict/approve`, {});
export const rejectCorrection = (id: string, reason: string) => sendJson<One>('POST', `/api/incidents/${enc(id)}/verdict/reject`, { reason });

/** Alerts since an instant; the caller keeps those of one incident. */
export const fetchAlertsSince = (from: number) =>
  getJson<{ alerts: AlertSummary[] }>(`/api/alerts?from=${enc(new Date(from).toISOString())}&limit=1000`).then((r) => r.alerts);
export const acknowledgeAlert = (id: string) => sendJson<{ alert: AlertSummary }>('POST', `/api/alerts/${enc(id)}/ack`, {});

export const fetchSilences = () => getJson<{ silences: SilenceSummary[] }>('/api/silences').then((r) => r.silences);
export const approveSilence = (id: string) => sendJson('POST', `/api/silences/${enc(id)}/approve`, {});
export const fetchWindowProposals = () => getJson<{ proposals: WindowProposalSummary[] }>('/api/maintenance/proposals').then((r) => r.proposals);
export const approveWindowProposal = (id: string) => sendJson('POST', `/api/maintenance/proposals/${enc(id)}/approve`, {});
export const fetchUserChanges = () => getJson<{ changes: UserChangeSummary[] }>('/api/user-changes').then((r) => r.changes);
export const approveUserChange = (id: string) => sendJson('POST', `/api/user-changes/${enc(id)}/approve`, {});
