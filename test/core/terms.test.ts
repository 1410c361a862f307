import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESPONSIBILITIES } from '../../core/incident.js';
import { TILE_STATES } from '../../core/site-state.js';
import {
  EVIDENCE_DETAIL_TEMPLATES,
  EVIDENCE_KINDS,
  EVIDENCE_KIND_TERMS,
  LOCALES,
  RESPONSIBILITY_TERMS,
  RULE_NAMES,
  RULE_REASON_TEMPLATES,
  RULE_TERMS,
  TILE_STATE_TERMS,
  evidenceDetail,
  evidenceKindLabel,
  ruleLabel,
  shanghaiTime,
  type TermParams,
} from '../../core/terms.js';
import { DECISION_TABLE } from '../../outage/attribution.js';
import { SIGNALS } from '../../outage/signals.js';

/** Protocol and product names that stay as written inside Chinese text. */
const ALLOWED_LATIN = new Set(['CE', 'CPE', 'WAN', 'SNMP', 'OOB', 'trap', 'Trap', 'sysUpTime', 'hrSystemUptime', 'ifLastChange', 'demarc', 'Mbit', 's', 'up', 'down', 'lowerLayerDown', 'dying', 'gasp']);
// Parameters in the sample are Chinese or digits, so any Latin word left came from a template.
const latinWords = (text: string) => (text.match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));

const SAMPLE: TermParams = {
  error: null, afterSec: 95, oper: 'down', inBps: 12_300_000, outBps: 4_000_000, wanOper: 'down', wanAdmin: 'up',
  from: 'ce', ifName: '0/0/1', detail: null, uptimeSec: 8_640_000, hostUptimeSec: 9_000_000, outageSec: 120, wrapped: false,
  changedAt: Date.UTC(2026, 2, 1, 4, 0, 0), until: Date.UTC(2026, 2, 1, 5, 0, 0), incidentId: '事件1', outcome: 'still-down',
  cause: 'silent', silent: 110, total: 120, group: '阿拉尔-2', minSites: 5, windowSec: 120, eventId: '群障1', durationSec: 20, polls: 2,
  windowId: '窗口1', noticeRef: '通知2026-01', startsAt: Date.UTC(2026, 2, 1), endsAt: Date.UTC(2026, 2, 1, 6), registeredAt: Date.UTC(2026, 1, 27), registeredBy: '张工',
  endedAt: Date.UTC(2026, 2, 1, 6), by: '张工', note: null, minutes: 50, limitH: 2, met: true, strictH: 1, strictMet: true,
  responsibility: 'line', proposedBy: '李工', reason: '现场确认为光缆被挖断', verdict: 'final', rule: 'line-cut', approvedBy: '王工',
};

describe('the terms table', () => {
  it('names every rule of the decision table, in its order', () => {
    expect(DECISION_TABLE.map((r) => r.rule)).toEqual([...RULE_NAMES]);
  });

  it('names every signal the state machine records, and every rule cites only known kinds', () => {
    for (const s of SIGNALS) expect(EVIDENCE_KINDS).toContain(s);
    for (const r of DECISION_TABLE) for (const c of r.cites) expect(EVIDENCE_KINDS, r.rule).toContain(c);
  });

  it('has a word in both languages for every responsibility, rule, evidence kind and tile state', () => {
    const tables = [
      [RESPONSIBILITY_TERMS, RESPONSIBILITIES],
      [RULE_TERMS, RULE_NAMES],
      [EVIDENCE_KIND_TERMS, EVIDENCE_KINDS],
      [TILE_STATE_TERMS, TILE_STATES],
    ] as const;
    for (const [table, keys] of tables) {
      expect(Object.keys(table).sort()).toEqual([...keys].sort());
      for (const k of keys) for (const l of LOCALES) expect((table as Record<string, Record<string, string>>)[k]![l]!.length, `${k}/${l}`).toBeGreaterThan(1);
    }
  });

  it('says the Chinese words without English (protocol names aside)', () => {
    const zh: [string, string][] = [];
    for (const k of EVIDENCE_KINDS) {
      zh.push([`label ${k}`, EVIDENCE_KIND_TERMS[k]['zh-CN']]);
      zh.push([`detail ${k}`, EVIDENCE_DETAIL_TEMPLATES[k]['zh-CN'](SAMPLE, 'zh-CN')]);
    }
    for (const r of RULE_NAMES) {
      zh.push([`rule ${r}`, RULE_TERMS[r]['zh-CN']]);
      zh.push([`reason ${r}`, RULE_REASON_TEMPLATES[r]['zh-CN'](SAMPLE, 'zh-CN')]);
    }
    for (const [what, text] of zh) expect(latinWords(text), `${what}: ${text}`).toEqual([]);
  });

  it.each([
    ['ce-unreachable', 'zh-CN', 'CE 带内不可达'],
    ['ce-unreachable', 'en', 'CE unreachable in-band'],
    ['trap:linkDown', 'en', 'Trap: link down'],
    ['something-new', 'zh-CN', 'something-new'],
    ['something-new', 'en', 'something-new'],
  ] as const)('labels kind %s in %s', (kind, locale, want) => {
    expect(evidenceKindLabel(kind, locale)).toBe(want);
  });

  it.each([
    [{ kind: 'ce-returned', params: { afterSec: 95.4 } }, 'zh-CN', 'CE 在 95 秒后带内恢复应答'],
    [{ kind: 'ce-returned', params: { afterSec: 95.4 } }, 'en', 'CE answered in-band again after 95 s'],
    [{ kind: 'headend-up-moving', params: { inBps: 12_340_000, outBps: 0 } }, 'zh-CN', '中心端接口正常，仍有流量：入 12.3 Mbit/s，出 0.0 Mbit/s'],
    // Interface status and SNMP failures are codes in the params, words in the sentence.
    [{ kind: 'oob-reachable', params: { wanOper: 'down', wanAdmin: 'up' } }, 'zh-CN', 'CE 经带外通道应答（WAN 口运行状态断开，管理状态正常）'],
    [{ kind: 'oob-reachable', params: { wanOper: 'down', wanAdmin: 'up' } }, 'en', 'CE answered over its out-of-band path (WAN oper down, admin up)'],
    [{ kind: 'headend-down', params: { oper: 'lowerLayerDown' } }, 'zh-CN', '中心端电路接口状态为下层断开'],
    [{ kind: 'ce-unreachable', params: { error: 'timeout' } }, 'zh-CN', 'CE 带内无响应（请求超时）'],
    [{ kind: 'ce-unreachable', params: { error: 'timeout' } }, 'en', 'CE did not answer in-band (timeout)'],
    [{ kind: 'ce-unreachable', params: { error: 'something new' } }, 'zh-CN', 'CE 带内无响应（something new）'],
    [{ kind: 'wan-change-inside', params: { changedAt: Date.UTC(2026, 2, 1, 4, 0, 5) } }, 'zh-CN', 'CE 的 WAN 口于 2026-03-01 12:00:05 变化（ifLastChange），在中断期间内'],
    [{ kind: 'verdict', params: { responsibility: 'device', verdict: 'final', rule: 'ce-rebooted' } }, 'zh-CN',
      '设备侧，终判，规则「CE 重启或掉电」：CE 恢复后的运行时间短于中断时长：CE 掉电或故障（站点电源与 CE 属设备侧）'],
    [{ kind: 'flap', params: { durationSec: 12, polls: null } }, 'en', 'the circuit dropped for 12 s (seen only by linkDown/linkUp traps between polls)'],
    // Stored before evidence was structured: the recorded sentence is kept.
    [{ kind: 'ce-unreachable', detail: 'CE did not answer in-band (timeout)' }, 'zh-CN', 'CE did not answer in-band (timeout)'],
    [{ kind: 'unknown-kind', params: { a: 1 }, detail: 'as written' }, 'en', 'as written'],
  ] as const)('renders %j in %s', (e, locale, want) => {
    expect(evidenceDetail(e, locale)).toBe(want);
  });

  it('labels a rule it does not know as written', () => {
    expect(ruleLabel('line-cut', 'zh-CN')).toBe('线路中断');
    expect(ruleLabel('future-rule', 'zh-CN')).toBe('future-rule');
  });

  it('shows times in Asia/Shanghai', () => {
    expect(shanghaiTime(Date.UTC(2026, 11, 31, 16, 30, 0))).toBe('2027-01-01 00:30:00');
  });

  it('is the table docs/attribution.md describes: every rule is named there', () => {
    const doc = readFileSync(new URL('../../docs/attribution.md', import.meta.url), 'utf8');
    for (const r of RULE_NAMES) expect(doc, r).toContain(`\`${r}\``);
  });
});
