import { describe, expect, it } from 'vitest';
import type { Evidence, Incident } from '../../core/incident.js';
import { faultReport, type FaultDesk } from '../../outage/fault-report.js';
import { makeSite } from './sample-factory.js';

const T0 = Date.parse('2026-03-01T00:05:09Z'); // 08:05:09 in Shanghai
const desk: FaultDesk = { customer: '社会保障卡服务中心', hotline: '400-000-0000', callback: 'NOC 值班台' };
const site = { ...makeSite('D01-R002'), name: '一师二团', division: '第一师' };

function incident(evidence: Evidence[], over: Partial<Incident> = {}): Incident {
  return {
    id: 'INC-1', siteId: site.id, circuitId: 'C-D01-R002', kind: 'outage', startedAt: T0, endedAt: null,
    responsibility: 'line', verdict: 'provisional', rule: 'line-cut', evidence, flaps: 0, groupEventId: null,
    maintenanceWindowId: null, carrierReportedAt: null, carrierRespondedAt: null, corrections: [], ...over,
  };
}

const seen: Evidence[] = [
  { at: T0 + 2000, kind: 'headend-down', params: { oper: 'down' } },
  { at: T0, kind: 'ce-unreachable', params: { error: 'timeout' } },
  { at: T0 + 3000, kind: 'verdict', params: { responsibility: 'line', verdict: 'provisional', rule: 'line-cut' } },
  { at: T0 + 4000, kind: 'correction-proposed', params: { by: 'noc.zhang', responsibility: 'device', reason: 'x' } },
];

describe('faultReport: the pre-filled report to the carrier (zh-CN)', () => {
  const cases: { name: string; i: Incident; s: typeof site | null; d?: Partial<FaultDesk>; has: string[]; lacks: string[]; evidence: number }[] = [
    {
      name: 'circuit, site, division, start in Shanghai time, callback; evidence oldest first, bookkeeping left out',
      i: incident(seen), s: site, has: ['故障申告：社会保障卡服务中心 专线 C-D01-R002 中断', '电路编号：C-D01-R002', '站点：一师二团（D01-R002）', '所属师：第一师', '故障开始：2026-03-01 08:05:09（北京时间）', '回电：NOC 值班台', '1. 2026-03-01 08:05:09 CE 带内不可达', '2. 2026-03-01 08:05:11'], lacks: ['申请更正', 'noc.zhang', '规则「'], evidence: 2,
    },
    { name: 'no callback configured: no callback line', i: incident(seen), s: site, d: { callback: null }, has: ['申告单位：社会保障卡服务中心'], lacks: ['回电'], evidence: 2 },
    { name: 'no evidence yet', i: incident([]), s: site, has: ['故障现象（demarc 监测证据）：\n（无）'], lacks: ['1. '], evidence: 0 },
    { name: 'a site no longer in the inventory: its id, the circuit from the incident', i: incident(seen), s: null, has: ['站点：D01-R002', '电路编号：C-D01-R002'], lacks: ['所属师'], evidence: 2 },
    { name: 'old English evidence kept as recorded', i: incident([{ at: T0, kind: 'demarc-down', detail: 'demarc was not running' }]), s: site, has: ['demarc was not running'], lacks: [], evidence: 1 },
  ];
  it.each(cases)('$name', (c) => {
    const r = faultReport(c.i, c.s, { ...desk, ...c.d });
    for (const h of c.has) expect(r.text).toContain(h);
    for (const l of c.lacks) expect(r.text).not.toContain(l);
    expect(r.evidence).toHaveLength(c.evidence);
    expect(r.hotline).toBe('400-000-0000');
    expect(r.startedAt).toBe('2026-03-01T00:05:09.000Z');
  });

  it('the same incident gives the same text', () => {
    expect(faultReport(incident(seen), site, desk).text).toBe(faultReport(incident([...seen].reverse()), site, desk).text);
  });
});
