import type { CircuitSample } from '../core/sample.js';
import { noteSignal, type IncidentFacts } from './incident-facts.js';
import type { Signal } from './signals.js';
import { changedDuringOutage, uptimeContinuity, wanChangeAt, type Continuity } from './uptime-continuity.js';

const CONTINUITY_SIGNAL: Record<Continuity, Signal> = {
  continuous: 'uptime-continuous',
  'agent-restart': 'agent-restart',
  rebooted: 'ce-rebooted',
  unknown: 'uptime-unknown',
};

/**
 * The CE answered again after a drop: note what its clocks say about the time it was away
 * (uptime continuity, and whether its WAN port changed state inside the outage).
 */
export function noteReturn(f: IncidentFacts, s: CircuitSample, startedAt: number, toleranceSec: number): Continuity {
  noteSignal(f, 'ce-returned', s.at, { afterSec: Math.round((s.at - startedAt) / 1000) });
  const finding = uptimeContinuity(f.before, { at: s.at, uptimeSec: s.ce.uptimeSec, hostUptimeSec: s.ce.hostUptimeSec }, startedAt, toleranceSec);
  noteSignal(f, CONTINUITY_SIGNAL[finding.continuity], s.at, finding.params);
  if (finding.continuity === 'continuous' || finding.continuity === 'agent-restart') {
    const changeAt = wanChangeAt({ at: s.at, uptimeSec: s.ce.uptimeSec, wanLastChangeSec: s.ce.wanLastChangeSec });
    if (changedDuringOutage(changeAt, f.before?.at ?? startedAt, s.at, toleranceSec)) {
      noteSignal(f, 'wan-change-inside', changeAt!, { changedAt: changeAt! });
    }
  }
  return finding.continuity;
}
