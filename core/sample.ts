import type { CircuitId, SiteId } from './inventory.js';

/** IF-MIB ifOperStatus / ifAdminStatus values (RFC 2863), by name. */
export type IfStatus = 'up' | 'down' | 'testing' | 'unknown' | 'dormant' | 'notPresent' | 'lowerLayerDown';

export const IF_STATUS_BY_CODE: Readonly<Record<number, IfStatus>> = {
  1: 'up',
  2: 'down',
  3: 'testing',
  4: 'unknown',
  5: 'dormant',
  6: 'notPresent',
  7: 'lowerLayerDown',
};

/** The customer edge router as seen in-band (over the circuit itself). */
export interface CeView {
  reachable: boolean;
  /** Why it was not reachable or not usable: timeout, malformed reply, ... */
  error: string | null;
  /** SNMPv2-MIB sysUpTime in seconds (agent uptime). */
  uptimeSec: number | null;
  /** HOST-RESOURCES hrSystemUptime in seconds (OS uptime), where the agent has it. */
  hostUptimeSec: number | null;
  wanOper: IfStatus | null;
  wanAdmin: IfStatus | null;
  /** WAN port ifLastChange, in seconds of the CE's sysUpTime. */
  wanLastChangeSec: number | null;
}

/** The circuit's interface on the head-end router at the center. */
export interface HeadendView {
  reachable: boolean;
  error: string | null;
  oper: IfStatus | null;
  /** Traffic seen at the head end (its in = the site's out); null when unknowable. */
  inBps: number | null;
  outBps: number | null;
}

/** The CE reached over its out-of-band path (e.g. 5G backup). */
export interface OobView {
  reachable: boolean;
  error: string | null;
  uptimeSec: number | null;
  wanOper: IfStatus | null;
  wanAdmin: IfStatus | null;
}

/** The carrier's CPE at the site, where the carrier grants read access. */
export interface CpeView {
  reachable: boolean;
  error: string | null;
  lineOper: IfStatus | null;
  customerOper: IfStatus | null;
}

/**
 * A configured interface name the device does not have (checked against ifName, ifDescr, the
 * first word of ifDescr and ifAlias). The device answered: this is a configuration problem,
 * not downtime, and is never paged as an outage.
 */
export interface ConfigGap {
  /** Which configured port: the CE's WAN port (in-band or over OOB), the head-end's, the CPE's. */
  side: 'ce' | 'oob' | 'headend' | 'cpe-line' | 'cpe-customer';
  /** The device as host:port. */
  device: string;
  ifName: string;
}

/**
 * One poll of one site: every signal the outage attribution needs and the rates the
 * dashboard and reports need. `at` is the instant the request was sent (not when the
 * reply came back), so intervals are not skewed by reply latency.
 */
export interface CircuitSample {
  siteId: SiteId;
  circuitId: CircuitId;
  at: number;
  /** Round trip of the CE poll in milliseconds; null when it did not answer. */
  rttMs: number | null;
  ce: CeView;
  headend: HeadendView;
  oob: OobView | null;
  cpe: CpeView | null;
  /** Bits per second on the handoff port as the site sees it; null is a gap. */
  inBps: number | null;
  outBps: number | null;
  /** Percent of the circuit's nominal rate (not of ifSpeed, which is often wrong). */
  inUtilPct: number | null;
  outUtilPct: number | null;
  inErrorsPerSec: number | null;
  outErrorsPerSec: number | null;
  inDiscardsPerSec: number | null;
  outDiscardsPerSec: number | null;
  /** Why the rates are null for this interval (first sample, reboot, ifIndex change, ...). */
  gap: string | null;
  /** Configured names that did not resolve this poll; absent or empty when every name did. */
  configGaps?: readonly ConfigGap[];
  /** The remote collector (vantage point) that took it; absent when the center polled it itself. */
  vantage?: string;
}
