import type { Responsibility, VerdictStatus } from '../core/incident.js';
import { INCIDENT_KIND_TERMS, RESPONSIBILITY_PARTY_TERMS, RESPONSIBILITY_TERMS, VERDICT_TERMS, wordsIn, type Locale } from '../core/terms.js';
import type { CapacityFinding, ResponseStatus } from './report-model.js';

/** Words of the report in Chinese (default, for the customer's management) and English. */
export type ReportLang = 'zh' | 'en';
export const REPORT_LANGS: readonly ReportLang[] = ['zh', 'en'];
/** The vocabulary's locale of a report language (core/terms.ts). */
export const REPORT_LOCALE: Readonly<Record<ReportLang, Locale>> = { zh: 'zh-CN', en: 'en' };

const zh = {
  title: '专线电路月度可用率报告',
  monthLabel: (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`,
  rangeTitle: '专线电路可用率报告（区间）',
  subtitle: '社保卡服务中心 · 基层接入点 70M 本地电路',
  period: '统计周期',
  asOf: '数据截至',
  generatedAt: '生成时间',
  timeZone: '时间均为北京时间（Asia/Shanghai）',
  page: (n: number, of: number) => `第 ${n} 页 / 共 ${of} 页`,
  fleet: '全网（所有站点）',
  yes: '是',
  no: '否',
  open: '未结束',
  sections: {
    summary: '总体概况',
    downtime: '按责任划分的中断时长',
    worst: '运营商责任可用率最低的电路',
    circuits: '各电路明细',
    incidents: '故障事件',
    responses: '运营商故障响应',
    findings: '容量提示',
    charts: '各电路流量（小时均值，占额定速率 %）',
  },
  responsibility: wordsIn(RESPONSIBILITY_PARTY_TERMS, 'zh-CN') satisfies Record<Responsibility, string>,
  /** Column headers, where the full names do not fit. */
  responsibilityShort: wordsIn(RESPONSIBILITY_TERMS, 'zh-CN') satisfies Record<Responsibility, string>,
  verdict: wordsIn(VERDICT_TERMS, 'zh-CN') satisfies Record<VerdictStatus, string>,
  responseStatus: (s: ResponseStatus, limitH: number, strictH: number): string =>
    ({ 'met-strict': `${strictH}小时内响应`, met: `${limitH}小时内响应`, missed: '超时响应', overdue: '超时未响应', pending: '等待响应' })[s],
  kind: wordsIn(INCIDENT_KIND_TERMS, 'zh-CN'),
  finding: { 'policer-ceiling': '流量平顶（疑似限速配置低于额定速率）', saturated: '持续接近满载' } satisfies Record<CapacityFinding['kind'], string>,
  direction: { in: '入向', out: '出向' } satisfies Record<CapacityFinding['direction'], string>,
  kpi: {
    circuitsInService: '在网电路数',
    circuitsInInventory: '台账电路数',
    carrierAvailability: '运营商责任可用率',
    carrierAvailabilityShort: '运营商责任可用率',
    siteAvailability: '站点可用率（全部原因）',
    lineDown: '线路侧中断时长',
    incidents: '故障事件数',
    openIncidents: '其中未结束',
    mttr: '线路侧平均修复时间（MTTR）',
    compliance: (h: number) => `故障响应达标率（${h} 小时）`,
    meanResponse: '平均响应时间',
    completeness: '数据完整率',
    workingDays: '本期工作日数',
    monitoringGap: '监测中断时长（不计入中断）',
    mom: (label: string) => `较上月（${label}）变化`,
  },
  unit: { minutes: '分钟', hours: '小时', pct: '%', pp: '个百分点', days: '天', count: '次', circuits: '条' },
  col: {
    site: '站点', siteId: '站点编号', division: '师', circuit: '电路编号', bandwidth: '带宽 Mbps', activation: '开通日期', termEnd: '服务期至',
    daysInService: '在网天数', carrierAvail: '运营商可用率 %', siteAvail: '站点可用率 %', incidents: '故障数', open: '未结束', mttr: 'MTTR 分钟',
    monitoringGap: '监测中断 分钟', responses: '申告数', compliance: '响应达标率 %',
    inAvg: '入向均值 Mbps', outAvg: '出向均值 Mbps', inPeak: '入向峰值 Mbps', outPeak: '出向峰值 Mbps', inP95: '入向 P95 Mbps', outP95: '出向 P95 Mbps',
    inP95Pct: '入向 P95 %', outP95Pct: '出向 P95 %', hoursAbove: (t: number) => `>${t}% 小时`, completeness: '数据完整率 %',
    id: '事件编号', kind: '类型', responsibility: '责任', verdict: '判定', rule: '判定规则', start: '开始', end: '结束', durationInPeriod: '本期时长 分钟',
    duration: '总时长 分钟', note: '备注', flaps: '抖动次数', reportedAt: '申告时间', respondedAt: '响应时间', responseMin: '响应用时 分钟', status: '结果',
    minutes: '时长 分钟', share: '占在网时间 %', count: '事件数', finding: '提示', observed: '水平 Mbps', pctNominal: '占额定 %', direction: '方向',
    occurrences: '次数', hours: '合计 小时', first: '首次', last: '末次',
    metric: '指标', value: '数值', unit: '单位', rank: '排名',
  },
  down: (r: Responsibility) => `${zh.responsibilityShort[r]} 分钟`,
  notes: {
    splitBefore: '上期延续',
    splitAfter: '延续至下期',
    open: '截至报告时仍未恢复',
    corrected: (who: string, at: string, reason: string) => `经审批更正（${who}，${at}）：${reason}`,
  },
  definitions: [
    '运营商责任可用率 = 1 − 线路侧中断时长 ÷ 在网时长；计划割接（7.6、7.7）、设备侧（7.5）、不可抗力（12.1）及监测盲区不计入。',
    '站点可用率计入除监测盲区外的全部中断原因；待定时长单列，不计入运营商责任。',
    '在网时长自开通日（4.2 签字确认日）起算，至服务期（开通起 1 年）届满为止；跨月事件在月界处拆分。',
    '故障响应按 7.4.2 条：以配置时限（默认 2 小时）判定达标，同时列出 1 小时口径。',
    'P95 为 5 分钟均值的第 95 百分位（最近秩）；速率为最高速率而非承诺值（1.8 条），仅供参考。',
  ],
  mailSubject: (label: string) => `【demarc】${label} 专线电路可用率月报`,
  mailBody: (label: string, carrier: string, incidents: number, compliance: string) =>
    `各位领导：\n\n附件为 ${label} 专线电路可用率月报（PDF）。\n\n运营商责任可用率：${carrier}\n故障事件：${incidents} 次\n故障响应达标率：${compliance}\n\n此邮件由 demarc 自动发送。`,
};

type Text = typeof zh;

const en: Text = {
  title: 'Monthly Circuit Availability Report',
  monthLabel: (month) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  rangeTitle: 'Circuit Availability Report (date range)',
  subtitle: 'Social Security Card Service Center · 70M access circuits of the grassroots sites',
  period: 'Period',
  asOf: 'Figures up to',
  generatedAt: 'Generated',
  timeZone: 'All times are Beijing time (Asia/Shanghai)',
  page: (n, of) => `Page ${n} of ${of}`,
  fleet: 'Fleet (all sites)',
  yes: 'yes',
  no: 'no',
  open: 'open',
  sections: {
    summary: 'Summary',
    downtime: 'Downtime by responsibility',
    worst: 'Lowest carrier-attributable availability',
    circuits: 'Circuits',
    incidents: 'Incidents',
    responses: 'Carrier response to fault reports',
    findings: 'Capacity findings',
    charts: 'Throughput per circuit (hourly mean, % of nominal rate)',
  },
  responsibility: wordsIn(RESPONSIBILITY_PARTY_TERMS, 'en'),
  responsibilityShort: wordsIn(RESPONSIBILITY_TERMS, 'en'),
  verdict: wordsIn(VERDICT_TERMS, 'en'),
  responseStatus: (s, limitH, strictH) =>
    ({ 'met-strict': `within ${strictH} h`, met: `within ${limitH} h`, missed: 'late', overdue: 'no response, overdue', pending: 'awaiting response' })[s],
  kind: wordsIn(INCIDENT_KIND_TERMS, 'en'),
  finding: { 'policer-ceiling': 'Flat ceiling (rate limit likely below nominal)', saturated: 'Sustained near capacity' },
  direction: { in: 'in', out: 'out' },
  kpi: {
    circuitsInService: 'Circuits in service',
    circuitsInInventory: 'Circuits in inventory',
    carrierAvailability: 'Carrier-attributable availability',
    carrierAvailabilityShort: 'Carrier-attrib. availability',
    siteAvailability: 'Site availability (all causes)',
    lineDown: 'Line-side downtime',
    incidents: 'Incidents',
    openIncidents: 'of which still open',
    mttr: 'Line-side mean time to restore (MTTR)',
    compliance: (h) => `Response compliance (${h} h)`,
    meanResponse: 'Mean response time',
    completeness: 'Data completeness',
    workingDays: 'Working days in period',
    monitoringGap: 'Monitoring gaps (not downtime)',
    mom: (label) => `Change against ${label}`,
  },
  unit: { minutes: 'min', hours: 'h', pct: '%', pp: 'pp', days: 'days', count: '', circuits: '' },
  col: {
    site: 'Site', siteId: 'Site id', division: 'Division', circuit: 'Circuit', bandwidth: 'Mbit/s', activation: 'Activated', termEnd: 'Term ends',
    daysInService: 'Days in service', carrierAvail: 'Carrier avail. %', siteAvail: 'Site avail. %', incidents: 'Incidents', open: 'Open', mttr: 'MTTR min',
    monitoringGap: 'Monitoring gap min', responses: 'Reports', compliance: 'Response compliance %',
    inAvg: 'In avg Mbps', outAvg: 'Out avg Mbps', inPeak: 'In peak Mbps', outPeak: 'Out peak Mbps', inP95: 'In p95 Mbps', outP95: 'Out p95 Mbps',
    inP95Pct: 'In p95 %', outP95Pct: 'Out p95 %', hoursAbove: (t) => `Hours >${t}%`, completeness: 'Completeness %',
    id: 'Incident', kind: 'Kind', responsibility: 'Responsibility', verdict: 'Verdict', rule: 'Rule', start: 'Start', end: 'End', durationInPeriod: 'In period min',
    duration: 'Total min', note: 'Note', flaps: 'Flaps', reportedAt: 'Reported', respondedAt: 'Responded', responseMin: 'Response min', status: 'Result',
    minutes: 'Minutes', share: '% of in-service time', count: 'Incidents', finding: 'Finding', observed: 'Level Mbps', pctNominal: '% of nominal', direction: 'Direction',
    occurrences: 'Times', hours: 'Total hours', first: 'First', last: 'Last',
    metric: 'Metric', value: 'Value', unit: 'Unit', rank: 'Rank',
  },
  down: (r) => `${en.responsibilityShort[r]} min`,
  notes: {
    splitBefore: 'continued from previous period',
    splitAfter: 'continues into next period',
    open: 'not restored at report time',
    corrected: (who, at, reason) => `verdict corrected with approval (${who}, ${at}): ${reason}`,
  },
  definitions: [
    'Carrier-attributable availability = 1 − line-side downtime ÷ in-service time; planned work (7.6, 7.7), device side (7.5), force majeure (12.1) and monitoring gaps are excluded.',
    'Site availability counts every cause except monitoring; undetermined time is listed on its own and not charged to the carrier.',
    'In-service time runs from the activation date (4.2, signed date) to the end of the one-year term; incidents crossing a month boundary are split there.',
    'Carrier response per clause 7.4.2: judged against the configured limit (default 2 h), the 1 h reading alongside.',
    'P95 is the 95th percentile (nearest rank) of 5-minute averages; the nominal rate is a maximum, not a promise (1.8): information only.',
  ],
  mailSubject: (label) => `[demarc] Circuit availability report ${label}`,
  mailBody: (label, carrier, incidents, compliance) =>
    `Attached is the circuit availability report for ${label} (PDF).\n\nCarrier-attributable availability: ${carrier}\nIncidents: ${incidents}\nResponse compliance: ${compliance}\n\nSent automatically by demarc.`,
};

export const REPORT_TEXT: Record<ReportLang, Text> = { zh, en };
export type ReportText = Text;

export const textFor = (lang: ReportLang): Text => REPORT_TEXT[lang];
