import type { Incident } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import { evidenceDetail, evidenceKindLabel, responsibilityLabel, shanghaiTime } from '../core/terms.js';

/** Where fault reports go (contract 7.4.1) and who makes them; `alerts.faultReport` in demarc.yaml. */
export interface FaultDesk {
  /** 甲方 as the carrier knows it. */
  customer: string;
  /** The carrier's key-account fault hotline; null when not configured. */
  hotline: string | null;
  /** Where the carrier calls back (the NOC desk). */
  callback: string | null;
}

/** A fault report as the operator reads it out or pastes it to the carrier: always zh-CN. */
export interface FaultReport {
  incidentId: string;
  hotline: string | null;
  customer: string;
  callback: string | null;
  circuitId: string | null;
  siteId: string | null;
  siteName: string | null;
  division: string | null;
  /** ISO-8601 UTC. */
  startedAt: string;
  /** The observations, one zh-CN sentence each, oldest first. */
  evidence: string[];
  text: string;
}

/**
 * What the carrier needs from the evidence is what was seen on the wire, not demarc's own
 * bookkeeping (verdict changes, corrections, earlier reports): those are left out.
 */
const BOOKKEEPING = new Set(['verdict', 'carrier-reported', 'carrier-responded', 'correction-proposed', 'correction-approved', 'correction-rejected']);

/** The pre-filled fault report for one incident (pure: the same incident gives the same text). */
export function faultReport(incident: Incident, site: Site | null, desk: FaultDesk): FaultReport {
  const evidence = [...incident.evidence]
    .filter((e) => !BOOKKEEPING.has(e.kind))
    .sort((a, b) => a.at - b.at)
    .map((e) => {
      const detail = evidenceDetail(e, 'zh-CN');
      return `${shanghaiTime(e.at)} ${evidenceKindLabel(e.kind, 'zh-CN')}${detail ? `：${detail}` : ''}`;
    });
  const circuitId = incident.circuitId ?? site?.circuit.id ?? null;
  const lines = [
    `故障申告：${desk.customer} 专线 ${circuitId ?? '（无电路编号）'} 中断`,
    `电路编号：${circuitId ?? '—'}`,
    `站点：${site ? `${site.name}（${site.id}）` : (incident.siteId ?? '全网')}`,
    ...(site ? [`所属师：${site.division}`] : []),
    `故障开始：${shanghaiTime(incident.startedAt)}（北京时间）`,
    `demarc 判定：${responsibilityLabel(incident.responsibility, 'zh-CN')}`,
    `申告单位：${desk.customer}`,
    ...(desk.callback ? [`回电：${desk.callback}`] : []),
    '故障现象（demarc 监测证据）：',
    ...(evidence.length ? evidence.map((e, i) => `${i + 1}. ${e}`) : ['（无）']),
  ];
  return {
    incidentId: incident.id,
    hotline: desk.hotline,
    customer: desk.customer,
    callback: desk.callback,
    circuitId,
    siteId: incident.siteId,
    siteName: site?.name ?? null,
    division: site?.division ?? null,
    startedAt: new Date(incident.startedAt).toISOString(),
    evidence,
    text: lines.join('\n'),
  };
}
