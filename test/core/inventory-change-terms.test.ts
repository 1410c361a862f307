import { describe, expect, it } from 'vitest';
import { INVENTORY_CHANGE_TEMPLATES, inventoryChangeParts, inventoryChangeText } from '../../core/inventory-change-terms.js';
import { INVENTORY_CHANGE_TERMS } from '../../core/inventory-terms.js';
import { summarize, type DeviceFacts, type InterfaceFacts } from '../../inventory/device-facts.js';
import { CHANGE_KINDS, diffFacts, type InventoryChange } from '../../inventory/inventory-diff.js';
import { englishInZh } from '../support/zh-text.js';

const HAN = /\p{Script=Han}/u;
const iface = (ifIndex: number, ifName: string, ifAlias: string | null = null): InterfaceFacts => ({
  ifIndex, ifName, ifDescr: ifName, ifAlias, ifType: 6, speedBps: null, highSpeedMbps: null, physAddress: null, admin: 'up', oper: 'up',
});
const facts = (serial: string, model: string, software: string, interfaces: InterfaceFacts[]): DeviceFacts => {
  const entities = [{ index: 1, descr: null, class: 'chassis', name: null, hardwareRev: null, firmwareRev: null, softwareRev: software, serial, mfgName: null, modelName: model }];
  return { system: null, identity: null, entities, interfaces, summary: summarize(null, null, entities) };
};
const ALL = { system: true, entities: true, interfaces: true };
const ctx = { at: 1000, deviceId: 'ce:S1', siteId: 'S1', configuredNames: ['GE0/0/1'] };
const base = [iface(1, 'GE0/0/1', 'WAN'), iface(2, 'GE0/0/2', 'LAN'), iface(3, 'GE0/0/3')];
/** The change records the diff really stores, one discovery pair per kind. */
const change = (b: DeviceFacts, a: DeviceFacts): InventoryChange => {
  const out = diffFacts(b, a, ALL, ctx);
  expect(out).toHaveLength(1);
  return out[0]!;
};
const v1 = facts('SN-A1', 'NE40E', 'V800R011', base);

/** Per kind: the record, and what each language shows (the kind's word is shown beside it). */
const CASES: [string, InventoryChange, string, string][] = [
  ['device-replaced', change(v1, facts('SN-B2', 'NE40E-X8', 'V800R011', base)), 'NE40E（序列号 SN-A1）→ NE40E-X8（序列号 SN-B2）', 'NE40E (serial SN-A1) → NE40E-X8 (serial SN-B2)'],
  ['software-upgraded', change(v1, facts('SN-A1', 'NE40E', 'V800R012', base)), 'V800R011 → V800R012', 'V800R011 → V800R012'],
  ['interface-added', change(v1, facts('SN-A1', 'NE40E', 'V800R011', [...base, iface(4, 'GE0/0/4')])), 'GE0/0/4（ifIndex 4）', 'GE0/0/4 (ifIndex 4)'],
  ['interface-removed', change(v1, facts('SN-A1', 'NE40E', 'V800R011', base.slice(0, 2))), 'GE0/0/3（ifIndex 3）', 'GE0/0/3 (ifIndex 3)'],
  ['interface-renamed', change(v1, facts('SN-A1', 'NE40E', 'V800R011', [base[0]!, base[1]!, iface(3, 'XGE0/0/3')])), 'GE0/0/3 → XGE0/0/3（ifIndex 3）', 'GE0/0/3 → XGE0/0/3 (ifIndex 3)'],
  ['alias-changed', change(v1, facts('SN-A1', 'NE40E', 'V800R011', [base[0]!, iface(2, 'GE0/0/2', 'LAN to office'), base[2]!])), 'GE0/0/2：“LAN” → “LAN to office”', 'GE0/0/2: "LAN" → "LAN to office"'],
  [
    'handoff-unresolved',
    diffFacts(v1, facts('SN-A1', 'NE40E', 'V800R011', [iface(1, 'GE0/0/9', 'WAN'), base[1]!, base[2]!]), ALL, ctx).find((c) => c.kind === 'handoff-unresolved')!,
    '配置的端口 GE0/0/1 原为 ifIndex 1（GE0/0/1），现已无法解析；在修正清单或设备之前，此端口停止轮询',
    'Configured port GE0/0/1 was ifIndex 1 (GE0/0/1) and no longer resolves; polling of this port has stopped until the inventory or the device is fixed',
  ],
];

describe('a device change in words', () => {
  it('covers every change kind, each with a word and a template in both languages', () => {
    expect(CASES.map(([k]) => k).sort()).toEqual([...CHANGE_KINDS].sort());
    expect(Object.keys(INVENTORY_CHANGE_TEMPLATES).sort()).toEqual([...CHANGE_KINDS].sort());
    for (const k of CHANGE_KINDS) expect(INVENTORY_CHANGE_TERMS[k], k).toBeDefined();
  });

  it.each(CASES)('%s: rendered from kind, subject and before/after; device values are data', (kind, c, zh, en) => {
    expect(c.kind).toBe(kind);
    expect(inventoryChangeText(c, 'zh-CN')).toBe(zh);
    expect(inventoryChangeText(c, 'en')).toBe(en);
    expect(inventoryChangeText(c, 'en')).not.toMatch(HAN);
    // Outside the device's own values the zh-CN text has no English.
    const words = inventoryChangeParts(c, 'zh-CN').filter((p) => !p.data).map((p) => p.text).join('');
    expect(englishInZh(words), kind).toEqual([]);
  });

  it('marks the device values as data and shows an unknown kind as stored', () => {
    const parts = inventoryChangeParts(CASES[4]![1], 'zh-CN');
    expect(parts.filter((p) => p.data).map((p) => p.text)).toEqual(['GE0/0/3', 'XGE0/0/3']);
    expect(inventoryChangeParts({ kind: 'psu-swapped', subject: 'PSU1', before: null, after: null }, 'zh-CN')).toEqual([{ text: 'psu-swapped PSU1', data: true }]);
  });
});
