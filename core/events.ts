import type { ConfigGap } from './sample.js';
import type { Incident } from './incident.js';
import type { SiteCapacity, TileState } from './site-state.js';
import type { TermParams } from './terms.js';

/** What one collection cycle produced, as pushed to the web UI. */
export interface CycleReport {
  cycle: number;
  startedAt: number;
  finishedAt: number;
  sitesPolled: number;
  sitesReachable: number;
  overrun: boolean;
  /** The collector's interval: the wall calls its data stale after two of them. */
  intervalSec: number;
}

export interface CycleStats extends CycleReport {
  durationMs: number;
  timeouts: number;
  errors: number;
}

/** Wire form of an incident: ISO-8601 UTC instead of epoch ms. */
export interface IncidentDto extends Omit<Incident, 'startedAt' | 'endedAt' | 'carrierReportedAt' | 'carrierRespondedAt' | 'evidence' | 'corrections'> {
  startedAt: string;
  endedAt: string | null;
  durationSec: number;
  carrierReportedAt: string | null;
  carrierRespondedAt: string | null;
  /** Structured (kind + params, rendered per language with core/terms.ts); older entries carry an English `detail` instead. */
  evidence: { at: string; kind: string; params?: TermParams; detail?: string }[];
  corrections: {
    responsibility: Incident['responsibility'];
    reason: string;
    proposedBy: string;
    proposedAt: string;
    approvedBy: string | null;
    approvedAt: string | null;
    rejected?: { by: string; at: string; reason: string };
  }[];
}

/** Latest state of one site as the wall shows it. */
export interface SiteStateDto {
  siteId: string;
  /** What the tile says, decided on the server (outage/tile-state.ts); the web only shows it. */
  tile: TileState;
  /** The open incident behind the tile state, and since when (ISO-8601 UTC). */
  incidentId: string | null;
  since: string | null;
  at: string | null;
  ceReachable: boolean | null;
  wanOper: string | null;
  headendOper: string | null;
  inBps: number | null;
  outBps: number | null;
  inUtilPct: number | null;
  outUtilPct: number | null;
  rttMs: number | null;
  gap: string | null;
  /** Configured names the devices do not have (a configuration gap, not an outage); absent when none. */
  configGaps?: ConfigGap[];
  /** A capacity finding going on now (outage/live-capacity.ts), decided on the server; absent when none. */
  capacity?: SiteCapacityDto;
}

/** A capacity finding on the wire: `since` as ISO-8601 UTC. */
export type SiteCapacityDto = SiteCapacity extends infer C ? (C extends SiteCapacity ? Omit<C, 'since'> & { since: string } : never) : never;

/** One dated inventory change as the API and socket.io carry it (`GET /api/inventory/changes`). */
export interface InventoryChangeDto {
  id: number;
  at: string;
  deviceId: string;
  siteId: string | null;
  kind: string;
  subject: string;
  before: unknown;
  after: unknown;
  detail: string;
}

/** An inventory proposal (edit or import) proposed, applied or rejected; no row contents (they may hold contact data). */
export interface InventoryEditEventDto {
  id: number;
  state: 'proposed' | 'applied' | 'rejected';
  kind: 'edit' | 'import';
  by: string;
  added: number;
  changed: number;
  removed: number;
}

/** socket.io events, server → browser. The web's Pinia stores are the only listeners. */
export interface ServerToClientEvents {
  /** An inventory proposal changed state; on 'applied' the pipeline restarts on the new inventory. */
  'inventory:edit': (edit: InventoryEditEventDto) => void;
  /** Discovery saw a device change (replaced, upgraded, interfaces, the handoff port gone). */
  'inventory:change': (change: InventoryChangeDto) => void;
  'cycle': (payload: { report: CycleReport; sites: SiteStateDto[] }) => void;
  'incident:opened': (incident: IncidentDto) => void;
  'incident:updated': (incident: IncidentDto) => void;
  'incident:closed': (incident: IncidentDto) => void;
  /** Sites whose tile changed between cycles (an incident opened, closed or was corrected). */
  'sites:state': (sites: SiteStateDto[]) => void;
}

export interface ClientToServerEvents {
  /** Ask for the current state right away (after a reconnect) instead of waiting a cycle. */
  'sites:snapshot': (reply: (sites: SiteStateDto[]) => void) => void;
}

/** A site of the inventory as the API serves it: no SNMP credentials, no personal contact data. */
export interface SiteDto {
  id: string;
  name: string;
  nameEn: string | null;
  division: string;
  circuitId: string;
  bandwidthMbps: number;
  activationDate: string;
  carrierGroup: string;
  hasOob: boolean;
  hasCpe: boolean;
  location: { latitude: number; longitude: number } | null;
  state: SiteStateDto | null;
}

/** One point of a site's throughput series (`GET /api/sites/:id/metrics`); `at` is epoch ms. */
export interface SeriesPoint {
  at: number;
  inBps: number | null;
  outBps: number | null;
  inMaxBps: number | null;
  outMaxBps: number | null;
  inUtilPct: number | null;
  outUtilPct: number | null;
  /** Share of samples in the bucket where the CE answered (0..1). */
  reachableRatio: number | null;
  samples: number;
}

/** The metric store's health as `/api/health` reports it. */
export interface StoreHealth {
  backend: 'embedded' | 'influx';
  ok: boolean;
  /** Samples waiting to be written (queue + spill file). */
  backlog: number;
  lastError: string | null;
  lastWriteAt: number | null;
}
