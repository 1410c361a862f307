import type { IfStatus, CircuitSample } from '../core/sample.js';
import { noteSignal, type IncidentFacts } from './incident-facts.js';

/**
 * - answered: the CE answered in-band, so the circuit carries traffic
 * - hang: the CE is silent but the head-end sees the circuit up and its counters moving, so the
 *   circuit works and only the CE's management plane is stuck
 * - silent: neither; a possible outage
 */
export type SampleClass = 'answered' | 'hang' | 'silent';

/** What the classification reads of a poll; a CircuitSample is one. */
export interface SampleReading {
  ce: Pick<CircuitSample['ce'], 'reachable'>;
  headend: Pick<CircuitSample['headend'], 'reachable' | 'oper' | 'inBps' | 'outBps'>;
}

export function countersMoving(s: SampleReading, minBps: number): boolean {
  const moving = (v: number | null) => v !== null && v >= minBps && v > 0;
  return moving(s.headend.inBps) || moving(s.headend.outBps);
}

/**
 * Whether one poll saw the circuit working: the one rule both the state machine (its input)
 * and the wall's tile state (outage/tile-state.ts) read.
 */
export function classifySample(s: SampleReading, minBps: number): SampleClass {
  if (s.ce.reachable) return 'answered';
  if (s.headend.reachable && s.headend.oper === 'up' && countersMoving(s, minBps)) return 'hang';
  return 'silent';
}

const isDown = (st: IfStatus | null) => st === 'down' || st === 'lowerLayerDown' || st === 'notPresent';

/** Notes what one silent poll tells about where the break is. */
export function noteSilentSample(f: IncidentFacts, s: CircuitSample): void {
  const at = s.at;
  if (!s.headend.reachable) noteSignal(f, 'headend-unreachable', at, { error: s.headend.error });
  else if (isDown(s.headend.oper)) noteSignal(f, 'headend-down', at, { oper: s.headend.oper });
  if (s.oob) {
    if (s.oob.reachable) {
      noteSignal(f, 'oob-reachable', at, { wanOper: s.oob.wanOper, wanAdmin: s.oob.wanAdmin });
      if (s.oob.wanAdmin === 'down') noteSignal(f, 'oob-wan-admin-down', at, {});
      else if (s.oob.wanAdmin === 'up' && isDown(s.oob.wanOper))
        noteSignal(f, 'oob-wan-down', at, { wanOper: s.oob.wanOper });
    } else {
      noteSignal(f, 'oob-unreachable', at, { error: s.oob.error });
    }
  }
  if (s.cpe) {
    if (s.cpe.reachable) {
      if (isDown(s.cpe.lineOper)) noteSignal(f, 'cpe-line-down', at, { oper: s.cpe.lineOper });
      if (isDown(s.cpe.customerOper)) noteSignal(f, 'cpe-customer-port-down', at, { oper: s.cpe.customerOper });
    } else {
      noteSignal(f, 'cpe-unreachable', at, { error: s.cpe.error });
    }
  }
}
