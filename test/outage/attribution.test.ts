import { describe, expect, it } from 'vitest';
import type { Evidence, Responsibility, VerdictStatus } from '../../core/incident.js';
import { decide, DECISION_TABLE, type AttributionFacts } from '../../outage/attribution.js';
import type { Signal } from '../../outage/signals.js';

const T = Date.UTC(2026, 2, 1, 8, 0, 0);

function facts(signals: Signal[], more: Partial<AttributionFacts> = {}): AttributionFacts {
  const seen: AttributionFacts['seen'] = {};
  const evidence: Evidence[] = [];
  signals.forEach((s, i) => {
    seen[s] = T + i * 1000;
    evidence.push({ at: T + i * 1000, kind: s, detail: `${s} observed` });
  });
  return { closed: false, seen, evidence, gap: null, correction: null, plannedWindow: null, overrunOfWindow: null, groupEventId: null, ...more };
}

const window = { id: 'MW-1', carrierNoticeRef: 'CT-2026-031', endsAt: T + 3_600_000 };
const correction = { responsibility: 'external' as const, approvedBy: 'mgr.li', approvedAt: T, reason: 'regional power cut (clause 12.1)' };
const lineCut: Signal[] = ['ce-unreachable', 'headend-down', 'ce-returned', 'uptime-continuous', 'wan-change-inside'];
const powerLoss: Signal[] = ['ce-unreachable', 'headend-down', 'ce-returned', 'ce-rebooted'];

const cases: { name: string; f: AttributionFacts; rule: string; responsibility: Responsibility; verdict: VerdictStatus }[] = [
  // 1 line cut: CE stayed up, WAN ifLastChange inside the outage
  { name: 'line cut, recovered', f: facts(lineCut, { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  { name: 'line cut, CE back but recovery not yet confirmed', f: facts(lineCut), rule: 'line-cut', responsibility: 'line', verdict: 'provisional' },
  { name: 'CE continuous and head-end down, no ifLastChange', f: facts(['ce-unreachable', 'headend-down', 'ce-returned', 'uptime-continuous'], { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  { name: 'CE continuous and its WAN linkDown trap', f: facts(['ce-unreachable', 'trap:linkDown', 'ce-returned', 'uptime-continuous'], { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  // 2 power loss / CE failure; agent restart is not one
  { name: 'CE rebooted during the outage', f: facts(powerLoss, { closed: true }), rule: 'ce-rebooted', responsibility: 'device', verdict: 'final' },
  { name: 'agent restart with hrSystemUptime continuous + head-end down', f: facts(['ce-unreachable', 'headend-down', 'ce-returned', 'agent-restart'], { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  // 3 OOB and CPE evidence
  { name: 'OOB: WAN oper down, admin up, during the outage', f: facts(['ce-unreachable', 'oob-reachable', 'oob-wan-down']), rule: 'oob-wan-down', responsibility: 'line', verdict: 'provisional' },
  { name: 'OOB: WAN admin down', f: facts(['ce-unreachable', 'oob-reachable', 'oob-wan-admin-down']), rule: 'oob-wan-admin-down', responsibility: 'device', verdict: 'provisional' },
  { name: 'OOB admin down stays device when the CE returns continuous with ifLastChange inside', f: facts(['ce-unreachable', 'oob-reachable', 'oob-wan-admin-down', 'ce-returned', 'uptime-continuous', 'wan-change-inside'], { closed: true }), rule: 'oob-wan-admin-down', responsibility: 'device', verdict: 'final' },
  { name: 'CPE line port down', f: facts(['ce-unreachable', 'cpe-line-down']), rule: 'cpe-line-down', responsibility: 'line', verdict: 'provisional' },
  { name: 'CPE customer port down while the CE is silent', f: facts(['ce-unreachable', 'cpe-customer-port-down']), rule: 'cpe-customer-port-down', responsibility: 'device', verdict: 'provisional' },
  { name: 'CPE customer port down but the CE answers over OOB with WAN down', f: facts(['ce-unreachable', 'cpe-customer-port-down', 'oob-reachable', 'oob-wan-down']), rule: 'oob-wan-down', responsibility: 'line', verdict: 'provisional' },
  { name: 'CE silent in-band and over OOB, not back yet', f: facts(['ce-unreachable', 'headend-down', 'oob-unreachable']), rule: 'ce-silent-on-all-paths', responsibility: 'device', verdict: 'provisional' },
  { name: 'silent on all paths, then back with continuous uptime and a WAN change', f: facts(['ce-unreachable', 'oob-unreachable', 'ce-returned', 'uptime-continuous', 'wan-change-inside'], { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  { name: 'dying gasp before the CE returned', f: facts(['trap:dyingGasp', 'ce-unreachable']), rule: 'dying-gasp', responsibility: 'device', verdict: 'provisional' },
  { name: 'dying gasp but the CE stayed up (brown-out): no dying-gasp rule', f: facts(['trap:dyingGasp', 'ce-unreachable', 'headend-down', 'ce-returned', 'uptime-continuous'], { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  { name: 'CE rebooted and the CPE saw the line down: conflicting', f: facts([...powerLoss, 'cpe-line-down'], { closed: true }), rule: 'conflicting-evidence', responsibility: 'undetermined', verdict: 'final' },
  // CE replaced during the outage (issue 15): device side even when the new unit's uptime looks continuous
  { name: 'CE replaced during the outage', f: facts([...powerLoss, 'ce-replaced'], { closed: true }), rule: 'ce-replaced', responsibility: 'device', verdict: 'final' },
  { name: 'CE replaced, the new unit booted on the bench (uptime continuous, WAN change inside)', f: facts([...lineCut, 'ce-replaced'], { closed: true }), rule: 'ce-replaced', responsibility: 'device', verdict: 'final' },
  { name: 'CE replaced in a mass outage', f: facts([...lineCut, 'ce-replaced'], { groupEventId: 'GE-1', closed: true }), rule: 'ce-replaced', responsibility: 'device', verdict: 'final' },
  { name: 'CE replaced while the CPE saw the line down: conflicting', f: facts(['ce-unreachable', 'cpe-line-down', 'ce-returned', 'uptime-continuous', 'ce-replaced'], { closed: true }), rule: 'conflicting-evidence', responsibility: 'undetermined', verdict: 'final' },
  // 5 mass outage
  { name: 'member of a mass outage, still down', f: facts(['ce-unreachable', 'headend-down'], { groupEventId: 'GE-1' }), rule: 'mass-outage', responsibility: 'line', verdict: 'provisional' },
  { name: 'member of a mass outage, recovered continuous', f: facts(lineCut, { groupEventId: 'GE-1', closed: true }), rule: 'mass-outage', responsibility: 'line', verdict: 'final' },
  { name: 'member of a mass outage whose own CE rebooted', f: facts(powerLoss, { groupEventId: 'GE-1', closed: true }), rule: 'ce-rebooted', responsibility: 'device', verdict: 'final' },
  // 6, 4, 11 monitoring gaps
  { name: 'NOC isolation', f: facts(['noc-isolation' as Signal], { gap: 'noc-isolation', closed: true }), rule: 'noc-isolation', responsibility: 'monitoring', verdict: 'final' },
  { name: 'management-plane hang', f: facts(['ce-unreachable', 'headend-up-moving'], { gap: 'management-plane-hang' }), rule: 'management-plane-hang', responsibility: 'device', verdict: 'provisional' },
  { name: 'demarc was down', f: facts([], { gap: 'demarc-down', closed: true }), rule: 'demarc-down', responsibility: 'monitoring', verdict: 'final' },
  // vantage points (issue 14): the center lost the site, its division collector did not
  { name: 'center lost the CE, the division collector still reaches it', f: facts(['ce-unreachable', 'headend-unreachable', 'vantage-sees-ce']), rule: 'center-view-lost', responsibility: 'monitoring', verdict: 'provisional' },
  { name: 'center lost the CE, the collector saw it, then it came back continuous with a WAN change', f: facts([...lineCut, 'vantage-sees-ce'], { closed: true }), rule: 'center-view-lost', responsibility: 'monitoring', verdict: 'final' },
  { name: 'the collector lost the CE too: normal attribution (line cut)', f: facts([...lineCut, 'vantage-lost-ce'], { closed: true }), rule: 'line-cut', responsibility: 'line', verdict: 'final' },
  { name: 'the collector saw it at first and then lost it too: normal attribution (reboot)', f: facts([...powerLoss, 'vantage-sees-ce', 'vantage-lost-ce'], { closed: true }), rule: 'ce-rebooted', responsibility: 'device', verdict: 'final' },
  { name: 'a hang seen by the center while the collector reaches the CE: the center\'s view, not the CE', f: facts(['ce-unreachable', 'headend-up-moving', 'vantage-sees-ce'], { gap: 'management-plane-hang' }), rule: 'center-view-lost', responsibility: 'monitoring', verdict: 'provisional' },
  { name: 'center view lost inside a planned window: the site was up, so not planned downtime', f: facts(['ce-unreachable', 'vantage-sees-ce'], { plannedWindow: window }), rule: 'center-view-lost', responsibility: 'monitoring', verdict: 'provisional' },
  // 7 planned and overrun
  { name: 'inside a window registered in advance', f: facts(['ce-unreachable', 'headend-down'], { plannedWindow: window }), rule: 'planned-maintenance', responsibility: 'planned', verdict: 'provisional' },
  { name: 'planned, ended inside the window', f: facts(powerLoss, { plannedWindow: window, closed: true }), rule: 'planned-maintenance', responsibility: 'planned', verdict: 'final' },
  { name: 'the overrun past the window end', f: facts(['ce-unreachable', 'headend-down'], { overrunOfWindow: { id: 'MW-1', endedAt: T } }), rule: 'maintenance-overrun', responsibility: 'line', verdict: 'provisional' },
  // 9 still down / undetermined
  { name: 'still down, only the head-end says down', f: facts(['ce-unreachable', 'headend-down']), rule: 'awaiting-recovery', responsibility: 'undetermined', verdict: 'provisional' },
  { name: 'CE stayed up, nothing places the break', f: facts(['ce-unreachable', 'ce-returned', 'uptime-continuous'], { closed: true }), rule: 'unplaced-break', responsibility: 'undetermined', verdict: 'final' },
  { name: 'CE returned without uptime', f: facts(['ce-unreachable', 'headend-down', 'ce-returned', 'uptime-unknown'], { closed: true }), rule: 'no-uptime', responsibility: 'undetermined', verdict: 'final' },
  // 10 correction under control
  { name: 'approved correction overrides the table, even while open', f: facts(lineCut, { correction }), rule: 'operator-correction', responsibility: 'external', verdict: 'final' },
  { name: 'approved correction overrides a planned verdict', f: facts(['ce-unreachable'], { correction, plannedWindow: window }), rule: 'operator-correction', responsibility: 'external', verdict: 'final' },
];

describe('decision table', () => {
  it.each(cases)('$name → $responsibility ($verdict) by $rule', (c) => {
    const d = decide(c.f);
    expect({ rule: d.rule, responsibility: d.responsibility, verdict: d.verdict }).toEqual({ rule: c.rule, responsibility: c.responsibility, verdict: c.verdict });
    expect(d.reason.length).toBeGreaterThan(20);
    for (const e of d.evidence) expect(c.f.evidence).toContainEqual(e);
  });

  it('cites the evidence the rule rests on', () => {
    const d = decide(facts(lineCut, { closed: true }));
    expect(d.evidence.map((e) => e.kind)).toEqual(['headend-down', 'uptime-continuous', 'wan-change-inside']);
    expect(decide(facts(['ce-unreachable', 'oob-reachable', 'oob-wan-admin-down'])).evidence.map((e) => e.kind)).toEqual(['oob-reachable', 'oob-wan-admin-down']);
  });

  it('every rule of the table is exercised by a case above', () => {
    const covered = new Set(cases.map((c) => c.rule));
    expect(DECISION_TABLE.map((r) => r.rule).filter((r) => !covered.has(r))).toEqual([]);
  });

  it('is pure: the same facts give the same decision', () => {
    const f = facts(powerLoss, { closed: true });
    expect(decide(f)).toEqual(decide(structuredClone(f)));
  });
});
