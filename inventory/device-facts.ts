import type { SiteId, SnmpEndpoint } from '../core/inventory.js';
import type { IfStatus } from '../core/sample.js';
import type { VendorIdentity } from './vendors.js';

/** Which configured device of the inventory this is. */
export type DeviceRole = 'ce' | 'oob' | 'headend' | 'cpe';

/** One device discovery walks: an endpoint of the inventory and the names configured on it. */
export interface DeviceTarget {
  /** `ce:<site>`, `oob:<site>`, `cpe:<site>`, `headend:<host>:<port>`. */
  id: string;
  role: DeviceRole;
  /** The site it belongs to; a head-end serves many (`siteIds`). */
  siteId: SiteId | null;
  siteIds: readonly SiteId[];
  endpoint: SnmpEndpoint;
  /** Interface names the inventory configures on this device (the handoff port, circuits, CPE ports). */
  configuredNames: readonly string[];
}

export interface SystemFacts {
  sysDescr: string | null;
  sysObjectId: string | null;
  sysName: string | null;
  sysLocation: string | null;
  sysContact: string | null;
  uptimeSec: number | null;
}

/** entPhysicalClass (ENTITY-MIB PhysicalClass). */
export const PHYSICAL_CLASS: Readonly<Record<number, string>> = {
  1: 'other', 2: 'unknown', 3: 'chassis', 4: 'backplane', 5: 'container', 6: 'powerSupply', 7: 'fan', 8: 'sensor',
  9: 'module', 10: 'port', 11: 'stack', 12: 'cpu',
};

/** One row of ENTITY-MIB entPhysicalTable. */
export interface EntityRow {
  index: number;
  descr: string | null;
  class: string | null;
  name: string | null;
  hardwareRev: string | null;
  firmwareRev: string | null;
  softwareRev: string | null;
  serial: string | null;
  mfgName: string | null;
  modelName: string | null;
}

/** One row of the interface table (ifTable + ifXTable). */
export interface InterfaceFacts {
  ifIndex: number;
  ifName: string | null;
  ifDescr: string | null;
  ifAlias: string | null;
  ifType: number | null;
  speedBps: number | null;
  highSpeedMbps: number | null;
  physAddress: string | null;
  admin: IfStatus | null;
  oper: IfStatus | null;
}

/** What a device is, in the four words people ask for. */
export interface DeviceSummary {
  vendor: string | null;
  model: string | null;
  serial: string | null;
  software: string | null;
}

/** Everything discovery knows of a device; a section is null when it was never read. */
export interface DeviceFacts {
  system: SystemFacts | null;
  identity: VendorIdentity | null;
  entities: EntityRow[] | null;
  interfaces: InterfaceFacts[] | null;
  summary: DeviceSummary;
}

/** The sections one discovery read successfully this time (the rest kept their last good value). */
export interface SectionsRead {
  system: boolean;
  entities: boolean;
  interfaces: boolean;
}

/** One discovery of one device: the merged facts, what was read, and every gap named. */
export interface Discovery {
  deviceId: string;
  at: number;
  facts: DeviceFacts;
  read: SectionsRead;
  /** Named gaps: "ENTITY-MIB: not implemented by the agent", "interfaces: timeout", ... Empty: complete. */
  gaps: string[];
}

/** Which interface a configured name resolves to, by the collector's rules (ifName, ifDescr, its first word, ifAlias). */
export function findInterface(rows: readonly InterfaceFacts[], name: string): { row: InterfaceFacts; matchedBy: 'ifName' | 'ifDescr' | 'ifDescr-first-word' | 'ifAlias' } | null {
  const firstWord = (s: string) => s.trim().split(/\s+/, 1)[0] ?? '';
  const byName = rows.find((r) => r.ifName === name);
  if (byName) return { row: byName, matchedBy: 'ifName' };
  const byDescr = rows.find((r) => r.ifDescr === name);
  if (byDescr) return { row: byDescr, matchedBy: 'ifDescr' };
  const byWord = rows.find((r) => r.ifDescr !== null && firstWord(r.ifDescr) === name);
  if (byWord) return { row: byWord, matchedBy: 'ifDescr-first-word' };
  const byAlias = rows.find((r) => r.ifAlias === name);
  return byAlias ? { row: byAlias, matchedBy: 'ifAlias' } : null;
}

/** The name people use for an interface: ifName, else ifDescr, else its index. */
export const interfaceLabel = (r: InterfaceFacts): string => r.ifName || r.ifDescr || `ifIndex ${r.ifIndex}`;

/**
 * The summary from the facts: the chassis (else the stack, else the first entity) gives serial,
 * model and software; sysObjectID gives vendor and a model where its product OID is known;
 * sysDescr's "Version ..." gives software when no entity carries it.
 */
export function summarize(system: SystemFacts | null, identity: VendorIdentity | null, entities: readonly EntityRow[] | null): DeviceSummary {
  const list = entities ?? [];
  const chassis = list.find((e) => e.class === 'chassis' && (e.serial || e.modelName)) ?? list.find((e) => e.class === 'chassis') ?? list.find((e) => e.class === 'stack') ?? list[0] ?? null;
  const version = system?.sysDescr?.match(/Version\s+([^\s,]+)/i)?.[1] ?? null;
  return {
    vendor: identity?.vendor ?? chassis?.mfgName ?? null,
    model: chassis?.modelName || identity?.model || null,
    serial: chassis?.serial || null,
    software: chassis?.softwareRev || list.find((e) => e.softwareRev)?.softwareRev || version,
  };
}
