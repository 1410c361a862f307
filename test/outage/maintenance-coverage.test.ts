import { describe, expect, it } from 'vitest';
import type { Incident, MaintenanceWindow } from '../../core/incident.js';
import { coverageSpan, windowCoverage } from '../../outage/maintenance-coverage.js';
import { newIncident } from '../../outage/incident-facts.js';
import { makeSite } from './sample-factory.js';

const M = 60_000;
const T = Date.UTC(2026, 2, 2, 1, 0, 0);
const sites = new Map([makeSite('A', { group: 'G1' }), makeSite('B', { group: 'G1' }), makeSite('C', { group: 'G2' })].map((s) => [s.id, s]));
const lookup = (id: string) => sites.get(id);

/** A window over [T, T+60 min), registered 10 min ahead unless told otherwise. */
const win = (o: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 'MW-1',
  scope: { kind: 'site', siteId: 'A' },
  startsAt: T,
  endsAt: T + 60 * M,
  carrierNoticeRef: '割接通知 2026-017',
  registeredAt: T - 10 * M,
  registeredBy: 'noc.zhang',
  ...o,
});
const inc = (id: string, siteId: string | null, startMin: number, endMin: number | null, o: Partial<Incident> = {}): Incident => ({
  ...newIncident(id, siteId, siteId ? `C-${siteId}` : null, 'outage', T + startMin * M),
  endedAt: endMin === null ? null : T + endMin * M,
  ...o,
});

describe('windowCoverage', () => {
  const cases: { name: string; w: MaintenanceWindow; incidents: Incident[]; covered: string[]; overlapping: [string, string][] }[] = [
    { name: 'no incidents', w: win(), incidents: [], covered: [], overlapping: [] },
    {
      name: 'the incident the stage made planned is covered',
      w: win(),
      incidents: [inc('I1', 'A', 5, 20, { responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' })],
      covered: ['I1'],
      overlapping: [],
    },
    {
      name: 'an outage of another site is none of its business',
      w: win(),
      incidents: [inc('I2', 'B', 5, 20, { responsibility: 'line' })],
      covered: [],
      overlapping: [],
    },
    {
      name: 'a group window sees every site of the group, not the others',
      w: win({ scope: { kind: 'carrier-group', carrierGroup: 'G1' }, registeredAt: T + 30 * M }),
      incidents: [inc('IA', 'A', 5, 20), inc('IB', 'B', 10, null), inc('IC', 'C', 5, 20)],
      covered: [],
      overlapping: [
        ['IA', 'registered-after-start'],
        ['IB', 'registered-after-start'],
      ],
    },
    {
      name: 'an outage that began before the window is not excused by it',
      w: win(),
      incidents: [inc('I3', 'A', -5, 10)],
      covered: [],
      overlapping: [['I3', 'began-before-window']],
    },
    {
      name: 'a notice in time whose outage is decided otherwise (a correction) is named as such',
      w: win(),
      incidents: [inc('I4', 'A', 5, 10, { responsibility: 'line', rule: 'correction' })],
      covered: [],
      overlapping: [['I4', 'other-verdict']],
    },
    {
      name: 'outages entirely before or after the window do not overlap it',
      w: win(),
      incidents: [inc('I5', 'A', -30, 0), inc('I6', 'A', 60, 70)],
      covered: [],
      overlapping: [],
    },
    {
      name: 'monitoring gaps and fleet-wide incidents are not outages of its sites',
      w: win(),
      incidents: [inc('G', 'A', 5, 10, { kind: 'monitoring-gap' }), inc('N', null, 5, 10)],
      covered: [],
      overlapping: [],
    },
    {
      name: 'an incident of a site no longer in the inventory is skipped',
      w: win({ scope: { kind: 'site', siteId: 'GONE' } }),
      incidents: [inc('I7', 'GONE', 5, 10)],
      covered: [],
      overlapping: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = windowCoverage(c.w, c.incidents, lookup);
      expect(got.windowId).toBe(c.w.id);
      expect(got.covered).toEqual(c.covered);
      expect(got.overlapping.map((o) => [o.incidentId, o.reason])).toEqual(c.overlapping);
    });
  }
});

describe('coverageSpan', () => {
  it('spans the earliest start to the latest end, or nothing', () => {
    expect(coverageSpan([])).toBeNull();
    expect(coverageSpan([win(), win({ id: 'MW-2', startsAt: T - 5 * M, endsAt: T + 10 * M }), win({ id: 'MW-3', startsAt: T + M, endsAt: T + 90 * M })])).toEqual({
      from: T - 5 * M,
      to: T + 90 * M,
    });
  });
});
