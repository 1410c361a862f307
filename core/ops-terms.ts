import type { Locale, Term } from './terms.js';

/**
 * The operations vocabulary of the console (alerts, silences, deliveries, maintenance
 * coverage), beside core/terms.ts and in the same shape. Keys are the codes the API sends;
 * test/core/ops-terms.test.ts checks that every code the stages define has both words here,
 * so no code reaches a zh-CN page untranslated.
 */
const t = (zh: string, en: string): Term => ({ 'zh-CN': zh, en });

export const ALERT_RULE_TERMS: Readonly<Record<string, Term>> = {
  'site-down': t('电路中断', 'Circuit down'),
  'mass-outage': t('汇聚节点群障', 'Carrier-group outage'),
  'noc-isolation': t('监控中心失联', 'NOC isolated'),
  'monitoring-gap': t('监测中断', 'Monitoring gap'),
  'carrier-deadline-approaching': t('运营商响应时限将到', 'Carrier response due soon'),
  'carrier-deadline-missed': t('运营商响应超时', 'Carrier response overdue'),
  utilization: t('带宽利用率高', 'High utilization'),
  capacity: t('容量不足', 'Capacity finding'),
  errors: t('接口错误包', 'Interface errors'),
  'demarc-health': t('监测系统自身异常', 'demarc health'),
  'config-gap': t('配置缺口', 'Configuration gap'),
  'inventory-change': t('设备变更', 'Inventory change'),
};

export const ALERT_SEVERITY_TERMS: Readonly<Record<string, Term>> = {
  critical: t('紧急', 'Critical'),
  warning: t('警告', 'Warning'),
  info: t('提示', 'Info'),
};

export const ALERT_STATUS_TERMS: Readonly<Record<string, Term>> = {
  pending: t('待发', 'Pending'),
  firing: t('告警中', 'Firing'),
  resolving: t('恢复确认中', 'Resolving'),
  resolved: t('已恢复', 'Resolved'),
};

export const DELIVERY_STATUS_TERMS: Readonly<Record<string, Term>> = {
  queued: t('待发送', 'Queued'),
  sent: t('已发送', 'Sent'),
  dead: t('发送失败', 'Failed'),
};

export const SILENCE_STATE_TERMS: Readonly<Record<string, Term>> = {
  proposed: t('待复核', 'Awaiting approval'),
  scheduled: t('已批准，未开始', 'Approved, not yet begun'),
  active: t('生效中', 'Active'),
  expired: t('已到期', 'Expired'),
  lifted: t('已解除', 'Lifted'),
};

/** Why a window does not excuse an overlapping outage (outage/maintenance-coverage.ts). */
export const UNCOVERED_REASON_TERMS: Readonly<Record<string, Term>> = {
  'registered-after-start': t('割接通知登记晚于中断开始，不能事后豁免', 'The notice was registered after the outage began'),
  'began-before-window': t('中断早于割接窗口开始', 'The outage began before the window'),
  'other-verdict': t('已按其他规则或更正判定', 'Decided by another rule or a correction'),
};

/** Why a window change waits for a second person (outage/window-approvals.ts), by its English prefix. */
export const WINDOW_PROPOSAL_KIND_TERMS: Readonly<Record<string, Term>> = {
  create: t('新建割接窗口', 'New window'),
  delete: t('撤销割接窗口', 'Withdraw window'),
};

/** The word for a code, or the code itself when the table has none (visible, and caught by the page walk). */
export function opsTerm(table: Readonly<Record<string, Term>>, code: string, locale: Locale): string {
  return table[code]?.[locale] ?? code;
}
