import type { Site } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import { addEvidence, emptyFacts, iso, newIncident, noteSignal, type TrackedIncident } from './incident-facts.js';
import type { UptimeReading } from './uptime-continuity.js';

/** The CE stopped answering while its circuit kept carrying traffic: a monitoring gap, not downtime. */
export function hangGap(id: string, site: Site, since: number, s: CircuitSample, lastGood: UptimeReading | null): TrackedIncident {
  const t: TrackedIncident = { incident: newIncident(id, site.id, site.circuit.id, 'monitoring-gap', since), facts: emptyFacts(since, lastGood) };
  t.facts.gap = 'management-plane-hang';
  t.facts.phase = 'up';
  noteSignal(t.facts, 'ce-unreachable', since, { error: s.ce.error });
  noteSignal(t.facts, 'headend-up-moving', s.at, { inBps: s.headend.inBps, outBps: s.headend.outBps });
  return t;
}

/** The time demarc could not see, for a site whose outage ended unseen in it. */
export function demarcDownGap(id: string, of: TrackedIncident, from: number, until: number): TrackedIncident {
  const gap: TrackedIncident = { incident: newIncident(id, of.incident.siteId, of.incident.circuitId, 'monitoring-gap', from), facts: emptyFacts(from, null) };
  gap.facts.gap = 'demarc-down';
  gap.facts.phase = 'up';
  addEvidence(gap.facts, { at: from, kind: 'demarc-down', params: { from, until, incidentId: of.incident.id } });
  gap.incident.endedAt = until;
  return gap;
}

/** A trap naming another interface than the circuit's ports says nothing about the circuit. */
export function trapConcernsCircuit(e: TrapEvent, site: Site): boolean {
  // An interface named only by ifIndex cannot be told apart here: take it as the circuit's.
  if (e.ifName === null || /^(ifIndex )?\d+$/.test(e.ifName)) return true;
  return [site.ce.ifName, site.circuit.headend.ifName, site.cpe?.lineIfName, site.cpe?.customerIfName].includes(e.ifName);
}

export const trapParams = (e: TrapEvent) => ({ from: e.from, ifName: e.ifName, detail: e.detail || null });
