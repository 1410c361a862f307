import type { IncidentDto } from '../core/events.js';
import type { Incident, MaintenanceWindow } from '../core/incident.js';

const isoOrNull = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** Wire form: ISO-8601 UTC instants, and the duration so far for an open incident. */
export function toIncidentDto(i: Incident, now: number): IncidentDto {
  return {
    ...i,
    startedAt: new Date(i.startedAt).toISOString(),
    endedAt: isoOrNull(i.endedAt),
    durationSec: Math.max(0, Math.round(((i.endedAt ?? now) - i.startedAt) / 1000)),
    carrierReportedAt: isoOrNull(i.carrierReportedAt),
    carrierRespondedAt: isoOrNull(i.carrierRespondedAt),
    evidence: i.evidence.map((e) => ({ at: new Date(e.at).toISOString(), kind: e.kind, ...(e.params ? { params: e.params } : {}), ...(e.detail !== undefined ? { detail: e.detail } : {}) })),
    corrections: i.corrections.map((c) => ({
      responsibility: c.responsibility,
      reason: c.reason,
      proposedBy: c.proposedBy,
      proposedAt: new Date(c.proposedAt).toISOString(),
      approvedBy: c.approvedBy,
      approvedAt: isoOrNull(c.approvedAt),
      ...(c.rejected ? { rejected: { ...c.rejected, at: new Date(c.rejected.at).toISOString() } } : {}),
    })),
  };
}

export interface MaintenanceWindowDto {
  id: string;
  siteId: string | null;
  carrierGroup: string | null;
  startsAt: string;
  endsAt: string;
  carrierNoticeRef: string;
  registeredAt: string;
  registeredBy: string;
}

export function toMaintenanceWindowDto(w: MaintenanceWindow): MaintenanceWindowDto {
  return {
    id: w.id,
    siteId: w.scope.kind === 'site' ? w.scope.siteId : null,
    carrierGroup: w.scope.kind === 'carrier-group' ? w.scope.carrierGroup : null,
    startsAt: new Date(w.startsAt).toISOString(),
    endsAt: new Date(w.endsAt).toISOString(),
    carrierNoticeRef: w.carrierNoticeRef,
    registeredAt: new Date(w.registeredAt).toISOString(),
    registeredBy: w.registeredBy,
  };
}
