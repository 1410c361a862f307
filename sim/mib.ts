import snmp from 'net-snmp';
import type { PortCounters } from './device.js';

/**
 * The MIB one simulated agent serves: SNMPv2-MIB system scalars, HOST-RESOURCES
 * hrSystemUptime, IF-MIB ifTable and ifXTable, all by numeric OID. The MIB tree only holds
 * which rows exist; every value is computed by a provider handler when a request asks
 * for it, at the instant the request arrived (`at()`), so counters are exact at request time.
 */

export interface IfRow {
  ifIndex: number;
  descr: string;
  name: string;
  alias: string;
  /** IANAifType: 6 ethernetCsmacd, 24 softwareLoopback, 135 l2vlan. */
  type: number;
  mtu: number;
  speedBps: number;
  adminUp: boolean;
  operUp: boolean;
  /** sysUpTime (centiseconds) of the last oper status change. */
  lastChangeCs: number;
  counters: PortCounters;
  discontinuityCs: number;
}

/** One ENTITY-MIB entPhysicalEntry as the simulated agent serves it. */
export interface PhysicalRow {
  index: number;
  descr: string;
  /** PhysicalClass: 3 chassis, 9 module, 10 port. */
  class: number;
  name: string;
  hardwareRev: string;
  firmwareRev: string;
  softwareRev: string;
  serial: string;
  mfgName: string;
  modelName: string;
}

/** A device as its agent describes it; `t` is epoch ms. */
export interface DeviceView {
  readonly sysDescr: string;
  readonly sysObjectID: string;
  readonly sysName: string;
  /** Whether the device implements HOST-RESOURCES-MIB (hrSystemUptime). */
  readonly hostResources: boolean;
  uptimeCs(t: number): number;
  hostUptimeCs(t: number): number;
  ifIndexes(t: number): number[];
  has64(t: number): boolean;
  row(t: number, ifIndex: number): IfRow | null;
  /** ENTITY-MIB physical rows at t (a swapped CE has a new serial); absent: no ENTITY-MIB. Row indexes never change. */
  entities?(t: number): PhysicalRow[];
}

export const OID = {
  sysDescr: '1.3.6.1.2.1.1.1',
  sysObjectID: '1.3.6.1.2.1.1.2',
  sysUpTime: '1.3.6.1.2.1.1.3',
  sysName: '1.3.6.1.2.1.1.5',
  ifNumber: '1.3.6.1.2.1.2.1',
  ifEntry: '1.3.6.1.2.1.2.2.1',
  ifXEntry: '1.3.6.1.2.1.31.1.1.1',
  hrSystemUptime: '1.3.6.1.2.1.25.1.1',
  entPhysicalEntry: '1.3.6.1.2.1.47.1.1.1.1',
} as const;

const T = snmp.ObjectType;
const RO = snmp.MaxAccess['read-only'];
/** One column of ifTable or ifXTable: how a row's value is served (also by bench/support/get-fast-path.ts). */
export type Column = { number: number; name: string; type: number; value: (r: IfRow) => unknown };

const counter64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
};
const status = (up: boolean) => (up ? 1 : 2);

export const IF_COLUMNS: readonly Column[] = [
  { number: 1, name: 'ifIndex', type: T.Integer, value: (r) => r.ifIndex },
  { number: 2, name: 'ifDescr', type: T.OctetString, value: (r) => r.descr },
  { number: 3, name: 'ifType', type: T.Integer, value: (r) => r.type },
  { number: 4, name: 'ifMtu', type: T.Integer, value: (r) => r.mtu },
  { number: 5, name: 'ifSpeed', type: T.Gauge, value: (r) => Math.min(r.speedBps, 4_294_967_295) },
  { number: 7, name: 'ifAdminStatus', type: T.Integer, value: (r) => status(r.adminUp) },
  { number: 8, name: 'ifOperStatus', type: T.Integer, value: (r) => status(r.operUp) },
  { number: 9, name: 'ifLastChange', type: T.TimeTicks, value: (r) => r.lastChangeCs },
  { number: 10, name: 'ifInOctets', type: T.Counter, value: (r) => r.counters.in32 },
  { number: 13, name: 'ifInDiscards', type: T.Counter, value: (r) => r.counters.inDiscards % 4294967296 },
  { number: 14, name: 'ifInErrors', type: T.Counter, value: (r) => r.counters.inErrors % 4294967296 },
  { number: 16, name: 'ifOutOctets', type: T.Counter, value: (r) => r.counters.out32 },
  { number: 19, name: 'ifOutDiscards', type: T.Counter, value: (r) => r.counters.outDiscards % 4294967296 },
  { number: 20, name: 'ifOutErrors', type: T.Counter, value: (r) => r.counters.outErrors % 4294967296 },
];

export const HC_COLUMNS: ReadonlySet<number> = new Set([6, 10]);
export const IFX_COLUMNS: readonly Column[] = [
  { number: 1, name: 'ifName', type: T.OctetString, value: (r) => r.name },
  { number: 6, name: 'ifHCInOctets', type: T.Counter64, value: (r) => counter64(r.counters.in64) },
  { number: 10, name: 'ifHCOutOctets', type: T.Counter64, value: (r) => counter64(r.counters.out64) },
  { number: 15, name: 'ifHighSpeed', type: T.Gauge, value: (r) => Math.round(r.speedBps / 1e6) },
  { number: 18, name: 'ifAlias', type: T.OctetString, value: (r) => r.alias },
  { number: 19, name: 'ifCounterDiscontinuityTime', type: T.TimeTicks, value: (r) => r.discontinuityCs },
];

type PhysicalColumn = { number: number; name: string; type: number; value: (r: PhysicalRow) => unknown };
const ENTITY_COLUMNS: PhysicalColumn[] = [
  { number: 1, name: 'entPhysicalIndex', type: T.Integer, value: (r) => r.index },
  { number: 2, name: 'entPhysicalDescr', type: T.OctetString, value: (r) => r.descr },
  { number: 5, name: 'entPhysicalClass', type: T.Integer, value: (r) => r.class },
  { number: 7, name: 'entPhysicalName', type: T.OctetString, value: (r) => r.name },
  { number: 8, name: 'entPhysicalHardwareRev', type: T.OctetString, value: (r) => r.hardwareRev },
  { number: 9, name: 'entPhysicalFirmwareRev', type: T.OctetString, value: (r) => r.firmwareRev },
  { number: 10, name: 'entPhysicalSoftwareRev', type: T.OctetString, value: (r) => r.softwareRev },
  { number: 11, name: 'entPhysicalSerialNum', type: T.OctetString, value: (r) => r.serial },
  { number: 12, name: 'entPhysicalMfgName', type: T.OctetString, value: (r) => r.mfgName },
  { number: 13, name: 'entPhysicalModelName', type: T.OctetString, value: (r) => r.modelName },
];

const placeholder = (type: number): unknown =>
  type === T.OctetString ? '' : type === T.OID ? '0.0' : type === T.Counter64 ? counter64(0n) : 0;

interface MibRequest {
  oid: string;
  instanceNode: { value: unknown };
  done(error?: { errorStatus: number; type: number; value: null }): void;
}

/** The live MIB of one agent: hand `mib` to net-snmp, call `at(t)` before each request. */
export class LiveMib {
  readonly mib = snmp.createMib();
  private t = 0;
  private shapeKey = '';

  constructor(private readonly view: DeviceView) {
    const scalar = (name: string, oid: string, type: number, value: () => unknown) => {
      this.mib.registerProvider({
        name, oid, type: snmp.MibProviderType.Scalar, scalarType: type, maxAccess: RO,
        handler: (req: MibRequest) => {
          req.instanceNode.value = value();
          req.done();
        },
      });
      this.mib.setScalarValue(name, placeholder(type));
    };
    scalar('sysDescr', OID.sysDescr, T.OctetString, () => view.sysDescr);
    scalar('sysObjectID', OID.sysObjectID, T.OID, () => view.sysObjectID);
    scalar('sysUpTime', OID.sysUpTime, T.TimeTicks, () => view.uptimeCs(this.t) % 4294967296);
    scalar('sysName', OID.sysName, T.OctetString, () => view.sysName);
    scalar('ifNumber', OID.ifNumber, T.Integer, () => view.ifIndexes(this.t).length);
    if (view.hostResources)
      scalar('hrSystemUptime', OID.hrSystemUptime, T.TimeTicks, () => view.hostUptimeCs(this.t) % 4294967296);
    if (view.entities) this.registerEntities(view.entities.bind(view));
  }

  /** ENTITY-MIB entPhysicalTable: fixed rows, values read at the request instant. */
  private registerEntities(entities: (t: number) => PhysicalRow[]): void {
    const byNumber = new Map(ENTITY_COLUMNS.map((c) => [c.number, c]));
    this.mib.registerProvider({
      name: 'entPhysicalTable', oid: OID.entPhysicalEntry, type: snmp.MibProviderType.Table, maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: ENTITY_COLUMNS.map((c) => ({ number: c.number, name: c.name, type: c.type, maxAccess: RO })),
      tableIndex: [{ columnName: 'entPhysicalIndex' }],
      handler: (req: MibRequest) => {
        const parts = req.oid.split('.');
        const index = Number(parts[parts.length - 1]);
        const column = byNumber.get(Number(parts[parts.length - 2]));
        const row = entities(this.t).find((r) => r.index === index);
        if (!row || !column) {
          req.done({ errorStatus: snmp.ErrorStatus.NoError, type: T.NoSuchInstance, value: null });
          return;
        }
        req.instanceNode.value = column.value(row);
        req.done();
      },
    });
    for (const r of entities(0)) this.mib.addTableRow('entPhysicalTable', ENTITY_COLUMNS.map((c) => (c.number === 1 ? r.index : placeholder(c.type))));
  }

  /** Fixes the request instant and makes the table rows match the device at that instant. */
  at(t: number): void {
    this.t = t;
    const indexes = this.view.ifIndexes(t);
    const has64 = this.view.has64(t);
    const key = `${indexes.join(',')}|${has64}`;
    if (key === this.shapeKey) return;
    this.shapeKey = key;
    // Rows appear and vanish (ifIndex renumbering) and ifHC* columns come and go (no64):
    // rebuild both tables rather than patch them.
    for (const name of ['ifXTable', 'ifTable']) if (this.mib.getProvider(name)) this.mib.unregisterProvider(name);
    this.registerTable('ifTable', OID.ifEntry, IF_COLUMNS, [{ columnName: 'ifIndex' }]);
    const ifx = has64 ? IFX_COLUMNS : IFX_COLUMNS.filter((c) => !HC_COLUMNS.has(c.number));
    this.registerTable('ifXTable', OID.ifXEntry, ifx, [{ foreign: 'ifTable', columnName: 'ifIndex' }]);
    for (const i of indexes) {
      this.mib.addTableRow('ifTable', IF_COLUMNS.map((c) => (c.number === 1 ? i : placeholder(c.type))));
      this.mib.addTableRow('ifXTable', [i, ...ifx.map((c) => placeholder(c.type))]);
    }
  }

  private registerTable(name: string, oid: string, columns: readonly Column[], tableIndex: object[]): void {
    const byNumber = new Map(columns.map((c) => [c.number, c]));
    this.mib.registerProvider({
      name, oid, type: snmp.MibProviderType.Table, maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: columns.map((c) => ({ number: c.number, name: c.name, type: c.type, maxAccess: RO })),
      tableIndex,
      handler: (req: MibRequest) => {
        const parts = req.oid.split('.');
        const ifIndex = Number(parts[parts.length - 1]);
        const column = byNumber.get(Number(parts[parts.length - 2]));
        const row = this.view.row(this.t, ifIndex);
        if (!row || !column) {
          req.done({ errorStatus: snmp.ErrorStatus.NoError, type: T.NoSuchInstance, value: null });
          return;
        }
        req.instanceNode.value = column.value(row);
        req.done();
      },
    });
  }
}
