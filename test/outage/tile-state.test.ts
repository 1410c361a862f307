import { describe, expect, it } from 'vitest';
import type { Incident } from '../../core/incident.js';
import { decideTileState, tileIncident, type TileIncident, type TileInputs } from '../../outage/tile-state.js';

const NOW = Date.UTC(2026, 2, 1, 4, 0, 0);
const reading = (o: { ce?: boolean; he?: boolean; oper?: 'up' | 'down' | 'lowerLayerDown' | null; inBps?: number | null; ageSec?: number } = {}) => ({
  ageSec: o.ageSec ?? 10,
  ce: { reachable: o.ce ?? true },
  headend: { reachable: o.he ?? true, oper: o.oper === undefined ? 'up' : o.oper, inBps: o.inBps === undefined ? 5e6 : o.inBps, outBps: null },
});
const inc = (responsibility: Incident['responsibility'], kind: Incident['kind'] = 'outage', id = 'I1'): TileIncident => ({ id, kind, responsibility, startedAt: NOW - 600_000 });
const input = (latest: ReturnType<typeof reading> | null, incident: TileIncident | null = null): TileInputs => ({
  now: NOW, intervalSec: 30, hangMinBps: 1, latest, refreshedAt: latest ? NOW - latest.ageSec * 1000 : null, incident,
});

describe('decideTileState', () => {
  it.each([
    ['never polled, no incident', input(null), 'no-data'],
    ['CE answers', input(reading()), 'up'],
    ['CE answers, head end down: the circuit carries the poll, so it is up', input(reading({ oper: 'down' })), 'up'],
    ['CE silent, head end up and moving, no incident yet: a hang', input(reading({ ce: false, inBps: 3e6 })), 'monitoring-gap'],
    ['CE silent, head end up but idle: not confirmed either way', input(reading({ ce: false, inBps: 0 })), 'undetermined'],
    ['CE silent, head end down, not yet confirmed', input(reading({ ce: false, oper: 'down', inBps: null })), 'undetermined'],
    ['line-side incident', input(reading({ ce: false, oper: 'down' }), inc('line')), 'line-outage'],
    // The bug: a power loss (CE silent, head end up) was shown amber "degraded".
    ['device-side incident with the head end still up', input(reading({ ce: false, oper: 'up', inBps: 0 }), inc('device')), 'device-outage'],
    ['planned incident', input(reading({ ce: false }), inc('planned')), 'planned'],
    ['force majeure', input(reading({ ce: false }), inc('external')), 'external-outage'],
    ['undetermined incident', input(reading({ ce: false }), inc('undetermined')), 'undetermined'],
    ['monitoring-gap incident (management-plane hang)', input(reading({ ce: false, inBps: 3e6 }), inc('device', 'monitoring-gap')), 'monitoring-gap'],
    ['NOC isolation (monitoring responsibility)', input(reading({ ce: false }), inc('monitoring', 'outage')), 'monitoring-gap'],
    ['incident open but the site answers again (recovery being confirmed)', input(reading(), inc('line')), 'line-outage'],
    ['no incident, refreshed exactly 2 intervals ago: still current', input(reading({ ageSec: 60 })), 'up'],
    ['not refreshed for more than 2 intervals', input(reading({ ageSec: 61 })), 'stale'],
    ['stale wins over an incident: nothing current is known', input(reading({ ageSec: 600 }), inc('line')), 'stale'],
    ['incident but never polled since start-up', input(null, inc('device')), 'device-outage'],
  ] as const)('%s → %s', (_name, i, want) => {
    expect(decideTileState(i).state).toBe(want);
  });

  it('names the incident behind the state and its start', () => {
    expect(decideTileState(input(reading({ ce: false }), inc('line', 'outage', 'I7')))).toEqual({ state: 'line-outage', incidentId: 'I7', since: NOW - 600_000 });
    expect(decideTileState(input(reading()))).toEqual({ state: 'up', incidentId: null, since: null });
  });
});

describe('tileIncident', () => {
  it.each([
    ['none', [], null],
    ['one', [inc('line', 'outage', 'A')], 'A'],
    ['an outage before a monitoring gap', [inc('device', 'monitoring-gap', 'G'), inc('line', 'outage', 'O')], 'O'],
    ['the later of two outages', [inc('line', 'outage', 'A'), { ...inc('device', 'outage', 'B'), startedAt: NOW }], 'B'],
  ] as const)('%s', (_n, open, want) => {
    expect(tileIncident(open)?.id ?? null).toBe(want);
  });
});
