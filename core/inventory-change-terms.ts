import type { Locale, Term } from './terms.js';
import { fillParts, partsText, type TextPart } from './text-parts.js';

/**
 * One device change (inventory/inventory-diff.ts) in the console's language, rendered from
 * what the change record stores: its kind, subject and before/after. Interface names, aliases,
 * models, serials and versions are the device's own text: data parts (translate="no").
 * The stored English `detail` stays for the log and the alert.
 */
export interface ChangeRecord {
  kind: string;
  subject: string;
  before: unknown;
  after: unknown;
}

const t = (zh: string, en: string): Term => ({ 'zh-CN': zh, en });

/** The change's details; the pages show the kind's word (INVENTORY_CHANGE_TERMS) beside them, so no kind word here. */
export const INVENTORY_CHANGE_TEMPLATES: Readonly<Record<string, Term>> = {
  'device-replaced': t('{fromModel}（序列号 {fromSerial}）→ {toModel}（序列号 {toSerial}）', '{fromModel} (serial {fromSerial}) → {toModel} (serial {toSerial})'),
  'software-upgraded': t('{from} → {to}', '{from} → {to}'),
  'interface-added': t('{name}（ifIndex {index}）', '{name} (ifIndex {index})'),
  'interface-removed': t('{name}（ifIndex {index}）', '{name} (ifIndex {index})'),
  'interface-renamed': t('{from} → {to}（ifIndex {index}）', '{from} → {to} (ifIndex {index})'),
  'alias-changed': t('{name}：“{from}” → “{to}”', '{name}: "{from}" → "{to}"'),
  'handoff-unresolved': t(
    '配置的端口 {name} 原为 ifIndex {index}（{label}），现已无法解析；在修正清单或设备之前，此端口停止轮询',
    'Configured port {name} was ifIndex {index} ({label}) and no longer resolves; polling of this port has stopped until the inventory or the device is fixed',
  ),
};

const DATA = ['fromModel', 'fromSerial', 'toModel', 'toSerial', 'from', 'to', 'name', 'label'];
const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const field = (v: unknown, k: string): unknown => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined);
const orQ = (v: unknown): string => str(v) || '?';
/** "ifIndex 5" → "5" (the subject of an interface change); anything else as stored. */
const indexOf = (subject: string): string => /^ifIndex (\d+)$/.exec(subject)?.[1] ?? subject;

function params(c: ChangeRecord): Record<string, string> {
  switch (c.kind) {
    case 'device-replaced':
      return { fromModel: orQ(field(c.before, 'model')), fromSerial: orQ(field(c.before, 'serial')), toModel: orQ(field(c.after, 'model')), toSerial: orQ(field(c.after, 'serial')) };
    case 'software-upgraded': return { from: orQ(c.before), to: orQ(c.after) };
    case 'interface-added': return { name: orQ(c.after), index: indexOf(c.subject) };
    case 'interface-removed': return { name: orQ(c.before), index: indexOf(c.subject) };
    case 'interface-renamed': return { from: orQ(c.before), to: orQ(c.after), index: indexOf(c.subject) };
    case 'alias-changed': return { name: c.subject, from: str(c.before), to: str(c.after) };
    case 'handoff-unresolved': return { name: c.subject, index: orQ(field(c.before, 'ifIndex')), label: orQ(field(c.before, 'label')) };
    default: return {};
  }
}

/** A change in parts; a kind this table does not know shows its subject as data. */
export function inventoryChangeParts(c: ChangeRecord, l: Locale): TextPart[] {
  const template = INVENTORY_CHANGE_TEMPLATES[c.kind];
  if (!template) return [{ text: `${c.kind} ${c.subject}`, data: true }];
  return fillParts(template[l], params(c), DATA);
}

export const inventoryChangeText = (c: ChangeRecord, l: Locale): string => partsText(inventoryChangeParts(c, l));
