import type { IncidentKind, Responsibility, VerdictStatus } from './incident.js';
import type { TileState } from './site-state.js';
import { IF_STATUS_TERMS, POLL_FAILURE_TERMS } from './snmp-terms.js';

export { IF_STATUS_TERMS, POLL_FAILURE_TERMS, RATE_GAP_TERMS } from './snmp-terms.js';

/**
 * demarc's one vocabulary: every word the wall, the reports and the alerts show for a domain
 * term, in zh-CN (the default) and English. A term means the same thing everywhere; when a
 * word changes, it changes here. The contract's own words are used where it has them
 * (线路侧/设备侧, 3.2.6; 割接 announced in advance, 7.6/7.7).
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

export type Term = Readonly<Record<Locale, string>>;
const t = (zh: string, en: string): Term => ({ 'zh-CN': zh, en });

export const RESPONSIBILITY_TERMS: Readonly<Record<Responsibility, Term>> = {
  line: t('线路侧', 'Line side'),
  device: t('设备侧', 'Device side'),
  planned: t('计划割接', 'Planned cutover'),
  external: t('不可抗力', 'Force majeure'),
  monitoring: t('监测盲区', 'Monitoring gap'),
  undetermined: t('待定', 'Undetermined'),
};

/** The same responsibilities with the party named, where there is room (reports, alerts). */
export const RESPONSIBILITY_PARTY_TERMS: Readonly<Record<Responsibility, Term>> = {
  line: t('线路侧（运营商）', 'Line side (carrier)'),
  device: t('设备侧（甲方）', 'Device side (customer)'),
  planned: t('计划割接（已提前通知）', 'Planned cutover (announced in advance)'),
  external: t('不可抗力', 'Force majeure'),
  monitoring: t('监测盲区（不计入中断）', 'Monitoring gap (not downtime)'),
  undetermined: t('待定', 'Undetermined'),
};

export const VERDICT_TERMS: Readonly<Record<VerdictStatus, Term>> = {
  provisional: t('初判', 'Provisional'),
  final: t('终判', 'Final'),
};

export const INCIDENT_KIND_TERMS: Readonly<Record<IncidentKind, Term>> = {
  outage: t('中断', 'Outage'),
  'monitoring-gap': t('监测中断', 'Monitoring gap'),
};

export const TILE_STATE_TERMS: Readonly<Record<TileState, Term>> = {
  up: t('正常', 'Up'),
  'line-outage': t('线路侧中断', 'Line-side outage'),
  'device-outage': t('设备侧中断', 'Device-side outage'),
  planned: t('计划割接', 'Planned cutover'),
  'external-outage': t('不可抗力中断', 'Force majeure outage'),
  'monitoring-gap': t('监测中断', 'Monitoring gap'),
  undetermined: t('中断待定', 'Outage, undetermined'),
  stale: t('数据过期', 'Stale'),
  'config-gap': t('配置缺口：接口名称未解析', 'Configuration gap: interface name not found'),
  'no-data': t('无数据', 'No data'),
};

/** The same states in the fewest words, for the wall's tiles (the tile's colour and pattern say "outage"). */
/** The circuit register's status of a circuit (inventory/circuit-register.ts, contract 4.1, 5.1, 13). */
export const CONTRACT_STATUS_TERMS: Readonly<Record<'ordered' | 'active' | 'notice-given' | 'ended', Term>> = {
  ordered: t('已订购未开通', 'Ordered'),
  active: t('在网', 'Active'),
  'notice-given': t('已提出终止', 'Notice given'),
  ended: t('已终止', 'Ended'),
};

/** 13.2: what happens at the end of the current term. */
export const RENEWAL_DECISION_TERMS: Readonly<Record<'renews-unless-notice' | 'renews' | 'ends', Term>> = {
  'renews-unless-notice': t('未提前通知则自动续期', 'Renews unless notice is given'),
  renews: t('自动续期（通知期已过）', 'Renews (notice deadline passed)'),
  ends: t('到期终止（已按期通知）', 'Ends (notice given in time)'),
};

export const TILE_STATE_SHORT_TERMS: Readonly<Record<TileState, Term>> = {
  up: t('正常', 'Up'),
  'line-outage': t('线路侧', 'Line'),
  'device-outage': t('设备侧', 'Device'),
  planned: t('计划割接', 'Planned'),
  'external-outage': t('不可抗力', 'Force maj.'),
  'monitoring-gap': t('监测中断', 'Mon. gap'),
  undetermined: t('待定', 'Undeterm.'),
  stale: t('过期', 'Stale'),
  'config-gap': t('配置缺口', 'Config gap'),
  'no-data': t('无数据', 'No data'),
};

/** The decision table's rules (outage/attribution.ts, docs/attribution.md). */
export const RULE_NAMES = [
  'operator-correction', 'noc-isolation', 'demarc-down', 'center-view-lost', 'management-plane-hang', 'planned-maintenance',
  'oob-wan-admin-down', 'conflicting-evidence', 'ce-replaced', 'ce-rebooted', 'cpe-customer-port-down', 'dying-gasp',
  'cpe-line-down', 'oob-wan-down', 'maintenance-overrun', 'mass-outage', 'line-cut',
  'ce-silent-on-all-paths', 'awaiting-recovery', 'unplaced-break', 'no-uptime',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const RULE_TERMS: Readonly<Record<RuleName, Term>> = {
  'operator-correction': t('人工更正（已复核）', 'Operator correction (approved)'),
  'noc-isolation': t('监测中心失联', 'NOC isolated'),
  'demarc-down': t('demarc 停止运行', 'demarc not running'),
  'center-view-lost': t('中心视角失联（分区采集器仍可见）', 'Center lost sight (division collector still sees it)'),
  'management-plane-hang': t('CE 管理面无响应', 'CE management plane hung'),
  'planned-maintenance': t('计划割接', 'Planned cutover'),
  'oob-wan-admin-down': t('WAN 口被关闭（带外可见）', 'WAN port shut down (seen out-of-band)'),
  'conflicting-evidence': t('证据矛盾', 'Conflicting evidence'),
  'ce-rebooted': t('CE 重启或掉电', 'CE rebooted or lost power'),
  'ce-replaced': t('CE 被更换', 'CE replaced'),
  'cpe-customer-port-down': t('CPE 用户侧端口中断', 'CPE port towards the CE down'),
  'dying-gasp': t('掉电告警', 'Dying gasp'),
  'cpe-line-down': t('CPE 线路侧端口中断', 'CPE line port down'),
  'oob-wan-down': t('WAN 口无链路（带外可见）', 'WAN port without link (seen out-of-band)'),
  'maintenance-overrun': t('割接超时', 'Cutover overran its window'),
  'mass-outage': t('汇聚节点群障', 'Carrier-group outage'),
  'line-cut': t('线路中断', 'Line cut'),
  'ce-silent-on-all-paths': t('CE 全路径无响应', 'CE silent on all paths'),
  'awaiting-recovery': t('等待恢复后判定', 'Awaiting recovery'),
  'unplaced-break': t('无法定位的中断', 'Break not placed'),
  'no-uptime': t('缺少运行时间', 'No uptime to compare'),
};

/** Every evidence kind the outage stage records. */
export const EVIDENCE_KINDS = [
  'ce-unreachable', 'ce-returned', 'headend-down', 'headend-unreachable', 'headend-up-moving',
  'oob-reachable', 'oob-unreachable', 'oob-wan-down', 'oob-wan-admin-down',
  'cpe-line-down', 'cpe-customer-port-down', 'cpe-unreachable',
  'trap:linkDown', 'trap:linkUp', 'trap:coldStart', 'trap:warmStart', 'trap:dyingGasp',
  'uptime-continuous', 'agent-restart', 'ce-rebooted', 'ce-replaced', 'uptime-unknown', 'wan-change-inside',
  'vantage-sees-ce', 'vantage-lost-ce',
  'demarc-down', 'demarc-restart', 'noc-isolation', 'gap-ended', 'mass-outage', 'flap',
  'maintenance-window', 'maintenance-overrun', 'carrier-reported', 'carrier-responded',
  'correction-proposed', 'correction-approved', 'correction-rejected', 'verdict',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_KIND_TERMS: Readonly<Record<EvidenceKind, Term>> = {
  'ce-unreachable': t('CE 带内不可达', 'CE unreachable in-band'),
  'ce-returned': t('CE 带内恢复应答', 'CE answering in-band again'),
  'headend-down': t('中心端接口中断', 'Head-end interface down'),
  'headend-unreachable': t('中心端设备无应答', 'Head-end not answering'),
  'headend-up-moving': t('中心端接口正常且有流量', 'Head-end up and carrying traffic'),
  'oob-reachable': t('带外通道可达 CE', 'CE reachable out-of-band'),
  'oob-unreachable': t('带外通道也不可达', 'CE unreachable out-of-band too'),
  'oob-wan-down': t('WAN 口无链路（带外）', 'WAN port without link (out-of-band)'),
  'oob-wan-admin-down': t('WAN 口被管理性关闭（带外）', 'WAN port administratively down (out-of-band)'),
  'cpe-line-down': t('运营商 CPE 线路侧端口中断', 'Carrier CPE line port down'),
  'cpe-customer-port-down': t('运营商 CPE 用户侧端口中断', 'Carrier CPE port towards the CE down'),
  'cpe-unreachable': t('运营商 CPE 无应答', 'Carrier CPE not answering'),
  'trap:linkDown': t('Trap：链路断开', 'Trap: link down'),
  'trap:linkUp': t('Trap：链路恢复', 'Trap: link up'),
  'trap:coldStart': t('Trap：冷启动', 'Trap: cold start'),
  'trap:warmStart': t('Trap：热启动', 'Trap: warm start'),
  'trap:dyingGasp': t('Trap：掉电告警', 'Trap: dying gasp'),
  'uptime-continuous': t('CE 运行时间连续（未重启）', 'CE uptime continuous (no reboot)'),
  'agent-restart': t('仅 SNMP 代理重启（CE 未重启）', 'Only the SNMP agent restarted'),
  'ce-rebooted': t('CE 重启或掉电', 'CE rebooted or lost power'),
  'ce-replaced': t('CE 被更换', 'CE replaced'),
  'uptime-unknown': t('CE 未报告运行时间', 'CE reported no uptime'),
  'wan-change-inside': t('WAN 口在中断期间变化', 'WAN port changed during the outage'),
  'vantage-sees-ce': t('分区采集器仍可达 CE', 'Division collector still reaches the CE'),
  'vantage-lost-ce': t('分区采集器也不可达 CE', 'Division collector lost the CE too'),
  'demarc-down': t('demarc 停止运行', 'demarc not running'),
  'demarc-restart': t('demarc 重启后续判', 'Resumed after demarc restart'),
  'noc-isolation': t('监测中心失联', 'NOC isolated'),
  'gap-ended': t('监测恢复', 'Monitoring restored'),
  'mass-outage': t('同汇聚节点多站点同时中断', 'Carrier-group outage'),
  flap: t('线路抖动', 'Flap'),
  'maintenance-window': t('已报备的计划割接窗口', 'Announced cutover window'),
  'maintenance-overrun': t('割接超出报备窗口', 'Cutover ran past its window'),
  'carrier-reported': t('已向运营商申告', 'Reported to the carrier'),
  'carrier-responded': t('运营商已响应', 'Carrier responded'),
  'correction-proposed': t('提出更正申请', 'Correction proposed'),
  'correction-approved': t('更正已复核', 'Correction approved'),
  'correction-rejected': t('更正已驳回', 'Correction rejected'),
  verdict: t('判定', 'Verdict'),
};

/** Parameters of a structured evidence entry or rule reason: plain JSON, times as epoch ms UTC. */
export type TermParams = Readonly<Record<string, string | number | boolean | null | undefined>>;
type Template = (p: TermParams, l: Locale) => string;
type Templates = Readonly<Record<Locale, Template>>;

const SHANGHAI = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
/** An instant as people read it here: Asia/Shanghai, `YYYY-MM-DD HH:mm:ss`. */
export const shanghaiTime = (ms: number): string => SHANGHAI.format(new Date(ms));
const s = (v: TermParams[string], fallback = '?') => (v === undefined || v === null || v === '' ? fallback : String(v));
const tm = (v: TermParams[string]) => (typeof v === 'number' ? shanghaiTime(v) : '?');
const n = (v: TermParams[string]) => (typeof v === 'number' ? Math.round(v) : '?');
const mbps = (v: TermParams[string]) => (typeof v === 'number' ? (v / 1e6).toFixed(1) : '?');
const days = (v: TermParams[string]) => (typeof v === 'number' ? (v / 86400).toFixed(1) : '?');
const resp = (v: TermParams[string], l: Locale) => RESPONSIBILITY_TERMS[v as Responsibility]?.[l] ?? s(v);
const err = (p: TermParams, l: Locale) => (typeof p.error === 'string' && p.error ? term(POLL_FAILURE_TERMS, p.error, l) : l === 'en' ? 'no reply' : '无应答');
/** An interface status code in the language (an unknown one as recorded). */
const st = (v: TermParams[string], l: Locale) => (typeof v === 'string' ? term(IF_STATUS_TERMS, v, l) : s(v));
const colon = (p: TermParams, l: Locale, key: string) => (p[key] ? (l === 'en' ? `: ${p[key]}` : `：${p[key]}`) : '');
const T = (zh: Template, en: Template): Templates => ({ 'zh-CN': zh, en });
const trap = (zhName: string, enName: string): Templates =>
  T((p, l) => `${s(p.from).toUpperCase()} 发出${zhName} trap${p.ifName ? `（${p.ifName}）` : ''}${colon(p, l, 'detail')}`,
    (p, l) => `${enName} trap from the ${s(p.from).toUpperCase()}${p.ifName ? ` (${p.ifName})` : ''}${colon(p, l, 'detail')}`);

/** Detail sentences of the rules (Decision.reason), by rule. */
export const RULE_REASON_TEMPLATES: Readonly<Record<RuleName, Templates>> = {
  'operator-correction': T((p) => `经人工更正，由 ${s(p.approvedBy)} 复核通过：${s(p.reason, '')}`, (p) => `corrected by an operator and approved by ${s(p.approvedBy)}: ${s(p.reason, '')}`),
  'noc-isolation': T(() => '监测中心同时失去对中心端或几乎全部站点的观测：demarc 看不见，不归责任任何一方', () => 'the NOC lost sight of the head-end or of nearly every site at once: demarc could not see, nobody is charged'),
  'demarc-down': T(() => 'demarc 自身未运行，重启后的观测也无法说明期间情况', () => 'demarc itself was not running, and nothing seen after its restart tells what happened meanwhile'),
  'center-view-lost': T(
    (p) => `中心失去对本站的观测，而分区采集器 ${s(p.collector)} 同期仍能带内访问 CE：属中心视角的监测中断，不计为线路侧中断`,
    (p) => `the center lost sight of the site while division collector ${s(p.collector)} still reached its CE in-band: a monitoring gap in the center's view, not a line-side outage`,
  ),
  'management-plane-hang': T(() => 'CE 停止应答 SNMP，但电路仍在传送流量：属甲方侧的监测中断，不计为中断时长', () => 'the CE stopped answering SNMP while the circuit kept carrying traffic: a monitoring gap on the customer side, not downtime'),
  'planned-maintenance': T((p) => `发生在运营商提前通知的计划割接窗口内（通知 ${s(p.noticeRef)}）`, (p) => `inside a cutover the carrier announced in advance (notice ${s(p.noticeRef)})`),
  'oob-wan-admin-down': T(() => '经带外通道，CE 报告其 WAN 口被管理性关闭：属甲方配置', () => "over the out-of-band path the CE reported its WAN port administratively shut down: the customer's configuration"),
  'conflicting-evidence': T(() => '证据指向两侧（CE 曾中断，运营商侧也报告线路中断）：需人工判定', () => 'the evidence points both ways (the CE went down and the carrier side reported the line down): an operator must decide'),
  'ce-replaced': T(() => 'CE 恢复时已是另一台设备（资产发现看到序列号或型号改变）：中断期间客户设备被更换（CE 属设备侧）', () => "the CE came back as another unit (discovery saw its serial or model change): the customer's equipment was replaced during the outage"),
  'ce-rebooted': T(() => 'CE 恢复后的运行时间短于中断时长：CE 掉电或故障（站点电源与 CE 属设备侧）', () => 'the CE came back with an uptime shorter than the outage: it lost power or failed (site power and the CE are the customer side)'),
  'cpe-customer-port-down': T(() => '运营商 CPE 可应答，并看到其朝向 CE 的端口中断，而 CE 无响应：故障在甲方一侧', () => "the carrier CPE answered and saw its port towards the CE down while the CE was silent: the fault is on the customer's side of the boundary"),
  'dying-gasp': T(() => '站点发出掉电告警（dying gasp），且 CE 未表明其保持运行', () => 'the site sent a dying-gasp trap (power failing) and the CE has not shown it stayed up'),
  'cpe-line-down': T(() => '运营商 CPE 可应答，并报告其线路侧端口中断：属运营商一侧', () => "the carrier CPE answered and reported its line-side port down: the carrier's side of the boundary"),
  'oob-wan-down': T(() => '经带外通道，CE 运行正常、WAN 口已启用但无链路：外部线路故障', () => 'over the out-of-band path the CE was up, its WAN port enabled but without link: the line beyond it failed'),
  'maintenance-overrun': T(() => '运营商割接超出报备窗口的结束时间；超出部分未经通知', () => 'carrier maintenance ran past the end of its announced window; the overrun was not announced'),
  'mass-outage': T(() => '同一运营商汇聚节点下多个站点同时中断：运营商网络故障，本站无反证', () => 'many sites on the same carrier aggregation node went down together: a carrier network fault, and this site has no evidence of its own against it'),
  'line-cut': T(() => '中断期间 CE 保持运行，而其 WAN 链路或中心端接口中断：线路故障', () => 'the CE stayed up through the outage while its WAN link or the head-end interface went down: the line failed'),
  'ce-silent-on-all-paths': T(() => 'CE 在电路和带外通道上都无响应：CE 或其电源故障（待恢复后确认）', () => 'the CE answers neither over the circuit nor over its out-of-band path: it or its power is down (to be confirmed when it returns)'),
  'awaiting-recovery': T(() => 'CE 尚未恢复；恢复后其运行时间将表明是否保持运行（线路侧）或曾中断（设备侧）', () => 'the CE has not returned yet; its uptime will tell whether it stayed up (line) or went down (device)'),
  'unplaced-break': T(() => 'CE 保持运行、WAN 口未变化、中心端也未见电路中断：无法判定故障在哪一侧', () => 'the CE stayed up, its WAN port did not change and the head-end never saw the circuit down: the break cannot be placed on either side'),
  'no-uptime': T(() => 'CE 恢复时没有可比较的运行时间，也没有其他信号可判定', () => 'the CE returned without an uptime demarc could compare, and no other signal decides'),
};

const flapHow = (p: TermParams, l: Locale) =>
  p.polls === null || p.polls === undefined ? (l === 'en' ? 'seen only by linkDown/linkUp traps between polls' : '仅由两次轮询之间的链路断开/恢复 trap 发现') : l === 'en' ? `${p.polls} failed poll(s)` : `${p.polls} 次轮询失败`;
const RESTART_OUTCOME: Readonly<Record<string, Templates>> = {
  'still-down': T(() => '此前已中断且仍未恢复：同一中断持续', () => 'the site was down before and is still down: one continuing outage'),
  'returned-before': T((p) => `站点已于 ${tm(p.at)} 恢复（demarc 停止之前）`, (p) => `the site had returned at ${tm(p.at)}, before demarc stopped`),
  'last-change': T(
    (p) => `CE 的 ifLastChange 表明于 ${tm(p.readAt ?? p.at)} 恢复${typeof p.readAt === 'number' && typeof p.at === 'number' && p.readAt < p.at ? `，在时钟精度内与 demarc 停止前最后一次（仍见中断的）轮询 ${tm(p.at)} 重合，计至该次轮询` : ''}`,
    (p) => `the CE's ifLastChange places the recovery at ${tm(p.readAt ?? p.at)}${typeof p.readAt === 'number' && typeof p.at === 'number' && p.readAt < p.at ? `, within its clock's resolution of demarc's last poll (${tm(p.at)}), which saw it down` : ''}`,
  ),
  unknown: T((p) => `demarc 恢复时站点已恢复，无法得知恢复时刻：中断计至 ${tm(p.at)}，其后为监测中断`, (p) => `the site was back when demarc returned and nothing tells when it recovered: the outage is counted to ${tm(p.at)}, the rest is a monitoring gap`),
};
const GAP_ENDED: Readonly<Record<string, Term>> = {
  'noc-visible': t('监测中心重新看到全网', 'the NOC sees the fleet again'),
  'traffic-stopped': t('监测中断结束：电路不再传送流量', 'monitoring gap over: the circuit stopped carrying traffic'),
  'ce-answers': t('监测中断结束：CE 重新应答 SNMP', 'monitoring gap over: the CE answers SNMP again'),
};

/** Detail sentences of the evidence kinds, rendered from the entry's parameters. */
export const EVIDENCE_DETAIL_TEMPLATES: Readonly<Record<EvidenceKind, Templates>> = {
  'ce-unreachable': T((p, l) => `CE 带内无响应（${err(p, l)}）`, (p, l) => `CE did not answer in-band (${err(p, l)})`),
  'ce-returned': T((p) => `CE 在 ${n(p.afterSec)} 秒后带内恢复应答`, (p) => `CE answered in-band again after ${n(p.afterSec)} s`),
  'headend-down': T((p, l) => `中心端电路接口状态为${st(p.oper, l)}`, (p, l) => `head-end interface of the circuit is ${st(p.oper, l)}`),
  'headend-unreachable': T((p, l) => `中心端设备无应答（${err(p, l)}）`, (p, l) => `head-end did not answer (${err(p, l)})`),
  'headend-up-moving': T((p) => `中心端接口正常，仍有流量：入 ${mbps(p.inBps)} Mbit/s，出 ${mbps(p.outBps)} Mbit/s`, (p) => `head-end interface up and carrying in ${mbps(p.inBps)} Mbit/s, out ${mbps(p.outBps)} Mbit/s`),
  'oob-reachable': T((p, l) => `CE 经带外通道应答（WAN 口运行状态${st(p.wanOper, l)}，管理状态${st(p.wanAdmin, l)}）`, (p, l) => `CE answered over its out-of-band path (WAN oper ${st(p.wanOper, l)}, admin ${st(p.wanAdmin, l)})`),
  'oob-unreachable': T((p, l) => `CE 带外通道也无应答（${err(p, l)}）`, (p, l) => `CE did not answer over its out-of-band path either (${err(p, l)})`),
  'oob-wan-down': T((p, l) => `经带外通道，CE 报告 WAN 口已启用但状态为${st(p.wanOper, l)}：线路无链路`, (p, l) => `over OOB the CE reports its WAN port enabled but ${st(p.wanOper, l)}: no link from the line`),
  'oob-wan-admin-down': T(() => '经带外通道，CE 报告 WAN 口被管理性关闭', () => 'over OOB the CE reports its WAN port administratively down'),
  'cpe-line-down': T((p, l) => `运营商 CPE 报告其线路侧端口${st(p.oper, l)}`, (p, l) => `carrier CPE reports its line-side port ${st(p.oper, l)}`),
  'cpe-customer-port-down': T((p, l) => `运营商 CPE 报告其朝向 CE 的端口${st(p.oper, l)}`, (p, l) => `carrier CPE reports its port towards the CE ${st(p.oper, l)}`),
  'cpe-unreachable': T((p, l) => `运营商 CPE 无应答（${err(p, l)}）`, (p, l) => `carrier CPE did not answer (${err(p, l)})`),
  'trap:linkDown': trap('链路断开', 'linkDown'),
  'trap:linkUp': trap('链路恢复', 'linkUp'),
  'trap:coldStart': trap('冷启动', 'coldStart'),
  'trap:warmStart': trap('热启动', 'warmStart'),
  'trap:dyingGasp': trap('掉电告警', 'dyingGasp'),
  'uptime-continuous': T(
    (p) => (p.wrapped ? `sysUpTime 在 497 天处回绕后继续计数（现为 ${days(p.uptimeSec)} 天）：CE 保持运行` : `sysUpTime ${days(p.uptimeSec)} 天，在中断（${n(p.outageSec)} 秒）期间持续计数：CE 保持运行`),
    (p) => (p.wrapped ? `sysUpTime wrapped at 497 days and kept counting (now ${days(p.uptimeSec)} days): the CE stayed up` : `sysUpTime ${days(p.uptimeSec)} days kept counting through the outage (${n(p.outageSec)} s): the CE stayed up`),
  ),
  'agent-restart': T(
    (p) => `sysUpTime 重新计数（${n(p.uptimeSec)} 秒），但 hrSystemUptime 持续计数（${days(p.hostUptimeSec)} 天）：仅 SNMP 代理重启，CE 保持运行`,
    (p) => `sysUpTime restarted (${n(p.uptimeSec)} s) but hrSystemUptime kept counting (${days(p.hostUptimeSec)} days): only the SNMP agent restarted, the CE stayed up`,
  ),
  'ce-rebooted': T(
    (p) => `CE 已运行 ${n(p.uptimeSec)} 秒，短于中断开始至今的 ${n(p.outageSec)} 秒：CE 重启或掉电`,
    (p) => `the CE has been up ${n(p.uptimeSec)} s, less than expected had it kept running (outage began ${n(p.outageSec)} s before): it rebooted or lost power`,
  ),
  'ce-replaced': T(
    (p) => `资产发现：CE 已更换，${s(p.fromModel)}（序列号 ${s(p.fromSerial)}）→ ${s(p.toModel)}（序列号 ${s(p.toSerial)}）`,
    (p) => `discovery: the CE was replaced, ${s(p.fromModel)} serial ${s(p.fromSerial)} → ${s(p.toModel)} serial ${s(p.toSerial)}`,
  ),
  'uptime-unknown': T(() => 'CE 恢复时未报告 sysUpTime', () => 'the CE returned without reporting sysUpTime'),
  'wan-change-inside': T((p) => `CE 的 WAN 口于 ${tm(p.changedAt)} 变化（ifLastChange），在中断期间内`, (p) => `the CE's WAN port last changed state at ${tm(p.changedAt)} (ifLastChange), inside the outage`),
  'vantage-sees-ce': T((p) => `采集器 ${s(p.collector)} 于 ${tm(p.at)} 带内访问 CE 正常`, (p) => `collector ${s(p.collector)} reached the CE in-band at ${tm(p.at)}`),
  'vantage-lost-ce': T((p, l) => `采集器 ${s(p.collector)} 于 ${tm(p.at)} 也无法访问 CE（${err(p, l)}）`, (p, l) => `collector ${s(p.collector)} could not reach the CE either at ${tm(p.at)} (${err(p, l)})`),
  'demarc-down': T((p) => `demarc 在 ${tm(p.from)} 至 ${tm(p.until)} 未运行，其间本站中断 ${s(p.incidentId)} 仍未结束`, (p) => `demarc was not running from ${tm(p.from)} to ${tm(p.until)} while this site's outage ${s(p.incidentId)} was open`),
  'demarc-restart': T(
    (p, l) => `demarc 在 ${tm(p.from)} 至 ${tm(p.until)} 未运行；${RESTART_OUTCOME[s(p.outcome)]?.[l](p, l) ?? ''}`,
    (p, l) => `demarc was not running from ${tm(p.from)} to ${tm(p.until)}; ${RESTART_OUTCOME[s(p.outcome)]?.[l](p, l) ?? ''}`,
  ),
  'noc-isolation': T(
    (p) =>
      p.cause === 'headend-unreachable' ? `${n(p.total)} 条电路中有 ${n(p.headendUnreachable)} 条的中心端无应答：监测中心失联，不为各站点开中断`
      : p.cause === 'silent' ? `${n(p.total)} 个站点中 ${n(p.silent)} 个同时无响应：监测中心失联，不为各站点开中断`
      : `监测中心在 ${tm(p.from)} 至 ${tm(p.until)} 失去对全网的观测（事件 ${s(p.incidentId)}）；其间本中断状态未知`,
    (p) =>
      p.cause === 'headend-unreachable' ? `the head-end did not answer for ${n(p.headendUnreachable)} of ${n(p.total)} circuits: the NOC lost sight, per-site outages are not opened`
      : p.cause === 'silent' ? `${n(p.silent)} of ${n(p.total)} sites went silent at once: the NOC lost sight, per-site outages are not opened`
      : `the NOC lost sight of the fleet from ${tm(p.from)} to ${tm(p.until)} (incident ${s(p.incidentId)}); this outage's state then is unknown`,
  ),
  'gap-ended': T((p, l) => GAP_ENDED[s(p.cause)]?.[l] ?? '监测恢复', (p, l) => GAP_ENDED[s(p.cause)]?.[l] ?? 'monitoring restored'),
  'mass-outage': T(
    (p) => `汇聚节点 ${s(p.group)} 下的站点同时中断（${n(p.windowSec)} 秒内至少 ${n(p.minSites)} 个）：群障事件 ${s(p.eventId)}`,
    (p) => `sites of carrier group ${s(p.group)} went down together (at least ${n(p.minSites)} within ${n(p.windowSec)} s): group event ${s(p.eventId)}`,
  ),
  flap: T(
    (p, l) => (p.again ? '恢复尚未确认时电路再次中断' : `电路中断 ${n(p.durationSec)} 秒（${flapHow(p, l)}）`),
    (p, l) => (p.again ? 'the circuit dropped again before its recovery was confirmed' : `the circuit dropped for ${n(p.durationSec)} s (${flapHow(p, l)})`),
  ),
  'maintenance-window': T(
    (p) => `计划割接窗口 ${s(p.windowId)}（通知 ${s(p.noticeRef)}）${tm(p.startsAt)} – ${tm(p.endsAt)}，由 ${s(p.registeredBy)} 于 ${tm(p.registeredAt)} 登记`,
    (p) => `cutover window ${s(p.windowId)} (notice ${s(p.noticeRef)}) ${tm(p.startsAt)} – ${tm(p.endsAt)}, registered ${tm(p.registeredAt)} by ${s(p.registeredBy)}`,
  ),
  'maintenance-overrun': T(
    (p) => `割接窗口 ${s(p.windowId)}（通知 ${s(p.noticeRef)}）于 ${tm(p.endedAt)} 结束时仍未恢复；其后时长计入本事件`,
    (p) => `still down when cutover window ${s(p.windowId)} (notice ${s(p.noticeRef)}) ended at ${tm(p.endedAt)}; the time after it is this incident`,
  ),
  'carrier-reported': T((p, l) => `${s(p.by)} 已向运营商故障热线申告${colon(p, l, 'note')}`, (p, l) => `reported to the carrier's fault hotline by ${s(p.by)}${colon(p, l, 'note')}`),
  'carrier-responded': T(
    (p, l) => `运营商在 ${n(p.minutes)} 分钟后响应（${s(p.limitH)} 小时时限：${p.met ? '达标' : '超时'}；${s(p.strictH)} 小时：${p.strictMet ? '达标' : '超时'}），由 ${s(p.by)} 记录${colon(p, l, 'note')}`,
    (p, l) => `the carrier responded after ${n(p.minutes)} min (limit ${s(p.limitH)} h: ${p.met ? 'met' : 'missed'}; ${s(p.strictH)} h: ${p.strictMet ? 'met' : 'missed'}), recorded by ${s(p.by)}${colon(p, l, 'note')}`,
  ),
  'correction-proposed': T(
    (p, l) => `${s(p.by)} 申请更正为${resp(p.responsibility, l)}：${s(p.reason, '')}（待另一人复核）`,
    (p, l) => `${s(p.by)} proposed ${resp(p.responsibility, l)}: ${s(p.reason, '')} (waiting for a second person's approval)`,
  ),
  'correction-approved': T(
    (p, l) => `${s(p.by)} 复核通过 ${s(p.proposedBy)} 提出的更正（${resp(p.responsibility, l)}）：${s(p.reason, '')}`,
    (p, l) => `${s(p.by)} approved ${resp(p.responsibility, l)} proposed by ${s(p.proposedBy)}: ${s(p.reason, '')}`,
  ),
  'correction-rejected': T(
    (p, l) => `${s(p.by)} 驳回 ${s(p.proposedBy)} 提出的更正（${resp(p.responsibility, l)}）：${s(p.reason, '')}`,
    (p, l) => `${s(p.by)} rejected ${resp(p.responsibility, l)} proposed by ${s(p.proposedBy)}: ${s(p.reason, '')}`,
  ),
  verdict: T(
    (p, l) => `${resp(p.responsibility, l)}，${VERDICT_TERMS[p.verdict as VerdictStatus]?.[l] ?? s(p.verdict)}，规则「${ruleLabel(s(p.rule), l)}」：${ruleReason(s(p.rule), p, l)}`,
    (p, l) => `${resp(p.responsibility, l)}, ${VERDICT_TERMS[p.verdict as VerdictStatus]?.[l] ?? s(p.verdict)}, rule "${ruleLabel(s(p.rule), l)}": ${ruleReason(s(p.rule), p, l)}`,
  ),
};

const isKey = <K extends string>(table: Readonly<Record<K, unknown>>, k: string): k is K => Object.prototype.hasOwnProperty.call(table, k);

/** A term's word in a language; a key the table does not know is shown as written, never hidden. */
export function term<K extends string>(table: Readonly<Record<K, Term>>, key: string, locale: Locale): string {
  return isKey(table, key) ? table[key][locale] : key;
}
export const responsibilityLabel = (r: string, l: Locale) => term(RESPONSIBILITY_TERMS, r, l);
export const ruleLabel = (rule: string, l: Locale) => term(RULE_TERMS, rule, l);
export const evidenceKindLabel = (kind: string, l: Locale) => term(EVIDENCE_KIND_TERMS, kind, l);
export const tileStateLabel = (st: string, l: Locale) => term(TILE_STATE_TERMS, st, l);
export const tileShortLabel = (st: string, l: Locale) => term(TILE_STATE_SHORT_TERMS, st, l);

export function ruleReason(rule: string, p: TermParams, l: Locale): string {
  return isKey(RULE_REASON_TEMPLATES, rule) ? RULE_REASON_TEMPLATES[rule][l](p, l) : '';
}

/** An evidence entry as stored: structured (kind + params), or an older one with an English sentence. */
export interface EvidenceLike {
  kind: string;
  params?: TermParams | null;
  detail?: string | null;
}

/**
 * The sentence of one evidence entry in a language. Entries recorded before evidence was
 * structured carry only an English `detail`; they are shown as recorded so nothing is lost.
 */
export function evidenceDetail(e: EvidenceLike, l: Locale): string {
  if (e.params && isKey(EVIDENCE_DETAIL_TEMPLATES, e.kind)) return EVIDENCE_DETAIL_TEMPLATES[e.kind][l](e.params, l);
  return e.detail ?? '';
}

/** One language's words of a table, for vue-i18n message files. */
export function wordsIn<K extends string>(table: Readonly<Record<K, Term>>, l: Locale): Record<K, string> {
  return Object.fromEntries(Object.entries<Term>(table).map(([k, v]) => [k, v[l]])) as Record<K, string>;
}
