import type { Responsibility } from '../core/incident.js';
import { evidenceDetail, evidenceKindLabel, RESPONSIBILITY_PARTY_TERMS, ruleLabel, VERDICT_TERMS, wordsIn } from '../core/terms.js';
import type { VerdictSeen } from './alert.js';
import type { AlertMessage, MessageSite } from './alert-message.js';
import type { Language } from './config-schema.js';
import { formatShanghai } from './on-call.js';

/**
 * An AlertMessage in words: zh-CN first, English on request; times in Asia/Shanghai. The
 * result is a title and a list of blocks each channel lays out in its own format.
 */
export type Block =
  | { type: 'field'; label: string; value: string }
  | { type: 'list'; label: string; items: string[] }
  | { type: 'text'; text: string }
  | { type: 'link'; label: string; url: string };

export interface RenderedMessage {
  title: string;
  /** A short line for notifications that show only one (DingTalk's title, the log line). */
  summary: string;
  blocks: Block[];
  language: Language;
}

const T = {
  'zh-CN': {
    resp: wordsIn(RESPONSIBILITY_PARTY_TERMS, 'zh-CN'),
    verdict: wordsIn(VERDICT_TERMS, 'zh-CN'),
    kind: { firing: '', renotify: '【重复提醒】', escalation: '【升级】', 'verdict-changed': '【判定变更】', resolved: '【已恢复】', 'fault-report': '', 'fault-report-update': '【申告更新】' },
    site: '站点', circuit: '电路编号', division: '所属单位', group: '承载节点', started: '开始时间', ended: '恢复时间', duration: '持续',
    verdictL: '责任判定', ruleL: '判定规则', was: '原判定', flaps: '闪断/反复次数', evidence: '证据', more: (n: number) => `……另有 ${n} 条证据，见 demarc`,
    sites: (n: number) => `涉及站点（${n} 个）`, detail: '情况', escalated: (lvl: number, min: number) => `已 ${min} 分钟无人确认，升级至第 ${lvl + 1} 级值班人员。`,
    ack: (who: string) => `确认告警（${who}）`, acked: (who: string) => `已由 ${who} 确认`, unrouted: '未配置接收人：本告警仅记入日志。', tz: '（北京时间）',
    reported: '申告时间', due: '响应时限', location: '位置', customer: '申告单位', callback: '回电', phenomena: '故障现象（demarc 监测证据）',
    fr: (limit: number) => `请依合同第 7.4.2 条在接到申告后 ${limit} 小时内响应，并反馈处理进展。责任界面依合同第 3.2.6 条：以甲方机房设备为界，线路侧由乙方维护。`,
    frResolved: '电路已恢复，请反馈故障原因及处理情况。',
    frCorrected: (r: string) => `判定已更正为：${r}。`,
    titles: {
      'site-down': (m: AlertMessage) => `【故障】${siteName(m, 'zh-CN')} 电路中断`,
      'mass-outage': (m: AlertMessage) => `【群障】承载节点 ${m.carrierGroup ?? '?'} 下 ${m.sites.length} 个站点同时中断`,
      'noc-isolation': () => '【监控】NOC 失去对全网的观测（非电路故障）',
      'monitoring-gap': (m: AlertMessage) => `【监控】${siteName(m, 'zh-CN')} 监控中断（非电路故障）`,
      'carrier-deadline-approaching': (m: AlertMessage) => `【时限】运营商响应时限将到：${siteName(m, 'zh-CN')}`,
      'carrier-deadline-missed': (m: AlertMessage) => `【超时】运营商未在 ${m.deadline?.limitHours ?? m.carrierLimitHours} 小时内响应：${siteName(m, 'zh-CN')}`,
      utilization: (m: AlertMessage) => `【容量】${siteName(m, 'zh-CN')} 利用率持续偏高`,
      capacity: (m: AlertMessage) => `【容量】${siteName(m, 'zh-CN')} 速率异常`,
      errors: (m: AlertMessage) => `【质量】${siteName(m, 'zh-CN')} 接口错包/丢包偏高`,
      'demarc-health': () => '【系统】demarc 自身异常',
      'config-gap': (m: AlertMessage) => `【配置】${siteName(m, 'zh-CN')} 配置的接口在设备上不存在（非电路故障）`,
      'inventory-change': (m: AlertMessage) => `【资产】${siteName(m, 'zh-CN')} 设备变更`,
    },
    faultTitle: (m: AlertMessage) => `故障申告：${m.customer} 专线 ${m.sites.length === 1 ? m.sites[0]!.circuitId : `${m.sites.length} 条`} 中断`,
  },
  en: {
    resp: wordsIn(RESPONSIBILITY_PARTY_TERMS, 'en'),
    verdict: wordsIn(VERDICT_TERMS, 'en'),
    kind: { firing: '', renotify: '[REMINDER] ', escalation: '[ESCALATED] ', 'verdict-changed': '[VERDICT CHANGED] ', resolved: '[RECOVERED] ', 'fault-report': '', 'fault-report-update': '[UPDATE] ' },
    site: 'Site', circuit: 'Circuit', division: 'Division', group: 'Carrier node', started: 'Started', ended: 'Recovered', duration: 'Duration',
    verdictL: 'Responsibility', ruleL: 'Rule', was: 'Was', flaps: 'Flaps / returns', evidence: 'Evidence', more: (n: number) => `... ${n} more entries in demarc`,
    sites: (n: number) => `Sites (${n})`, detail: 'Detail', escalated: (lvl: number, min: number) => `Not acknowledged for ${min} min: escalated to on-call level ${lvl + 1}.`,
    ack: (who: string) => `Acknowledge (${who})`, acked: (who: string) => `Acknowledged by ${who}`, unrouted: 'No recipient is configured: this alert went to the log only.', tz: ' (Asia/Shanghai)',
    reported: 'Reported', due: 'Response due', location: 'Location', customer: 'Customer', callback: 'Call back', phenomena: 'Symptoms (demarc evidence)',
    fr: (limit: number) => `Per contract clause 7.4.2 please respond within ${limit} h of this report and keep us informed. Responsibility boundary per clause 3.2.6: the customer's equipment; the line side is the carrier's.`,
    frResolved: 'The circuit has recovered; please report the cause and the repair.',
    frCorrected: (r: string) => `The verdict was corrected to: ${r}.`,
    titles: {
      'site-down': (m: AlertMessage) => `[DOWN] ${siteName(m, 'en')}: circuit down`,
      'mass-outage': (m: AlertMessage) => `[MASS OUTAGE] ${m.sites.length} sites on carrier node ${m.carrierGroup ?? '?'} down`,
      'noc-isolation': () => '[MONITORING] the NOC lost sight of the fleet (not a circuit fault)',
      'monitoring-gap': (m: AlertMessage) => `[MONITORING] ${siteName(m, 'en')}: monitoring gap (not a circuit fault)`,
      'carrier-deadline-approaching': (m: AlertMessage) => `[DEADLINE] carrier response due soon: ${siteName(m, 'en')}`,
      'carrier-deadline-missed': (m: AlertMessage) => `[DEADLINE MISSED] no carrier response within ${m.deadline?.limitHours ?? m.carrierLimitHours} h: ${siteName(m, 'en')}`,
      utilization: (m: AlertMessage) => `[CAPACITY] ${siteName(m, 'en')}: sustained high utilization`,
      capacity: (m: AlertMessage) => `[CAPACITY] ${siteName(m, 'en')}: rate finding`,
      errors: (m: AlertMessage) => `[QUALITY] ${siteName(m, 'en')}: errors/discards on the handoff port`,
      'demarc-health': () => '[SYSTEM] demarc health',
      'config-gap': (m: AlertMessage) => `[CONFIG] ${siteName(m, 'en')}: configured interface not found on the device (not a circuit fault)`,
      'inventory-change': (m: AlertMessage) => `[INVENTORY] ${siteName(m, 'en')}: device changed`,
    },
    faultTitle: (m: AlertMessage) => `Fault report: ${m.customer}, circuit ${m.sites.length === 1 ? m.sites[0]!.circuitId : `x${m.sites.length}`} down`,
  },
} as const;

function siteName(m: AlertMessage, lang: Language): string {
  const s = m.sites[0];
  if (!s) return '';
  const name = lang === 'en' && s.nameEn ? s.nameEn : s.name;
  return m.sites.length > 1 ? `${name} +${m.sites.length - 1}` : name;
}

function duration(ms: number, lang: Language): string {
  const min = Math.round(ms / 60_000);
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (lang === 'en') return h ? `${h} h ${m} min` : `${m} min`;
  return h ? `${h} 小时 ${m} 分` : `${m} 分钟`;
}

function verdictText(v: VerdictSeen, lang: Language): string {
  return paren(T[lang].resp[v.responsibility as Responsibility], T[lang].verdict[v.verdict], lang);
}

function paren(a: string, b: string, lang: Language): string {
  return lang === 'en' ? `${a} (${b})` : `${a}（${b}）`;
}

function siteLine(s: MessageSite, lang: Language): string {
  const name = lang === 'en' && s.nameEn ? s.nameEn : s.name;
  const since = s.startedAt ? formatShanghai(s.startedAt) : '?';
  const back = s.endedAt ? ` → ${formatShanghai(s.endedAt)}` : '';
  return `${name} ${s.circuitId} (${s.division}) ${since}${back}`;
}

export function renderMessage(m: AlertMessage, lang: Language, names: ReadonlyMap<string, string>): RenderedMessage {
  const t = T[lang];
  const fault = m.kind === 'fault-report' || m.kind === 'fault-report-update';
  const base = fault ? t.faultTitle(m) : t.titles[m.rule](m);
  const title = `${t.kind[m.kind]}${base}`;
  const blocks: Block[] = [];
  const field = (label: string, value: string | null | undefined) => {
    if (value) blocks.push({ type: 'field', label, value });
  };
  if (fault) field(t.customer, m.customer);
  if (m.sites.length === 1) {
    const s = m.sites[0]!;
    field(t.site, `${lang === 'en' && s.nameEn ? s.nameEn : s.name} (${s.id})`);
    field(t.circuit, s.circuitId);
    field(t.division, s.division);
    field(t.group, s.carrierGroup);
    if (fault && s.location) field(t.location, `${s.location.latitude}, ${s.location.longitude}`);
  } else if (m.sites.length > 1) {
    field(t.group, m.carrierGroup);
    blocks.push({ type: 'list', label: t.sites(m.sites.length), items: m.sites.map((s) => siteLine(s, lang)) });
  }
  if (m.deadline) {
    field(t.reported, formatShanghai(m.deadline.reportedAt) + t.tz);
    field(t.due, formatShanghai(m.deadline.dueAt) + t.tz);
  }
  if (m.startedAt) field(t.started, formatShanghai(m.startedAt, true) + t.tz);
  if (m.endedAt && m.startedAt) field(t.ended, paren(formatShanghai(m.endedAt, true), `${t.duration} ${duration(m.endedAt - m.startedAt, lang)}`, lang));
  if (m.verdict) field(t.verdictL, verdictText(m.verdict, lang));
  if (m.verdict && !fault) field(t.ruleL, ruleLabel(m.verdict.rule, lang));
  if (m.previousVerdict) field(t.was, verdictText(m.previousVerdict, lang));
  if (m.flaps > 0) field(t.flaps, String(m.flaps));
  if (m.detail) field(t.detail, m.detail);
  if (m.kind === 'escalation' && m.firedAt) blocks.push({ type: 'text', text: t.escalated(m.escalationLevel, Math.round((m.at - m.firedAt) / 60_000)) });
  if (m.evidence.length) {
    const sep = lang === 'en' ? ': ' : '：';
    const items = m.evidence.map((e) => `${formatShanghai(e.at, true)} ${evidenceKindLabel(e.kind, lang)}${sep}${evidenceDetail(e, lang)}`);
    if (m.moreEvidence) items.push(t.more(m.moreEvidence));
    blocks.push({ type: 'list', label: fault ? t.phenomena : t.evidence, items });
  }
  if (m.kind === 'fault-report') blocks.push({ type: 'text', text: t.fr(m.carrierLimitHours) });
  if (m.kind === 'fault-report-update') blocks.push({ type: 'text', text: m.status === 'resolved' ? t.frResolved : t.frCorrected(m.verdict ? verdictText(m.verdict, lang) : '') });
  if (fault) field(t.callback, m.callback);
  if (m.ackedBy) blocks.push({ type: 'text', text: t.acked(m.ackedBy) });
  for (const l of m.ackLinks) blocks.push({ type: 'link', label: t.ack(names.get(l.contactId) ?? l.contactId), url: l.url });
  if (m.unrouted) blocks.push({ type: 'text', text: t.unrouted });
  const summary = m.sites.length === 1 && m.startedAt ? `${title} ${formatShanghai(m.startedAt)}` : title;
  return { title, summary, blocks, language: lang };
}
