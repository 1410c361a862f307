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

/** One entry per polled port and kind; past this many (a fleet of unusually varied ifIndexes) the memo starts over. */
const MAX_LAYOUTS = 20_000;
const ceLayouts = new Map<string, PortLayout<CeField>>();
const headendLayouts = new Map<string, PortLayout<HeadendField>>();
function remember<L>(memo: Map<string, L>, key: string, layout: L): L {
  if (memo.size >= MAX_LAYOUTS) memo.clear();
  memo.set(key, layout);
  return layout;
}

/** The varbinds of a CE (or OOB-path) port, in one PDU with sysUpTime. */
export function cePortLayout(ifIndex: number, nameColumn: string, kind: PortLayoutKind): PortLayout<CeField> {
  const key = `${kind}/${nameColumn}/${ifIndex}`;
  let layout = ceLayouts.get(key);
  if (!layout) {
    layout = remember(ceLayouts, key, build(ALL_CE, CE_FIELDS[kind], (f) =>
      f === 'uptime' ? O.SYS_UPTIME : f === 'hrUptime' ? O.HR_SYSTEM_UPTIME : f === 'name' ? O.col(nameColumn, ifIndex) : O.col(CE_COLUMNS[f], ifIndex),
    ));
  }
  return layout;
}

/** The varbinds of one circuit's port on a head-end router; several ports share a PDU behind one sysUpTime. */
export function headendPortLayout(ifIndex: number, nameColumn: string, kind: PortLayoutKind): PortLayout<HeadendField> {
  const key = `${kind}/${nameColumn}/${ifIndex}`;
  let layout = headendLayouts.get(key);
  if (!layout) {
    layout = remember(headendLayouts, key, build(ALL_HEADEND, HEADEND_FIELDS[kind], (f) => (f === 'name' ? O.col(nameColumn, ifIndex) : O.col(HEADEND_COLUMNS[f], ifIndex))));
  }
  return layout;
}

/** The layout for the next poll of a port, from what its last reading held. */
export function nextLayoutKind(version1: boolean, last: { hcIn: bigint | null; hcOut: bigint | null; highSpeedMbps?: number | null } | null, needsSpeed: boolean): PortLayoutKind {
  if (version1) return 'v1';
  if (!last || last.hcIn === null || last.hcOut === null) return 'full';
  // ifSpeed is the fallback line speed when ifHighSpeed is absent or 0: keep asking for it then.
  if (needsSpeed && !(last.highSpeedMbps && last.highSpeedMbps > 0)) return 'full';
  return 'hc';
}
