import type { Locale } from './locale.js';

/**
 * Labels for the evidence kinds the outage stage writes. The outage rules may add kinds
 * before this table learns them: an unknown kind is shown as written, never hidden.
 */
const LABELS: Readonly<Record<string, Readonly<Record<Locale, string>>>> = {
  'ce-unreachable': { 'zh-CN': 'CE 带内不可达', en: 'CE unreachable in-band' },
  'ce-reachable': { 'zh-CN': 'CE 带内恢复可达', en: 'CE reachable in-band again' },
  'ce-timeout': { 'zh-CN': 'CE 轮询超时', en: 'CE poll timed out' },
  'oob-reachable': { 'zh-CN': '带外通道可达 CE', en: 'CE reachable out-of-band' },
  'oob-unreachable': { 'zh-CN': '带外通道也不可达', en: 'CE unreachable out-of-band too' },
  'uptime-continuous': { 'zh-CN': 'CE 运行时间连续（未重启）', en: 'CE uptime continuous (no reboot)' },
  'uptime-reset': { 'zh-CN': 'CE 运行时间归零（重启/掉电）', en: 'CE uptime reset (reboot or power loss)' },
  'wan-oper-down': { 'zh-CN': 'WAN 口运行状态 down', en: 'WAN port operationally down' },
  'wan-oper-up': { 'zh-CN': 'WAN 口恢复 up', en: 'WAN port up again' },
  'wan-admin-down': { 'zh-CN': 'WAN 口被管理性关闭', en: 'WAN port administratively down' },
  'wan-last-change': { 'zh-CN': 'WAN 口状态变化时间', en: 'WAN port last change' },
  'headend-down': { 'zh-CN': '中心端接口 down', en: 'Head-end interface down' },
  'headend-up': { 'zh-CN': '中心端接口 up', en: 'Head-end interface up' },
  'headend-traffic': { 'zh-CN': '中心端仍有流量', en: 'Traffic still seen at the head end' },
  'cpe-line-down': { 'zh-CN': '运营商 CPE 线路口 down', en: 'Carrier CPE line port down' },
  'cpe-line-up': { 'zh-CN': '运营商 CPE 线路口 up', en: 'Carrier CPE line port up' },
  'cpe-unreachable': { 'zh-CN': '运营商 CPE 不可达', en: 'Carrier CPE unreachable' },
  'carrier-group-down': { 'zh-CN': '同汇聚节点多站点同时中断', en: 'Many sites of the carrier group down together' },
  'maintenance-window': { 'zh-CN': '运营商已报备的割接窗口', en: 'Announced carrier maintenance window' },
  'noc-isolated': { 'zh-CN': '监测中心自身失联', en: 'NOC itself isolated' },
  'flap': { 'zh-CN': '线路抖动', en: 'Flapping' },
  'recovered': { 'zh-CN': '业务恢复', en: 'Service recovered' },
  'operator-correction': { 'zh-CN': '人工更正', en: 'Operator correction' },
  'trap:linkDown': { 'zh-CN': 'Trap：linkDown', en: 'Trap: linkDown' },
  'trap:linkUp': { 'zh-CN': 'Trap：linkUp', en: 'Trap: linkUp' },
  'trap:coldStart': { 'zh-CN': 'Trap：冷启动', en: 'Trap: coldStart' },
  'trap:warmStart': { 'zh-CN': 'Trap：热启动', en: 'Trap: warmStart' },
};

export function evidenceKindLabel(kind: string, locale: Locale): string {
  return LABELS[kind]?.[locale] ?? kind;
}
