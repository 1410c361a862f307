import { describe, expect, it } from 'vitest';
import { ALL_COLUMNS } from '../../config/site-row.js';
import {
  DEVICE_FACT_TERMS, DEVICE_ROLE_TERMS, INVENTORY_CHANGE_TERMS, deviceFactValue, deviceRoleLabel, discoveryGap, discoveryGapLabel, discoveryGapLine, PHYSICAL_CLASS_TERMS,
  SITE_COLUMN_TERMS, SITE_COLUMNS, siteColumnLabel, type DiscoveryGap,
} from '../../core/inventory-terms.js';
import { PHYSICAL_CLASS } from '../../inventory/device-facts.js';
import { CHANGE_KINDS } from '../../inventory/inventory-diff.js';
import { englishInZh } from '../support/zh-text.js';

const HAN = /\p{Script=Han}/u;

describe('the inventory vocabulary', () => {
  it('has a zh-CN and an English label for every column of sites.csv, and no other', () => {
    expect(Object.keys(SITE_COLUMN_TERMS).sort()).toEqual([...ALL_COLUMNS].sort());
    for (const [c, term] of Object.entries(SITE_COLUMN_TERMS)) {
      expect(term['zh-CN'], c).toMatch(HAN);
      expect(englishInZh(term['zh-CN']), c).toEqual([]);
      expect(term.en, c).not.toMatch(HAN);
    }
    expect(SITE_COLUMNS).not.toContain('site_id');
    expect(siteColumnLabel('ce_wan_if', 'zh-CN')).toBe('CE WAN 接口');
    expect(siteColumnLabel('ce_wan_if', 'en')).toBe('CE WAN interface');
    expect(siteColumnLabel('new_column', 'zh-CN')).toBe('new_column');
  });

  it('names every device role, entity class and device field in both languages', () => {
    expect(Object.keys(DEVICE_ROLE_TERMS).sort()).toEqual(['ce', 'cpe', 'headend', 'oob']);
    expect(deviceRoleLabel('headend', 'zh-CN')).toBe('头端设备');
    expect(deviceRoleLabel('headend', 'en')).toBe('Head-end');
    expect(deviceRoleLabel(null, 'zh-CN')).toBe('');
    expect(Object.keys(PHYSICAL_CLASS_TERMS).sort()).toEqual(Object.values(PHYSICAL_CLASS).sort());
    expect(Object.keys(INVENTORY_CHANGE_TERMS).sort()).toEqual([...CHANGE_KINDS].sort());
    for (const table of [DEVICE_ROLE_TERMS, PHYSICAL_CLASS_TERMS, DEVICE_FACT_TERMS, INVENTORY_CHANGE_TERMS]) {
      for (const [k, term] of Object.entries(table)) expect(englishInZh(term['zh-CN']), k).toEqual([]);
    }
  });

  it.each([
    ['oper', 'up', 'zh-CN', { text: '正常', coded: true }],
    ['oper', 'up', 'en', { text: 'up', coded: true }],
    ['class', 'chassis', 'zh-CN', { text: '机框', coded: true }],
    ['modelName', 'OptiX RTN 310', 'zh-CN', { text: 'OptiX RTN 310', coded: false }],
    ['speedBps', 1000, 'zh-CN', { text: '1000', coded: false }],
    ['ifAlias', null, 'zh-CN', { text: '', coded: true }],
  ] as const)('shows fact %s = %s in %s', (field, v, l, want) => {
    expect(deviceFactValue(field, v, l)).toEqual(want);
  });
});

describe('discovery gaps', () => {
  // Each gap, the line discovery stores (and old databases hold), and what zh-CN and en pages show.
  const cases: [DiscoveryGap, string, string, string][] = [
    [{ code: 'no-answer', section: 'system', failure: 'timeout' }, 'system group: timeout', '系统组无应答：请求超时', 'system group: timeout'],
    [{ code: 'no-answer', section: 'system', failure: 'auth-failed' }, 'system group: auth-failed', '系统组无应答：认证失败', 'system group: authentication failed'],
    [{ code: 'walk-failed', section: 'entities', failure: 'timeout', column: 'serial' }, 'ENTITY-MIB: timeout while walking entPhysical serial', 'ENTITY-MIB 实体表读取失败：请求超时', 'ENTITY-MIB: timeout while walking entPhysical serial'],
    [{ code: 'walk-failed', section: 'interfaces', failure: 'timeout', column: 'ifName' }, 'interfaces: timeout while walking ifName', '接口表读取失败：请求超时', 'interfaces: timeout while walking ifName'],
    [{ code: 'bad-object-id', value: 'garbage' }, 'system group: sysObjectID is not an OID (garbage)', '系统组：设备类型标识不是 OID', 'system group: sysObjectID is not an OID'],
    [{ code: 'no-object-id' }, 'system group: no sysObjectID', '系统组：未返回设备类型标识', 'system group: no sysObjectID'],
    [{ code: 'empty-table', section: 'entities' }, 'ENTITY-MIB: not implemented by the agent (entPhysicalTable is empty)', '设备未实现 ENTITY-MIB（实体表为空）', 'ENTITY-MIB: not implemented by the agent (entPhysicalTable is empty)'],
    [{ code: 'empty-table', section: 'interfaces' }, 'interfaces: the agent returned no interface table', '设备未返回接口表', 'interfaces: the agent returned no interface table'],
    [{ code: 'wrong-type', section: 'interfaces', count: 3, columns: 'ifName, oper' }, 'interfaces: 3 values of the wrong type (ifName, oper), left out', '接口表：3 个值类型不符，已略去', 'interfaces: 3 values of the wrong type, left out'],
    [{ code: 'never-discovered' }, 'never discovered', '从未发现', 'never discovered'],
    [{ code: 'unknown', text: 'something new' }, 'something new', 'something new', 'something new'],
  ];
  it.each(cases)('%o is stored as its line, read back, and shown in both languages', (gap, line, zh, en) => {
    expect(discoveryGapLine(gap)).toBe(line);
    expect(discoveryGap(line)).toEqual(gap);
    expect(discoveryGapLabel(line, 'zh-CN')).toBe(zh);
    expect(discoveryGapLabel(line, 'en')).toBe(en);
    if (gap.code !== 'unknown') expect(englishInZh(zh)).toEqual([]);
  });
});
