import type { Site } from '../../core/inventory.js';
import type { CircuitSample, CpeView, OobView } from '../../core/sample.js';
import { outageConfig, type OutageConfigInput } from '../../outage/config-schema.js';

/** Synthetic inputs for the pure tracker tests (the scenario tests use the real simulator). */
export const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);
export const at = (sec: number) => T0 + sec * 1000;

export function makeSite(id: string, opts: { group?: string; oob?: boolean; cpe?: boolean } = {}): Site {
  return {
    id,
    name: id,
    nameEn: null,
    division: 'test',
    circuit: {
      id: `C-${id}`,
      bandwidthMbps: 70,
      activationDate: '2026-01-01',
      headend: { device: { host: '127.0.0.11', port: 1, profile: 'p' }, ifName: `Eth-Trunk1.${id}` },
      carrierGroup: opts.group ?? 'AGG-A',
    },
    ce: { device: { host: '127.0.1.1', port: 1, profile: 'p' }, ifName: 'GigabitEthernet0/0/0' },
    oob: opts.oob ? { host: '127.1.0.1', port: 1, profile: 'p' } : null,
    cpe: opts.cpe ? { device: { host: '127.2.0.1', port: 1, profile: 'p' }, lineIfName: 'GE0/0/1', customerIfName: 'GE0/0/2' } : null,
    contact: null,
    location: null,
  };
}

const BOOT_UPTIME = 30 * 86_400;

export interface AnswerOpts {
  /** CE sysUpTime at this poll; default: booted 30 days before T0 and never since. */
  uptimeSec?: number;
  hostUptimeSec?: number | null;
  wanLastChangeSec?: number | null;
  oob?: OobView | null;
  cpe?: CpeView | null;
}

export function answered(siteId: string, sec: number, o: AnswerOpts = {}): CircuitSample {
  return base(siteId, sec, {
    ce: {
      reachable: true,
      error: null,
      uptimeSec: o.uptimeSec ?? BOOT_UPTIME + sec,
      hostUptimeSec: o.hostUptimeSec ?? null,
      wanOper: 'up',
      wanAdmin: 'up',
      wanLastChangeSec: o.wanLastChangeSec ?? 100,
    },
    headend: { reachable: true, error: null, oper: 'up', inBps: 2e6, outBps: 8e6 },
    oob: o.oob ?? null,
    cpe: o.cpe ?? null,
  });
}

export interface SilentOpts {
  headend?: 'down' | 'up-idle' | 'up-moving' | 'unreachable';
  oob?: OobView | null;
  cpe?: CpeView | null;
}

export function silent(siteId: string, sec: number, o: SilentOpts = {}): CircuitSample {
  const h = o.headend ?? 'down';
  return base(siteId, sec, {
    ce: { reachable: false, error: 'timeout', uptimeSec: null, hostUptimeSec: null, wanOper: null, wanAdmin: null, wanLastChangeSec: null },
    headend:
      h === 'unreachable'
        ? { reachable: false, error: 'timeout', oper: null, inBps: null, outBps: null }
        : { reachable: true, error: null, oper: h === 'down' ? 'down' : 'up', inBps: h === 'up-moving' ? 3e6 : 0, outBps: h === 'up-moving' ? 9e6 : 0 },
    oob: o.oob ?? null,
    cpe: o.cpe ?? null,
  });
}

function base(siteId: string, sec: number, v: Pick<CircuitSample, 'ce' | 'headend' | 'oob' | 'cpe'>): CircuitSample {
  const up = v.ce.reachable;
  return {
    siteId,
    circuitId: `C-${siteId}`,
    at: at(sec),
    rttMs: up ? 3 : null,
    ...v,
    inBps: up ? 2e6 : null,
    outBps: up ? 8e6 : null,
    inUtilPct: up ? 2.9 : null,
    outUtilPct: up ? 11.4 : null,
    inErrorsPerSec: 0,
    outErrorsPerSec: 0,
    inDiscardsPerSec: 0,
    outDiscardsPerSec: 0,
    gap: up ? null : 'ce unreachable',
  };
}

export const oobView = (wanOper: 'up' | 'down', wanAdmin: 'up' | 'down'): OobView => ({ reachable: true, error: null, uptimeSec: BOOT_UPTIME, wanOper, wanAdmin });
export const oobSilent: OobView = { reachable: false, error: 'timeout', uptimeSec: null, wanOper: null, wanAdmin: null };
export const cpeView = (lineOper: 'up' | 'down', customerOper: 'up' | 'down'): CpeView => ({ reachable: true, error: null, lineOper, customerOper });

/** Thresholds for 1-second synthetic polls. */
export function testConfig(more: OutageConfigInput = {}) {
  return outageConfig({
    confirm: { polls: 3 },
    recover: { polls: 2 },
    flap: { minDrops: 3, windowSec: 60, quietSec: 10 },
    massOutage: { minSites: 3, windowSec: 30 },
    isolation: { minSites: 10, silentShare: 0.9 },
    uptimeToleranceSec: 5,
    ...more,
  });
}
