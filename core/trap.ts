import type { SiteId } from './inventory.js';

export type TrapKind = 'linkDown' | 'linkUp' | 'coldStart' | 'warmStart' | 'dyingGasp';

/** An SNMP trap or inform, mapped to a site; evidence for the outage stage. */
export interface TrapEvent {
  at: number;
  siteId: SiteId;
  kind: TrapKind;
  /** Which device sent it: the CE, its OOB path, the carrier CPE or the head-end. */
  from: 'ce' | 'oob' | 'cpe' | 'headend';
  /** ifName or ifIndex the trap names, when it names one. */
  ifName: string | null;
  detail: string;
}
