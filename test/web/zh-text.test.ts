import { describe, expect, it } from 'vitest';
import { englishInZh } from '../support/zh-text.js';

/** The page walk's checker itself: it must catch what the issue saw, and let zh-CN text with units and ids through. */
describe('English and codes in zh-CN text', () => {
  it.each([
    ['a zh-CN tile', 'D01-R005 正常 入 20.0 Mbit/s 出 5.1 Mbit/s 时延 900 毫秒'],
    ['a header with counts and ids', '专线监测 监控墙 故障事件 线路侧 1 设备侧 0 AGG-阿拉尔-B 实时连接 中文 EN'],
    ['zh evidence with protocol names', 'CE 带内不可达：SNMP 请求 2 次超时；中心端口 GigabitEthernet0/1 状态 断开；demarc 停止运行'],
    ['circuit ids and times', 'CIR-XJ-0005 2026-12-02 10:31:05 70M 95 百分位 18.2 Mbit/s'],
  ])('passes %s', (_n, text) => expect(englishInZh(text)).toEqual([]));

  it.each([
    // A code is reported as a code, and its words as English words.
    ['an evidence-kind code', '证据 mass-outage 已记录', [['code', 'mass-outage'], ['english-word', 'mass'], ['english-word', 'outage']]],
    ['a rule code', '规则 oob-wan-down', [['code', 'oob-wan-down'], ['english-word', 'down']]],
    ['a trap kind', '收到 trap:linkDown', [['code', 'trap:linkDown'], ['english-word', 'linkDown']]],
    ['a tile-state code', '状态 device-outage', [['code', 'device-outage'], ['english-word', 'device'], ['english-word', 'outage']]],
    ['a raw interface status', 'WAN 口状态 up', [['code', 'up'], ['english-word', 'up']]],
    ['an English term of the table', '责任方 Line side', [['english-term', 'Line side'], ['english-word', 'Line'], ['english-word', 'side']]],
    ['an English sentence', '证据 CE did not answer 2 polls', [['english-word', 'did'], ['english-word', 'not'], ['english-word', 'answer'], ['english-word', 'polls']]],
    ['one stray word', '数据 stale', [['code', 'stale'], ['english-word', 'stale']]],
  ])('catches %s', (_n, text, want) => {
    expect(englishInZh(text).map((f) => [f.kind, f.match])).toEqual(want);
  });
});
