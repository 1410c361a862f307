import * as O from './oids.js';

/**
 * What one GET asks a port for, and where each answer sits in the reply. Layouts are built
 * once per (ifIndex, name column, kind) and shared by every device with that port, so a
 * cycle does not rebuild the same OID strings 100,000 times.
 *
 * The kind follows from what the port answered last time:
 * - `full`: everything, when nothing is known yet or 64-bit counters are missing.
 * - `hc`: 64-bit octet counters and ifHighSpeed answered last time, so the 32-bit octet
 *   counters and ifSpeed are left out (3 varbinds fewer per CE, 2 per head-end port). If the
 *   64-bit counters then go missing, the caller asks again with `full`.
 * - `v1`: SNMPv1 has no Counter64 and no per-varbind exceptions (one unknown OID fails the
 *   whole PDU), so only ifTable.
 * - `status` (CE port on the OOB path): uptime and the port's status, no counters.
 */
export type PortLayoutKind = 'full' | 'hc' | 'v1' | 'status';

export type CeField =
  | 'uptime' | 'name' | 'oper' | 'admin' | 'lastChange' | 'in32' | 'out32' | 'inErr' | 'outErr' | 'inDisc' | 'outDisc'
  | 'speed' | 'hrUptime' | 'hcIn' | 'hcOut' | 'highSpeed' | 'discontinuity';

export type HeadendField = 'name' | 'oper' | 'hcIn' | 'hcOut' | 'in32' | 'out32';

export interface PortLayout<F extends string> {
  readonly oids: readonly string[];
  /** Position of each field in `oids` (and in the reply), or -1 when this layout does not ask for it. */
  readonly at: Readonly<Record<F, number>>;
}

const CE_COLUMNS: Record<Exclude<CeField, 'uptime' | 'hrUptime' | 'name'>, string> = {
  oper: O.IF_OPER_STATUS, admin: O.IF_ADMIN_STATUS, lastChange: O.IF_LAST_CHANGE, in32: O.IF_IN_OCTETS, out32: O.IF_OUT_OCTETS,
  inErr: O.IF_IN_ERRORS, outErr: O.IF_OUT_ERRORS, inDisc: O.IF_IN_DISCARDS, outDisc: O.IF_OUT_DISCARDS, speed: O.IF_SPEED,
  hcIn: O.IF_HC_IN_OCTETS, hcOut: O.IF_HC_OUT_OCTETS, highSpeed: O.IF_HIGH_SPEED, discontinuity: O.IF_COUNTER_DISCONTINUITY_TIME,
};
const HEADEND_COLUMNS: Record<Exclude<HeadendField, 'name'>, string> = {
  oper: O.IF_OPER_STATUS, hcIn: O.IF_HC_IN_OCTETS, hcOut: O.IF_HC_OUT_OCTETS, in32: O.IF_IN_OCTETS, out32: O.IF_OUT_OCTETS,
};

const CE_FIELDS: Record<PortLayoutKind, readonly CeField[]> = {
  v1: ['uptime', 'name', 'oper', 'admin', 'lastChange', 'in32', 'out32', 'inErr', 'outErr', 'inDisc', 'outDisc', 'speed'],
  full: ['uptime', 'name', 'oper', 'admin', 'lastChange', 'in32', 'out32', 'inErr', 'outErr', 'inDisc', 'outDisc', 'speed', 'hrUptime', 'hcIn', 'hcOut', 'highSpeed', 'discontinuity'],
  hc: ['uptime', 'name', 'oper', 'admin', 'lastChange', 'inErr', 'outErr', 'inDisc', 'outDisc', 'hrUptime', 'hcIn', 'hcOut', 'highSpeed', 'discontinuity'],
  status: ['uptime', 'name', 'oper', 'admin'],
};
const HEADEND_FIELDS: Record<PortLayoutKind, readonly HeadendField[]> = {
  v1: ['name', 'oper', 'in32', 'out32'],
  full: ['name', 'oper', 'hcIn', 'hcOut', 'in32', 'out32'],
  hc: ['name', 'oper', 'hcIn', 'hcOut'],
  status: ['name', 'oper'],
};
const ALL_CE = CE_FIELDS.full;
const ALL_HEADEND = HEADEND_FIELDS.full;

function build<F extends string>(all: readonly F[], fields: readonly F[], oidOf: (f: F) => string): PortLayout<F> {
  const at = Object.fromEntries(all.map((f) => [f, fields.indexOf(f)])) as Record<F, number>;
  return { oids: fields.map(oidOf), at };
}

/**
 * Layouts are memoized by kind, name column and ifIndex (numbers as keys: no key string to build
 * and hash on every poll). Past this many entries in one memo (a fleet of unusually varied
 * ifIndexes) it starts over.
 */
const MAX_LAYOUTS = 20_000;
/** By kind, then name column (one of two constant strings), then ifIndex. */
type LayoutMemo<L> = Record<PortLayoutKind, Map<string, Map<number, L>>>;
const newMemo = <L>(): LayoutMemo<L> => ({ v1: new Map(), full: new Map(), hc: new Map(), status: new Map() });
const ceLayouts = newMemo<PortLayout<CeField>>();
const headendLayouts = newMemo<PortLayout<HeadendField>>();

function memoized<L>(memo: LayoutMemo<L>, kind: PortLayoutKind, nameColumn: string, ifIndex: number, make: () => L): L {
  let byIndex = memo[kind].get(nameColumn);
  if (!byIndex) {
    byIndex = new Map();
    memo[kind].set(nameColumn, byIndex);
  }
  let layout = byIndex.get(ifIndex);
  if (!layout) {
    if (byIndex.size >= MAX_LAYOUTS) byIndex.clear();
    layout = make();
    byIndex.set(ifIndex, layout);
  }
  return layout;
}

/** The varbinds of a CE (or OOB-path) port, in one PDU with sysUpTime. */
export function cePortLayout(ifIndex: number, nameColumn: string, kind: PortLayoutKind): PortLayout<CeField> {
  return memoized(ceLayouts, kind, nameColumn, ifIndex, () =>
    build(ALL_CE, CE_FIELDS[kind], (f) =>
      f === 'uptime' ? O.SYS_UPTIME : f === 'hrUptime' ? O.HR_SYSTEM_UPTIME : f === 'name' ? O.col(nameColumn, ifIndex) : O.col(CE_COLUMNS[f], ifIndex),
    ),
  );
}

/** The varbinds of one circuit's port on a head-end router; several ports share a PDU behind one sysUpTime. */
export function headendPortLayout(ifIndex: number, nameColumn: string, kind: PortLayoutKind): PortLayout<HeadendField> {
  return memoized(headendLayouts, kind, nameColumn, ifIndex, () =>
    build(ALL_HEADEND, HEADEND_FIELDS[kind], (f) => (f === 'name' ? O.col(nameColumn, ifIndex) : O.col(HEADEND_COLUMNS[f], ifIndex))),
  );
}

/** The layout for the next poll of a port, from what its last reading held. */
export function nextLayoutKind(version1: boolean, last: { hcIn: bigint | null; hcOut: bigint | null; highSpeedMbps?: number | null } | null, needsSpeed: boolean): PortLayoutKind {
  if (version1) return 'v1';
  if (!last || last.hcIn === null || last.hcOut === null) return 'full';
  // ifSpeed is the fallback line speed when ifHighSpeed is absent or 0: keep asking for it then.
  if (needsSpeed && !(last.highSpeedMbps && last.highSpeedMbps > 0)) return 'full';
  return 'hc';
}
