import type { Locale, Term } from './terms.js';
import { shanghaiTime } from './terms.js';
import { fillParts, partsText, type TextPart } from './text-parts.js';

/**
 * What /api/health finds wrong, as codes with parameters (the `issues` array) beside the
 * English sentences it has always sent (`problems`, read by probes). The health page renders
 * an issue in the console's language from HEALTH_ISSUE_TERMS; error messages from the OS,
 * SQLite or NATS and device names are data parts (core/text-parts.ts).
 */
export type ConfigGapSide = 'ce' | 'oob' | 'headend' | 'cpe-line' | 'cpe-customer';
export type HealthIssue =
  | { kind: 'cycle-stale'; params: Record<string, never> }
  | { kind: 'cycle-overran'; params: Record<string, never> }
  | { kind: 'store-failing'; params: { error: string } }
  | { kind: 'store-backlog'; params: { samples: number } }
  | { kind: 'state-db-failing'; params: { path: string; since: number; code: string; message: string; failed: number } }
  | { kind: 'audit-broken'; params: { row: number; reason: string } }
  | { kind: 'config-gap'; params: { siteId: string; side: ConfigGapSide; ifName: string; device: string } }
  | { kind: 'remote-no-link'; params: { url: string } }
  | { kind: 'remote-unowned'; params: { sites: string } }
  | { kind: 'remote-rejected'; params: { counts: string } };
export type HealthIssueKind = HealthIssue['kind'];

const t = (zh: string, en: string): Term => ({ 'zh-CN': zh, en });

/** Per kind: the template in each language, and which parameters are data from outside demarc. */
export const HEALTH_ISSUE_TERMS: Readonly<Record<HealthIssueKind, Term & { data: readonly string[] }>> = {
  'cycle-stale': { ...t('超过两个轮询周期没有完成采集', 'No poll cycle finished for more than two intervals'), data: [] },
  'cycle-overran': { ...t('上一轮采集超出了轮询间隔', 'The last poll cycle overran its interval'), data: [] },
  'store-failing': { ...t('指标库写入失败：{error}', 'Metric store failing: {error}'), data: ['error'] },
  'store-backlog': { ...t('指标库积压：{samples} 条采样待写入', 'Metric store backlog: {samples} samples waiting'), data: [] },
  'state-db-failing': {
    ...t('状态数据库 {path} 自 {since} 起出错（{code}：{message}；失败请求 {failed} 次）：请用 {command} 恢复备份',
      'State database {path} failing since {since} ({code}: {message}; {failed} failed requests): restore a backup with {command}'),
    data: ['path', 'code', 'message', 'command'],
  },
  'audit-broken': { ...t('审计链在第 {row} 行断开：{reason}', 'Audit chain broken at row {row}: {reason}'), data: ['reason'] },
  'config-gap': { ...t('配置缺口：站点 {siteId} 的{side} {ifName} 在 {device} 上找不到', 'Configuration gap: site {siteId}: {side} {ifName} not found on {device}'), data: ['ifName', 'device'] },
  'remote-no-link': { ...t('远端采集器：与 NATS 断开（{url}）', 'Remote collectors: no link to NATS ({url})'), data: ['url'] },
  'remote-unowned': { ...t('远端采集器：以下站点无在线采集器轮询：{sites}', 'Remote collectors: no live collector polls {sites}'), data: [] },
  'remote-rejected': { ...t('远端采集器：有消息被拒收（{counts}）', 'Remote collectors: messages rejected ({counts})'), data: ['counts'] },
};

export const CONFIG_GAP_SIDE_TERMS: Readonly<Record<ConfigGapSide, Term>> = {
  ce: t('CE WAN 端口', 'CE WAN port'),
  oob: t('CE WAN 端口（带外路径）', 'CE WAN port (OOB path)'),
  headend: t('头端端口', 'head-end port'),
  'cpe-line': t('CPE 线路侧端口', 'CPE line port'),
  'cpe-customer': t('CPE 用户侧端口', 'CPE customer port'),
};

/** The English sentence /api/health has always sent in `problems` (probes and logs read it). */
export function healthIssueLine(i: HealthIssue): string {
  switch (i.kind) {
    case 'cycle-stale': return 'no poll cycle finished for more than two intervals';
    case 'cycle-overran': return 'the last poll cycle overran its interval';
    case 'store-failing': return `metric store: ${i.params.error}`;
    case 'store-backlog': return `metric store backlog: ${i.params.samples} samples waiting`;
    case 'state-db-failing': {
      const p = i.params;
      return `state database ${p.path} failing since ${new Date(p.since).toISOString()} (${p.code}: ${p.message}; ${p.failed} failed requests): restore a backup with demarc state restore <file>`;
    }
    case 'audit-broken': return `audit chain broken at row ${i.params.row}: ${i.params.reason}`;
    case 'config-gap': {
      const p = i.params;
      return `configuration gap: site ${p.siteId}: ${CONFIG_GAP_SIDE_TERMS[p.side].en} "${p.ifName}" not found on ${p.device} (checked ifName, ifDescr, its first word, ifAlias)`;
    }
    case 'remote-no-link': return `remote collectors: no link to NATS (${i.params.url})`;
    case 'remote-unowned': return `remote collectors: no live collector polls ${i.params.sites}`;
    case 'remote-rejected': return `remote collectors: messages rejected (${i.params.counts})`;
  }
}

/** An issue in the console's language, in parts (data parts go inside translate="no"). */
export function healthIssueParts(i: HealthIssue, l: Locale): TextPart[] {
  const term = HEALTH_ISSUE_TERMS[i.kind];
  if (!term) return [{ text: i.kind, data: true }];
  const p: Record<string, string | number> = { ...(i.params as Record<string, string | number>) };
  // The restore command is typed as shown, so it is data too.
  if (i.kind === 'state-db-failing') Object.assign(p, { since: shanghaiTime(i.params.since), command: 'demarc state restore <file>' });
  if (i.kind === 'config-gap') p.side = CONFIG_GAP_SIDE_TERMS[i.params.side]?.[l] ?? i.params.side;
  return fillParts(term[l], p, term.data);
}

export const healthIssueText = (i: HealthIssue, l: Locale): string => partsText(healthIssueParts(i, l));
