import type { CircuitId, SiteId } from './inventory.js';
import type { TermParams } from './terms.js';

/**
 * Whose fault an outage is, per the lease contract:
 * - line: the carrier's side of the boundary (lines, carrier CPE, carrier network), clause 3.2.6
 * - device: the customer's equipment, power or configuration, clauses 3.1.10 and 7.5
 * - planned: carrier work announced in advance, clauses 7.6 and 7.7
 * - external: force majeure set by an operator, clause 12.1
 * - monitoring: demarc or the NOC could not see; not counted against anyone
 * - undetermined: the evidence does not decide it
 */
export const RESPONSIBILITIES = ['line', 'device', 'planned', 'external', 'monitoring', 'undetermined'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export type VerdictStatus = 'provisional' | 'final';

export type IncidentKind = 'outage' | 'monitoring-gap';

export interface Evidence {
  at: number;
  /** Machine-readable kind, e.g. 'ce-unreachable', 'uptime-continuous', 'trap:linkDown' (core/terms.ts EVIDENCE_KINDS). */
  kind: string;
  /** What was seen, as data; core/terms.ts renders it per language. */
  params?: TermParams;
  /** Entries recorded before evidence was structured: one English sentence, shown as recorded. */
  detail?: string;
}

/** A proposal to change a verdict; takes effect only when a second person approves it. */
export interface VerdictCorrection {
  responsibility: Responsibility;
  reason: string;
  proposedBy: string;
  proposedAt: number;
  approvedBy: string | null;
  approvedAt: number | null;
  /** Set when the approver turned it down instead; absent on corrections stored before rejects existed. */
  rejected?: { by: string; at: number; reason: string };
}

export interface Incident {
  id: string;
  /** null for fleet-wide incidents (NOC isolation). */
  siteId: SiteId | null;
  circuitId: CircuitId | null;
  kind: IncidentKind;
  startedAt: number;
  endedAt: number | null;
  responsibility: Responsibility;
  verdict: VerdictStatus;
  /** The decision-table rule that produced the verdict (see ARCHITECTURE.md). */
  rule: string;
  evidence: Evidence[];
  flaps: number;
  /** Mass outage of a carrier_group this incident belongs to. */
  groupEventId: string | null;
  maintenanceWindowId: string | null;
  carrierReportedAt: number | null;
  carrierRespondedAt: number | null;
  corrections: VerdictCorrection[];
}

export type MaintenanceScope = { kind: 'site'; siteId: SiteId } | { kind: 'carrier-group'; carrierGroup: string };

/** Carrier work announced in advance (clauses 7.6, 7.7). */
export interface MaintenanceWindow {
  id: string;
  scope: MaintenanceScope;
  startsAt: number;
  endsAt: number;
  /** The carrier's notice reference (letter, ticket number). */
  carrierNoticeRef: string;
  registeredAt: number;
  registeredBy: string;
}

/** What the outage stage tells the stages after it (storage, API, alerts). */
export type IncidentEvent = { type: 'opened' | 'updated' | 'closed'; incident: Incident };
