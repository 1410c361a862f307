import { IF_STATUS_BY_CODE, type IfStatus } from '../core/sample.js';
import { interfaceName } from '../collector/if-index-resolver.js';
import type { SessionPool } from '../collector/session-pool.js';
import { SnmpRequestError, type SnmpValue } from '../collector/snmp-session.js';
import {
  PHYSICAL_CLASS, summarize, type DeviceFacts, type DeviceTarget, type Discovery, type EntityRow, type InterfaceFacts, type SystemFacts,
} from './device-facts.js';
import { identifyVendor } from './vendors.js';
import { discoveryGapLine as line, type DiscoverySection } from '../core/inventory-terms.js';

/** SNMPv2-MIB system group scalars. */
const SYSTEM = {
  sysDescr: '1.3.6.1.2.1.1.1.0', sysObjectId: '1.3.6.1.2.1.1.2.0', uptime: '1.3.6.1.2.1.1.3.0',
  sysContact: '1.3.6.1.2.1.1.4.0', sysName: '1.3.6.1.2.1.1.5.0', sysLocation: '1.3.6.1.2.1.1.6.0',
} as const;

/** ENTITY-MIB entPhysicalEntry columns discovery reads. */
const ENTITY_COLUMNS = {
  descr: '1.3.6.1.2.1.47.1.1.1.1.2', class: '1.3.6.1.2.1.47.1.1.1.1.5', name: '1.3.6.1.2.1.47.1.1.1.1.7',
  hardwareRev: '1.3.6.1.2.1.47.1.1.1.1.8', firmwareRev: '1.3.6.1.2.1.47.1.1.1.1.9', softwareRev: '1.3.6.1.2.1.47.1.1.1.1.10',
  serial: '1.3.6.1.2.1.47.1.1.1.1.11', mfgName: '1.3.6.1.2.1.47.1.1.1.1.12', modelName: '1.3.6.1.2.1.47.1.1.1.1.13',
} as const;

/** IF-MIB columns (ifTable, ifXTable) discovery reads. */
const IF_COLUMNS = {
  ifDescr: '1.3.6.1.2.1.2.2.1.2', ifType: '1.3.6.1.2.1.2.2.1.3', speedBps: '1.3.6.1.2.1.2.2.1.5', physAddress: '1.3.6.1.2.1.2.2.1.6',
  admin: '1.3.6.1.2.1.2.2.1.7', oper: '1.3.6.1.2.1.2.2.1.8', ifName: '1.3.6.1.2.1.31.1.1.1.1', highSpeedMbps: '1.3.6.1.2.1.31.1.1.1.15',
  ifAlias: '1.3.6.1.2.1.31.1.1.1.18',
} as const;

export interface WalkOptions {
  /** GETBULK max-repetitions per request: more rows per round trip on big tables. */
  maxRepetitions: number;
  now: () => number;
}

const describe = (err: unknown) => (err instanceof SnmpRequestError ? err.failure : err instanceof Error ? err.message : String(err));

/** Cells of one column by row index; values of the wrong type are counted, not kept. */
interface Column<T> {
  byIndex: Map<number, T>;
  wrongType: number;
}

function column<T>(rows: readonly SnmpValue[], base: string, decode: (v: SnmpValue) => T | undefined): Column<T> {
  const byIndex = new Map<number, T>();
  let wrongType = 0;
  for (const r of rows) {
    if (!r.oid.startsWith(base + '.')) continue;
    const index = Number(r.oid.slice(base.length + 1));
    if (!Number.isInteger(index) || index < 0) {
      wrongType++;
      continue;
    }
    if (r.missing) continue;
    const v = decode(r);
    if (v === undefined) wrongType++;
    else byIndex.set(index, v);
  }
  return { byIndex, wrongType };
}

const text = (v: SnmpValue): string | undefined => (typeof v.value === 'string' ? interfaceName(v.value) : undefined);
const int = (v: SnmpValue): number | undefined => (typeof v.value === 'number' && Number.isFinite(v.value) ? v.value : undefined);
const status = (v: SnmpValue): IfStatus | undefined => {
  const n = int(v);
  return n === undefined ? undefined : (IF_STATUS_BY_CODE[n] ?? 'unknown');
};
const oidText = (v: SnmpValue): string | undefined => (typeof v.value === 'string' && /^\.?\d+(\.\d+)+$/.test(v.value) ? v.value.replace(/^\./, '') : undefined);

type Section<T> = { ok: true; value: T; gaps: string[] } | { ok: false; gaps: string[] };

async function readSystem(pool: SessionPool, t: DeviceTarget): Promise<Section<SystemFacts>> {
  let values: SnmpValue[];
  try {
    values = await pool.request(t.endpoint, (s) => s.get(Object.values(SYSTEM)));
  } catch (err) {
    return { ok: false, gaps: [line({ code: 'no-answer', section: 'system', failure: describe(err) })] };
  }
  const at = (oid: string) => values.find((v) => v.oid === oid);
  const str = (oid: string) => {
    const v = at(oid);
    return v && !v.missing ? (text(v) ?? null) : null;
  };
  const objectId = at(SYSTEM.sysObjectId);
  const sysObjectId = objectId && !objectId.missing ? (oidText(objectId) ?? null) : null;
  const uptime = at(SYSTEM.uptime);
  const gaps: string[] = [];
  if (objectId && !objectId.missing && sysObjectId === null) gaps.push(line({ code: 'bad-object-id', value: String(objectId.value).slice(0, 40) }));
  if (sysObjectId === null && (!objectId || objectId.missing)) gaps.push(line({ code: 'no-object-id' }));
  return {
    ok: true,
    gaps,
    value: {
      sysDescr: str(SYSTEM.sysDescr), sysObjectId, sysName: str(SYSTEM.sysName), sysLocation: str(SYSTEM.sysLocation), sysContact: str(SYSTEM.sysContact),
      uptimeSec: uptime && !uptime.missing && typeof uptime.value === 'number' ? uptime.value / 100 : null,
    },
  };
}

/** Walks some columns, one request each (so another device's walk can run between them). */
async function walkColumns<K extends string>(pool: SessionPool, t: DeviceTarget, columns: Record<K, string>, opts: WalkOptions, hex: ReadonlySet<K> = new Set()): Promise<{ ok: true; rows: Record<K, SnmpValue[]> } | { ok: false; error: string; column: K }> {
  const out = {} as Record<K, SnmpValue[]>;
  for (const [key, oid] of Object.entries(columns) as [K, string][]) {
    try {
      out[key] = await pool.request(t.endpoint, (s) => s.walk(oid, { maxRepetitions: opts.maxRepetitions, octetsAsHex: hex.has(key) }));
    } catch (err) {
      return { ok: false, error: describe(err), column: key };
    }
  }
  return { ok: true, rows: out };
}

function wrongTypes(section: DiscoverySection, cols: Record<string, Column<unknown>>): string[] {
  const bad = Object.entries(cols).filter(([, c]) => c.wrongType > 0);
  return bad.length ? [line({ code: 'wrong-type', section, count: bad.reduce((n, [, c]) => n + c.wrongType, 0), columns: bad.map(([k]) => k).join(', ') })] : [];
}

async function readEntities(pool: SessionPool, t: DeviceTarget, opts: WalkOptions): Promise<Section<EntityRow[]>> {
  const walked = await walkColumns(pool, t, ENTITY_COLUMNS, opts);
  if (!walked.ok) return { ok: false, gaps: [line({ code: 'walk-failed', section: 'entities', failure: walked.error, column: walked.column })] };
  const r = walked.rows;
  const cols = {
    descr: column(r.descr, ENTITY_COLUMNS.descr, text), class: column(r.class, ENTITY_COLUMNS.class, int), name: column(r.name, ENTITY_COLUMNS.name, text),
    hardwareRev: column(r.hardwareRev, ENTITY_COLUMNS.hardwareRev, text), firmwareRev: column(r.firmwareRev, ENTITY_COLUMNS.firmwareRev, text),
    softwareRev: column(r.softwareRev, ENTITY_COLUMNS.softwareRev, text), serial: column(r.serial, ENTITY_COLUMNS.serial, text),
    mfgName: column(r.mfgName, ENTITY_COLUMNS.mfgName, text), modelName: column(r.modelName, ENTITY_COLUMNS.modelName, text),
  };
  const indexes = [...new Set(Object.values(cols).flatMap((c) => [...c.byIndex.keys()]))].sort((a, b) => a - b);
  if (indexes.length === 0) return { ok: false, gaps: [line({ code: 'empty-table', section: 'entities' }), ...wrongTypes('entities', cols)] };
  const s = (c: Column<string>, i: number) => c.byIndex.get(i)?.trim() || null;
  const rows = indexes.map((i): EntityRow => {
    const cls = cols.class.byIndex.get(i);
    return {
      index: i, descr: s(cols.descr, i), class: cls === undefined ? null : (PHYSICAL_CLASS[cls] ?? `class ${cls}`), name: s(cols.name, i),
      hardwareRev: s(cols.hardwareRev, i), firmwareRev: s(cols.firmwareRev, i), softwareRev: s(cols.softwareRev, i), serial: s(cols.serial, i),
      mfgName: s(cols.mfgName, i), modelName: s(cols.modelName, i),
    };
  });
  return { ok: true, value: rows, gaps: wrongTypes('entities', cols) };
}

async function readInterfaces(pool: SessionPool, t: DeviceTarget, opts: WalkOptions): Promise<Section<InterfaceFacts[]>> {
  const walked = await walkColumns<keyof typeof IF_COLUMNS>(pool, t, IF_COLUMNS, opts, new Set(['physAddress']));
  if (!walked.ok) return { ok: false, gaps: [line({ code: 'walk-failed', section: 'interfaces', failure: walked.error, column: walked.column })] };
  const r = walked.rows;
  const cols = {
    ifDescr: column(r.ifDescr, IF_COLUMNS.ifDescr, text), ifType: column(r.ifType, IF_COLUMNS.ifType, int), speedBps: column(r.speedBps, IF_COLUMNS.speedBps, int),
    physAddress: column(r.physAddress, IF_COLUMNS.physAddress, text), admin: column(r.admin, IF_COLUMNS.admin, status), oper: column(r.oper, IF_COLUMNS.oper, status),
    ifName: column(r.ifName, IF_COLUMNS.ifName, text), highSpeedMbps: column(r.highSpeedMbps, IF_COLUMNS.highSpeedMbps, int), ifAlias: column(r.ifAlias, IF_COLUMNS.ifAlias, text),
  };
  const indexes = [...new Set([...cols.ifDescr.byIndex.keys(), ...cols.ifType.byIndex.keys(), ...cols.ifName.byIndex.keys()])].sort((a, b) => a - b);
  if (indexes.length === 0) return { ok: false, gaps: [line({ code: 'empty-table', section: 'interfaces' }), ...wrongTypes('interfaces', cols)] };
  const rows = indexes.map((i): InterfaceFacts => ({
    ifIndex: i, ifName: cols.ifName.byIndex.get(i) ?? null, ifDescr: cols.ifDescr.byIndex.get(i) ?? null, ifAlias: cols.ifAlias.byIndex.get(i) ?? null,
    ifType: cols.ifType.byIndex.get(i) ?? null, speedBps: cols.speedBps.byIndex.get(i) ?? null, highSpeedMbps: cols.highSpeedMbps.byIndex.get(i) ?? null,
    physAddress: cols.physAddress.byIndex.get(i) || null, admin: cols.admin.byIndex.get(i) ?? null, oper: cols.oper.byIndex.get(i) ?? null,
  }));
  return { ok: true, value: rows, gaps: wrongTypes('interfaces', cols) };
}

/**
 * Discovers one device: the system group (one GET), then ENTITY-MIB and the interface table
 * (GETBULK walks of only the columns needed). A section that fails or comes back empty keeps
 * the previous discovery's value and is named in `gaps`; nothing here throws.
 */
export async function discoverDevice(pool: SessionPool, target: DeviceTarget, previous: DeviceFacts | null, opts: WalkOptions): Promise<Discovery> {
  const at = opts.now();
  const system = await readSystem(pool, target);
  // A device that does not answer its system group will not answer walks either: do not spend the budget on timeouts.
  const entities = system.ok ? await readEntities(pool, target, opts) : ({ ok: false, gaps: [] } as const);
  const interfaces = system.ok ? await readInterfaces(pool, target, opts) : ({ ok: false, gaps: [] } as const);
  const sys = system.ok ? system.value : (previous?.system ?? null);
  const identity = system.ok && sys?.sysObjectId ? identifyVendor(sys.sysObjectId) : (previous?.identity ?? null);
  const ents = entities.ok ? entities.value : (previous?.entities ?? null);
  const facts: DeviceFacts = {
    system: sys,
    identity,
    entities: ents,
    interfaces: interfaces.ok ? interfaces.value : (previous?.interfaces ?? null),
    summary: summarize(sys, identity, ents),
  };
  return {
    deviceId: target.id,
    at,
    facts,
    read: { system: system.ok, entities: entities.ok, interfaces: interfaces.ok },
    gaps: [...system.gaps, ...entities.gaps, ...interfaces.gaps],
  };
}
