import type { TermParams } from '../core/terms.js';
import type { SiteId } from '../core/inventory.js';
import { findInterface, interfaceLabel, type DeviceFacts, type InterfaceFacts, type SectionsRead } from './device-facts.js';

export const CHANGE_KINDS = [
  'device-replaced', 'software-upgraded', 'interface-added', 'interface-removed', 'interface-renamed', 'alias-changed', 'handoff-unresolved',
] as const;
export type InventoryChangeKind = (typeof CHANGE_KINDS)[number];

/** One dated inventory event with what was there before and what is there now. */
export interface InventoryChange {
  at: number;
  deviceId: string;
  siteId: SiteId | null;
  kind: InventoryChangeKind;
  /** What changed: "chassis", "ifIndex 5", a configured interface name. */
  subject: string;
  before: unknown;
  after: unknown;
  /** One sentence for the site page, the log and the alert. */
  detail: string;
}

/** A replacement as evidence parameters (core/terms.ts renders them per language). */
export function replacementParams(c: InventoryChange): TermParams {
  type Unit = { serial?: string | null; model?: string | null } | null;
  const b = c.before as Unit;
  const a = c.after as Unit;
  return { fromModel: b?.model ?? null, fromSerial: b?.serial ?? null, toModel: a?.model ?? null, toSerial: a?.serial ?? null };
}

/** Changes that someone must hear of at once (an alert), not only read in the history. */
export const ALERTING_CHANGES: ReadonlySet<InventoryChangeKind> = new Set(['device-replaced', 'software-upgraded', 'handoff-unresolved']);

export interface DiffContext {
  at: number;
  deviceId: string;
  siteId: SiteId | null;
  /** Interface names the inventory configures on this device. */
  configuredNames: readonly string[];
}

/**
 * What changed between two discoveries of a device. Pure. The first discovery is the baseline
 * (no changes); a section not read this time (the agent failed it) is not compared, so a
 * half-answered walk never reads as interfaces removed or a device replaced.
 */
export function diffFacts(before: DeviceFacts | null, after: DeviceFacts, read: SectionsRead, ctx: DiffContext): InventoryChange[] {
  if (!before) return [];
  const out: InventoryChange[] = [];
  const change = (kind: InventoryChangeKind, subject: string, was: unknown, now: unknown, detail: string) =>
    out.push({ at: ctx.at, deviceId: ctx.deviceId, siteId: ctx.siteId, kind, subject, before: was, after: now, detail });
  const b = before.summary;
  const a = after.summary;
  let replaced = false;
  if (read.entities || read.system) {
    const serialChanged = b.serial !== null && a.serial !== null && b.serial !== a.serial;
    const modelChanged = b.model !== null && a.model !== null && b.model !== a.model;
    if (serialChanged || modelChanged) {
      replaced = true;
      change('device-replaced', 'chassis', { serial: b.serial, model: b.model }, { serial: a.serial, model: a.model },
        `device replaced: ${b.model ?? '?'} serial ${b.serial ?? '?'} → ${a.model ?? '?'} serial ${a.serial ?? '?'}`);
    }
    if (!replaced && b.software !== null && a.software !== null && b.software !== a.software)
      change('software-upgraded', 'software', b.software, a.software, `software changed: ${b.software} → ${a.software}`);
  }
  if (read.interfaces && before.interfaces && after.interfaces) diffInterfaces(before.interfaces, after.interfaces, change);
  if (read.interfaces && after.interfaces) {
    for (const name of ctx.configuredNames) {
      const was = before.interfaces ? findInterface(before.interfaces, name) : null;
      const now = findInterface(after.interfaces, name);
      if (was && !now)
        change('handoff-unresolved', name, { ifIndex: was.row.ifIndex, matchedBy: was.matchedBy, label: interfaceLabel(was.row) }, null,
          `CONFIGURED PORT "${name}" NO LONGER RESOLVES: it was ifIndex ${was.row.ifIndex} (${interfaceLabel(was.row)}); polling of this port has stopped until the inventory or the device is fixed`);
    }
  }
  return out;
}

type Emit = (kind: InventoryChangeKind, subject: string, before: unknown, after: unknown, detail: string) => void;

function diffInterfaces(before: readonly InterfaceFacts[], after: readonly InterfaceFacts[], change: Emit): void {
  const byIndex = (rows: readonly InterfaceFacts[]) => new Map(rows.map((r) => [r.ifIndex, r]));
  const was = byIndex(before);
  const now = byIndex(after);
  const labelsBefore = new Set(before.map(interfaceLabel));
  const labelsAfter = new Set(after.map(interfaceLabel));
  for (const [i, n] of now) {
    const w = was.get(i);
    if (!w) {
      // The same name under a new index is a renumbering (the collector follows it), not a new port.
      if (!labelsBefore.has(interfaceLabel(n))) change('interface-added', `ifIndex ${i}`, null, interfaceLabel(n), `interface added: ${interfaceLabel(n)} (ifIndex ${i})`);
      continue;
    }
    if (interfaceLabel(w) !== interfaceLabel(n))
      change('interface-renamed', `ifIndex ${i}`, interfaceLabel(w), interfaceLabel(n), `interface renamed: ${interfaceLabel(w)} → ${interfaceLabel(n)} (ifIndex ${i})`);
    if ((w.ifAlias ?? '') !== (n.ifAlias ?? ''))
      change('alias-changed', interfaceLabel(n), w.ifAlias, n.ifAlias, `ifAlias of ${interfaceLabel(n)} changed: "${w.ifAlias ?? ''}" → "${n.ifAlias ?? ''}"`);
  }
  for (const [i, w] of was)
    if (!now.has(i) && !labelsAfter.has(interfaceLabel(w)))
      change('interface-removed', `ifIndex ${i}`, interfaceLabel(w), null, `interface removed: ${interfaceLabel(w)} (ifIndex ${i})`);
}
