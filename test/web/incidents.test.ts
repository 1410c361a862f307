import { describe, expect, it } from 'vitest';
import type { IncidentDto } from '../../core/events.js';
import { incidentSeconds, openIncidentBySite, sortIncidents } from '../../web/src/model/incident-order.js';

function incident(id: string, siteId: string | null, startedAt: string, endedAt: string | null): IncidentDto {
  return {
    id,
    siteId,
    circuitId: null,
    kind: 'outage',
    startedAt,
    endedAt,
    durationSec: 0,
    responsibility: 'line',
    verdict: 'provisional',
    rule: 'R1',
    evidence: [],
    flaps: 0,
    groupEventId: null,
    maintenanceWindowId: null,
    carrierReportedAt: null,
    carrierRespondedAt: null,
    corrections: [],
  };
}

const closedOld = incident('c1', 'A', '2026-03-01T00:00:00Z', '2026-03-01T01:00:00Z');
const closedNew = incident('c2', 'B', '2026-03-02T00:00:00Z', '2026-03-02T01:00:00Z');
const openOld = incident('o1', 'A', '2026-03-01T05:00:00Z', null);
const openNew = incident('o2', 'A', '2026-03-01T06:00:00Z', null);
const openFleet = incident('o3', null, '2026-03-01T07:00:00Z', null);

describe('sortIncidents', () => {
  it('puts open incidents first, newest first within each group', () => {
    expect(sortIncidents([closedOld, openOld, closedNew, openNew, openFleet]).map((i) => i.id)).toEqual(['o3', 'o2', 'o1', 'c2', 'c1']);
  });
});

describe('openIncidentBySite', () => {
  it('keeps the most recent open incident per site and skips fleet-wide and closed ones', () => {
    const map = openIncidentBySite([openNew, closedOld, openOld, openFleet, closedNew]);
    expect([...map.keys()]).toEqual(['A']);
    expect(map.get('A')?.id).toBe('o2');
  });
});

describe('incidentSeconds', () => {
  it.each([
    [closedOld, Date.parse('2026-03-05T00:00:00Z'), 3600],
    [openOld, Date.parse('2026-03-01T05:02:30Z'), 150],
    [openOld, Date.parse('2026-03-01T04:00:00Z'), 0],
  ] as const)('%#', (inc, now, want) => {
    expect(incidentSeconds(inc, now)).toBe(want);
  });
});
