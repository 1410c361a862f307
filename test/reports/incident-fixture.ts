import { DEFAULT_TERMS } from '../../inventory/circuit-register.js';
import type { Incident } from '../../core/incident.js';
import { outageConfig } from '../../outage/config-schema.js';
import { emptyFacts, type IncidentFacts } from '../../outage/incident-facts.js';
import type { IncidentRepository } from '../../outage/incident-repository.js';
import type { ReportSettings } from '../../reports/build-report.js';
import { reportsConfig } from '../../reports/config-schema.js';

/** The attribution rule and the evidence kinds that typically decide each responsibility (outage/attribution.ts). */
const TYPICAL: Record<Incident['responsibility'], { rule: string; kinds: string[] }> = {
  line: { rule: 'line-cut', kinds: ['ce-unreachable', 'headend-down', 'ce-returned', 'uptime-continuous'] },
  device: { rule: 'ce-rebooted', kinds: ['ce-unreachable', 'headend-up-moving', 'ce-rebooted'] },
  planned: { rule: 'planned-maintenance', kinds: ['ce-unreachable', 'maintenance-window'] },
  external: { rule: 'operator-correction', kinds: ['ce-unreachable', 'correction-approved'] },
  monitoring: { rule: 'noc-isolation', kinds: ['noc-isolation'] },
  undetermined: { rule: 'unplaced-break', kinds: ['ce-unreachable'] },
};

/** An incident with the defaults of a closed, final outage; the test names what matters. */
export function incident(over: Partial<Incident> & Pick<Incident, 'id' | 'startedAt' | 'endedAt' | 'responsibility'> & { siteId: string | null }): Incident {
  return {
    circuitId: over.siteId === null ? null : `C-${over.siteId}`,
    kind: 'outage',
    verdict: 'final',
    rule: TYPICAL[over.responsibility].rule,
    evidence: TYPICAL[over.responsibility].kinds.map((kind, k) => ({ at: over.startedAt + k * 60_000, kind, detail: kind })),
    flaps: 0,
    groupEventId: null,
    maintenanceWindowId: null,
    carrierReportedAt: null,
    carrierRespondedAt: null,
    corrections: [],
    ...over,
  };
}

/**
 * Stores incidents the way the outage stage does: through its repository, into the state db.
 * `facts` gives an incident the tracker's facts (signals seen), for an incident the outage
 * stage will re-decide (a verdict correction re-runs its decision table).
 */
export function saveIncidents(repo: IncidentRepository, list: readonly Incident[], at: number, facts: Record<string, Partial<IncidentFacts>> = {}): void {
  repo.save(
    list.map((i) => ({
      incident: i,
      facts: { ...emptyFacts(i.startedAt, null), evidence: i.evidence, phase: i.endedAt === null ? ('down' as const) : ('up' as const), lastSeenAt: i.endedAt ?? at, ...facts[i.id] },
    })),
    at,
  );
}

/** What the tracker notes for a line cut (rule line-cut): head-end down, CE back with continuous uptime. */
export const lineCutSeen = (start: number, end: number): Partial<IncidentFacts> => ({
  seen: { 'ce-unreachable': start, 'headend-down': start, 'ce-returned': end, 'uptime-continuous': end, 'wan-change-inside': end },
});

/** The report settings of a default demarc.yaml (outage defaults for limits and capacity). */
export function defaultReportSettings(fleetLabel = '全网'): ReportSettings {
  const outage = outageConfig();
  const reports = reportsConfig();
  return {
    limits: outage.carrierResponse, utilizationThresholdPct: 80, contractTermMonths: 12, worstCount: 10, capacity: outage.capacity, fleetLabel,
    coverageThresholdPct: reports.coverageThresholdPct, targets: reports.targets, contractTerms: DEFAULT_TERMS,
  };
}
