import type { Site } from '../core/inventory.js';
import type { CircuitSample, ConfigGap, CpeView, HeadendView, IfStatus, OobView } from '../core/sample.js';
import type { PortPoll } from './device-polls.js';
import type { HeadendPortPoll } from './headend-poll.js';
import { portRates, type PortReading, type RateLimits } from './port-rates.js';

export interface SitePolls {
  at: number;
  ce: PortPoll;
  headend: { ok: boolean; error: string | null; port: HeadendPortPoll | null; unresolved?: boolean };
  oob: PortPoll | null;
  cpe: { ok: boolean; error: string | null; statuses: Map<string, IfStatus | null>; unresolved?: readonly string[] } | null;
}

export interface RateMemory {
  ce: PortReading | null;
  headend: PortReading | null;
}

const pct = (bps: number | null, nominalMbps: number) => (bps === null ? null : (bps / (nominalMbps * 1e6)) * 100);
const seconds = (ticks: number | null) => (ticks === null ? null : ticks / 100);

/**
 * Turns one cycle's raw polls of a site into a CircuitSample. Pure: the previous readings
 * come in, the readings to remember come out.
 */
export function buildSample(
  site: Site,
  polls: SitePolls,
  memory: RateMemory,
  limits: RateLimits,
): {
  sample: CircuitSample;
  memory: RateMemory;
  /** Sides whose counters moved faster than the line can carry: the interval is a gap, and an operator should hear of it. */
  aboveLineRate: ('ce' | 'headend')[];
} {
  const { ce, headend, oob, cpe } = polls;
  const nominalBps = site.circuit.bandwidthMbps * 1e6;
  const ceRates = ce.reading ? portRates(memory.ce, ce.reading, limits, nominalBps) : null;
  const heReading = headend.port?.reading ?? null;
  const heRates = heReading ? portRates(memory.headend, heReading, limits, nominalBps) : null;

  const headendView: HeadendView = {
    reachable: headend.ok,
    error: headend.error,
    oper: headend.port?.oper ?? null,
    inBps: heRates?.inBps ?? null,
    outBps: heRates?.outBps ?? null,
  };
  const oobView: OobView | null = oob && {
    reachable: oob.ok,
    error: oob.error,
    uptimeSec: seconds(oob.uptimeTicks),
    wanOper: oob.oper,
    wanAdmin: oob.admin,
  };
  const cpeView: CpeView | null = cpe && {
    reachable: cpe.ok,
    error: cpe.error,
    lineOper: site.cpe?.lineIfName ? (cpe.statuses.get(site.cpe.lineIfName) ?? null) : null,
    customerOper: site.cpe?.customerIfName ? (cpe.statuses.get(site.cpe.customerIfName) ?? null) : null,
  };

  // When the CE cannot be asked, the head end still sees the circuit's traffic (its in is
  // the site's out), so the wall and the reports keep a rate instead of a hole.
  const fromHeadend = !ceRates && heRates && heRates.gap === null;
  const rates = ceRates ?? null;
  const inBps = fromHeadend ? heRates.outBps : (rates?.inBps ?? null);
  const outBps = fromHeadend ? heRates.inBps : (rates?.outBps ?? null);
  const gap = fromHeadend ? null : rates ? rates.gap : ce.unresolved ? 'config-gap' : ce.ok ? 'no-counters' : 'ce-unreachable';
  const nominal = site.circuit.bandwidthMbps;

  const sample: CircuitSample = {
    siteId: site.id,
    circuitId: site.circuit.id,
    at: polls.at,
    rttMs: ce.rttMs,
    ce: {
      reachable: ce.ok,
      error: ce.error,
      uptimeSec: seconds(ce.uptimeTicks),
      hostUptimeSec: seconds(ce.hostUptimeTicks),
      wanOper: ce.oper,
      wanAdmin: ce.admin,
      wanLastChangeSec: seconds(ce.lastChangeTicks),
    },
    headend: headendView,
    oob: oobView,
    cpe: cpeView,
    inBps,
    outBps,
    inUtilPct: pct(inBps, nominal),
    outUtilPct: pct(outBps, nominal),
    inErrorsPerSec: rates?.inErrorsPerSec ?? null,
    outErrorsPerSec: rates?.outErrorsPerSec ?? null,
    inDiscardsPerSec: rates?.inDiscardsPerSec ?? null,
    outDiscardsPerSec: rates?.outDiscardsPerSec ?? null,
    gap,
  };
  const configGaps = configGapsOf(site, polls);
  if (configGaps.length) sample.configGaps = configGaps;
  const aboveLineRate: ('ce' | 'headend')[] = [];
  if (ceRates?.gap === 'above-line-rate') aboveLineRate.push('ce');
  if (heRates?.gap === 'above-line-rate') aboveLineRate.push('headend');
  return {
    sample,
    memory: { ce: ce.reading ?? memory.ce, headend: heReading ?? memory.headend },
    aboveLineRate,
  };
}

const hostPort = (e: { host: string; port: number }) => `${e.host}:${e.port}`;

/** The configured names this poll could not find on devices that answered. */
function configGapsOf(site: Site, polls: SitePolls): ConfigGap[] {
  const out: ConfigGap[] = [];
  if (polls.ce.unresolved) out.push({ side: 'ce', device: hostPort(site.ce.device), ifName: site.ce.ifName });
  if (polls.oob?.unresolved && site.oob) out.push({ side: 'oob', device: hostPort(site.oob), ifName: site.ce.ifName });
  if (polls.headend.unresolved) out.push({ side: 'headend', device: hostPort(site.circuit.headend.device), ifName: site.circuit.headend.ifName });
  const cpe = site.cpe;
  if (cpe && polls.cpe?.unresolved?.length) {
    if (cpe.lineIfName && polls.cpe.unresolved.includes(cpe.lineIfName)) out.push({ side: 'cpe-line', device: hostPort(cpe.device), ifName: cpe.lineIfName });
    if (cpe.customerIfName && polls.cpe.unresolved.includes(cpe.customerIfName)) out.push({ side: 'cpe-customer', device: hostPort(cpe.device), ifName: cpe.customerIfName });
  }
  return out;
}
