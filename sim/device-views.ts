import type { SiteDevice, PortCounters } from './device.js';
import type { DeviceView, IfRow, PhysicalRow } from './mib.js';
import { huaweiSerial } from './device.js';
import { between, hashString } from './seeded-random.js';
import { LINK_UP_AFTER_BOOT_MS } from './site-timeline.js';

/**
 * The three kinds of simulated device, as their agents describe them: the customer's CE
 * (served on its in-band address and, identically, on its OOB address), the head-end
 * router at the center (one sub-interface per circuit) and the carrier's CPE.
 */

const IDLE: PortCounters = { in64: 0n, out64: 0n, in32: 0, out32: 0, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 };
const GIGABIT = 1_000_000_000;

/** sysUpTime (centiseconds) at an instant; 0 if it happened before the agent last started. */
export const stamp = (instant: number, agentOrigin: number): number =>
  instant < agentOrigin ? 0 : Math.floor((instant - agentOrigin) / 10) % 4294967296;

const loopbackRow = (ifIndex: number, name: string): IfRow => ({
  ifIndex, descr: name, name, alias: '', type: 24, mtu: 1500, speedBps: 0,
  adminUp: true, operUp: true, lastChangeCs: 0, counters: IDLE, discontinuityCs: 0,
});

/**
 * Caches rows per request instant: one GET asks for several columns of the same row. A
 * fault injected or cleared within the same millisecond changes the device's version, so
 * a row computed before it is not served after it.
 */
abstract class RowCache implements DeviceView {
  abstract readonly sysDescr: string;
  abstract readonly sysObjectID: string;
  abstract readonly sysName: string;
  abstract readonly hostResources: boolean;
  private readonly cache = new Map<number, { t: number; version: number; row: IfRow | null }>();
  abstract uptimeCs(t: number): number;
  abstract hostUptimeCs(t: number): number;
  abstract ifIndexes(t: number): number[];
  abstract has64(t: number): boolean;
  protected abstract build(t: number, ifIndex: number): IfRow | null;
  /** The fault version of the device behind a row. */
  protected abstract version(ifIndex: number): number;
  row(t: number, ifIndex: number): IfRow | null {
    const version = this.version(ifIndex);
    const hit = this.cache.get(ifIndex);
    if (hit && hit.t === t && hit.version === version) return hit.row;
    const row = this.build(t, ifIndex);
    this.cache.set(ifIndex, { t, version, row });
    return row;
  }
}

export const CE_LOOPBACK_IFINDEX = 1;
export const CE_LAN_IFINDEX = 2;
export const CE_LOOPBACK0_IFINDEX = 11;

/** The customer edge router of a site. */
export class CeView extends RowCache {
  readonly sysDescr: string;
  readonly sysObjectID = '1.3.6.1.4.1.2011.2.224.279';
  readonly sysName: string;
  readonly hostResources = true;
  private readonly lanName: string;

  constructor(private readonly d: SiteDevice) {
    super();
    this.sysDescr = `Huawei AR2220 Router, VRP V200R010C10SPC700 (demarc simulated CE of ${d.site.id})`;
    this.sysName = `CE-${d.site.id}`;
    this.lanName = d.site.ce.ifName === 'GigabitEthernet0/0/1' ? 'GigabitEthernet0/0/2' : 'GigabitEthernet0/0/1';
  }

  uptimeCs(t: number): number {
    return Math.floor((t - this.d.origins(t).agent) / 10);
  }
  /** Chassis and main board, as a Huawei AR answers ENTITY-MIB; serial, model and software follow swaps and upgrades. */
  entities(t: number): PhysicalRow[] {
    const id = this.d.ceIdentityAt(t);
    return [
      { index: 9, descr: `Huawei ${id.model} Router`, class: 3, name: id.model, hardwareRev: 'VER.B', firmwareRev: 'BootROM 1.02', softwareRev: id.software, serial: id.serial, mfgName: 'Huawei', modelName: id.model },
      { index: 16, descr: `${id.model} main control board`, class: 9, name: 'SRU', hardwareRev: 'VER.A', firmwareRev: 'BootROM 1.02', softwareRev: id.software, serial: `${id.serial}-B`, mfgName: 'Huawei', modelName: 'SRU' },
    ];
  }
  hostUptimeCs(t: number): number {
    return Math.floor((t - this.d.origins(t).host) / 10);
  }
  ifIndexes(t: number): number[] {
    return [CE_LOOPBACK_IFINDEX, CE_LAN_IFINDEX, this.d.wanIfIndexAt(t), CE_LOOPBACK0_IFINDEX].sort((a, b) => a - b);
  }
  has64(t: number): boolean {
    return this.d.conditions(t).has64;
  }
  protected version(): number {
    return this.d.version;
  }

  protected build(t: number, ifIndex: number): IfRow | null {
    const agent = this.d.origins(t).agent;
    const c = this.d.conditions(t);
    const linkUp = this.d.counterDiscontinuity(t);
    if (ifIndex === CE_LOOPBACK_IFINDEX) return loopbackRow(ifIndex, 'InLoopBack0');
    if (ifIndex === CE_LOOPBACK0_IFINDEX) return loopbackRow(ifIndex, 'LoopBack0');
    if (ifIndex === CE_LAN_IFINDEX)
      return {
        ifIndex, descr: this.lanName, name: this.lanName, alias: 'LAN', type: 6, mtu: 1500, speedBps: GIGABIT,
        adminUp: true, operUp: c.powered, lastChangeCs: stamp(this.lanLinkUp(t), agent),
        counters: this.d.lanCounters(t), discontinuityCs: stamp(this.lanLinkUp(t), agent),
      };
    if (ifIndex !== this.d.wanIfIndexAt(t)) return null;
    const circuit = this.d.site.circuit;
    return {
      ifIndex, descr: this.d.site.ce.ifName, name: this.d.site.ce.ifName, alias: `WAN ${circuit.id} ${circuit.bandwidthMbps}M`,
      type: 6, mtu: 1500, speedBps: GIGABIT, adminUp: c.wanAdminUp, operUp: c.wanOperUp,
      lastChangeCs: stamp(this.d.wanLastChange(t), agent),
      counters: this.d.wanCounters(t), discontinuityCs: stamp(linkUp, agent),
    };
  }

  private lanLinkUp(t: number): number {
    const boots = this.d.windows.linkUps.filter((x) => x <= t);
    return boots.length ? boots[boots.length - 1]! : this.d.initialOrigin + LINK_UP_AFTER_BOOT_MS;
  }
}

/** A head-end router at the center terminating many circuits, one sub-interface each. */
export class HeadendView extends RowCache {
  readonly sysDescr: string;
  readonly sysObjectID = '1.3.6.1.4.1.2011.2.62.2.9';
  readonly sysName: string;
  readonly hostResources = false;
  private readonly origin: number;
  private readonly byIfIndex = new Map<number, SiteDevice>();
  private readonly serial: string;
  private readonly indexes: number[];

  constructor(host: string, port: number, devices: readonly SiteDevice[], seed: number, startMs: number) {
    super();
    this.sysDescr = `Huawei NE40E-X8, VRP V800R011C00SPC300 (demarc simulated head-end ${host})`;
    this.sysName = `HE-${host}`;
    this.serial = huaweiSerial(`headend:${host}:${port}`);
    this.origin = Math.floor(startMs - between(100, 400, seed, hashString(`${host}:${port}`), 1) * 86_400_000);
    devices.forEach((d, i) => this.byIfIndex.set(50 + i, d));
    this.indexes = [1, ...this.byIfIndex.keys()];
  }

  uptimeCs(t: number): number {
    return Math.floor((t - this.origin) / 10);
  }
  hostUptimeCs(t: number): number {
    return this.uptimeCs(t);
  }
  ifIndexes(): number[] {
    return this.indexes;
  }
  entities(): PhysicalRow[] {
    return [
      { index: 1, descr: 'Huawei NE40E-X8 chassis', class: 3, name: 'NE40E-X8', hardwareRev: 'VER.C', firmwareRev: '', softwareRev: 'V800R011C00SPC300', serial: this.serial, mfgName: 'Huawei', modelName: 'NE40E-X8' },
    ];
  }
  has64(): boolean {
    return true;
  }
  protected version(ifIndex: number): number {
    return this.byIfIndex.get(ifIndex)?.version ?? 0;
  }
  /** The sub-interface ifIndex of a site's circuit. */
  ifIndexOf(siteId: string): number | null {
    for (const [i, d] of this.byIfIndex) if (d.site.id === siteId) return i;
    return null;
  }

  protected build(t: number, ifIndex: number): IfRow | null {
    if (ifIndex === 1) return loopbackRow(1, 'InLoopBack0');
    const d = this.byIfIndex.get(ifIndex);
    if (!d) return null;
    const circuit = d.site.circuit;
    return {
      ifIndex, descr: circuit.headend.ifName, name: circuit.headend.ifName, alias: `${circuit.id} ${d.site.id} ${d.site.name}`,
      type: 135, mtu: 1500, speedBps: circuit.bandwidthMbps * 1e6, adminUp: true, operUp: d.conditions(t).headendOperUp,
      lastChangeCs: stamp(d.headendLastChange(t), this.origin), counters: d.headendCounters(t), discontinuityCs: 0,
    };
  }
}

/** The carrier's CPE at a site: a line-side port and a port facing the customer's CE. */
export class CpeView extends RowCache {
  readonly sysDescr: string;
  readonly sysObjectID = '1.3.6.1.4.1.2011.2.23.350';
  readonly sysName: string;
  readonly hostResources = false;
  private readonly origin: number;

  constructor(private readonly d: SiteDevice, seed: number, startMs: number) {
    super();
    this.sysDescr = `Carrier access CPE (demarc simulated, site ${d.site.id})`;
    this.sysName = `CPE-${d.site.id}`;
    this.origin = Math.floor(startMs - between(20, 200, seed, d.hash, 201) * 86_400_000);
  }

  uptimeCs(t: number): number {
    return Math.floor((t - this.origin) / 10);
  }
  hostUptimeCs(t: number): number {
    return this.uptimeCs(t);
  }
  ifIndexes(): number[] {
    return [1, 2, 3];
  }
  entities(): PhysicalRow[] {
    return [
      { index: 1, descr: 'Carrier access CPE', class: 3, name: 'CPE', hardwareRev: 'V1', firmwareRev: '', softwareRev: 'V300R003C10', serial: huaweiSerial(`cpe:${this.d.site.id}`), mfgName: 'Huawei', modelName: 'OptiX RTN 310' },
    ];
  }
  has64(): boolean {
    return true;
  }
  protected version(): number {
    return this.d.version;
  }

  protected build(t: number, ifIndex: number): IfRow | null {
    const cpe = this.d.site.cpe!;
    const c = this.d.conditions(t);
    const w = this.d.windows;
    const edge = (list: { from: number; to: number }[]) => {
      let best = this.origin + 60_000;
      for (const i of list) for (const x of [i.from, i.to]) if (x <= t && x > best) best = x;
      return stamp(best, this.origin);
    };
    const line = this.d.cpeLineCounters(t);
    if (ifIndex === 1) {
      const name = cpe.lineIfName ?? 'GE0/0/1';
      return {
        ifIndex, descr: name, name, alias: `line ${this.d.site.circuit.id}`, type: 6, mtu: 1500, speedBps: GIGABIT,
        adminUp: true, operUp: c.cpeLineUp, lastChangeCs: edge(w.cut), counters: line, discontinuityCs: 0,
      };
    }
    if (ifIndex === 2) {
      const name = cpe.customerIfName ?? 'GE0/0/2';
      const swapped: PortCounters = {
        in64: line.out64, out64: line.in64, in32: line.out32, out32: line.in32,
        inErrors: line.outErrors, outErrors: line.inErrors, inDiscards: line.outDiscards, outDiscards: line.inDiscards,
      };
      return {
        ifIndex, descr: name, name, alias: `customer ${this.d.site.id}`, type: 6, mtu: 1500, speedBps: GIGABIT,
        adminUp: true, operUp: c.cpeCustomerUp, lastChangeCs: edge(w.cpeCustomerDown), counters: swapped, discontinuityCs: 0,
      };
    }
    if (ifIndex === 3) return loopbackRow(3, 'InLoopBack0');
    return null;
  }
}
