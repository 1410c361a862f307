import type { IfStatus } from './sample.js';
import type { Term } from './terms.js';

/**
 * The SNMP words of the one vocabulary (interface status, request failures, rate gaps), kept
 * beside `terms.ts`, which re-exports them, so each file stays short. Type-only import of
 * `Term`: no runtime cycle between the two.
 */
const t = (zh: string, en: string): Term => ({ 'zh-CN': zh, en });

/** IF-MIB interface status (ifOperStatus, ifAdminStatus) as the evidence and the site page show it. */
export const IF_STATUS_TERMS: Readonly<Record<IfStatus, Term>> = {
  up: t('正常', 'up'),
  down: t('断开', 'down'),
  testing: t('测试中', 'testing'),
  unknown: t('未知', 'unknown'),
  dormant: t('休眠', 'dormant'),
  notPresent: t('不存在', 'not present'),
  lowerLayerDown: t('下层断开', 'lower layer down'),
};

/** Why an SNMP request failed (collector/snmp-session.ts SnmpFailure, device-polls.ts). */
export const POLL_FAILURE_TERMS: Readonly<Record<string, Term>> = {
  timeout: t('请求超时', 'timeout'),
  'malformed-reply': t('应答格式错误', 'malformed reply'),
  'auth-failed': t('认证失败', 'authentication failed'),
  'not-in-time-window': t('SNMPv3 时间窗口不符', 'not in the SNMPv3 time window'),
  'agent-error': t('代理返回错误', 'agent error'),
  'socket-error': t('网络套接字错误', 'socket error'),
  'agent did not return sysUpTime': t('代理未返回 sysUpTime', 'agent did not return sysUpTime'),
};

/** Why a poll has no rates (collector/port-rates.ts, counters.ts, sample-builder.ts): the site page's "rate gap". */
export const RATE_GAP_TERMS: Readonly<Record<string, Term>> = {
  'first-reading': t('首次读数（尚无上次计数）', 'first reading (no previous counter)'),
  'clock-went-backwards': t('时钟回拨', 'clock went backwards'),
  'ifindex-changed': t('接口索引变化', 'ifIndex changed'),
  'device-restarted': t('设备重启', 'device restarted'),
  'counter-discontinuity': t('计数器不连续', 'counter discontinuity'),
  'previous-reading-too-old': t('上次读数过旧', 'previous reading too old'),
  'no-octet-counters': t('无字节计数器', 'no octet counters'),
  'above-line-rate': t('超过线路速率', 'above line rate'),
  'counter-reset': t('计数器复位', 'counter reset'),
  'config-gap': t('配置缺口', 'configuration gap'),
  'no-counters': t('无计数器', 'no counters'),
  'ce-unreachable': t('CE 不可达', 'CE unreachable'),
};
