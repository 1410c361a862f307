import { describe, expect, it } from 'vitest';
import { ALERT_STATUSES } from '../../alerts/alert.js';
import { ALERT_RULES, SEVERITIES } from '../../alerts/alert-rules.js';
import {
  ALERT_RULE_TERMS,
  ALERT_SEVERITY_TERMS,
  ALERT_STATUS_TERMS,
  DELIVERY_STATUS_TERMS,
  opsTerm,
  SILENCE_STATE_TERMS,
  UNCOVERED_REASON_TERMS,
} from '../../core/ops-terms.js';
import { UNCOVERED_REASONS } from '../../outage/maintenance-coverage.js';

const HAN = /\p{Script=Han}/u;

describe('the operations vocabulary', () => {
  const tables: [string, Readonly<Record<string, { 'zh-CN': string; en: string }>>, readonly string[]][] = [
    ['alert rules', ALERT_RULE_TERMS, ALERT_RULES],
    ['severities', ALERT_SEVERITY_TERMS, SEVERITIES],
    ['alert statuses', ALERT_STATUS_TERMS, ALERT_STATUSES],
    ['delivery statuses', DELIVERY_STATUS_TERMS, ['queued', 'sent', 'dead']],
    ['silence states', SILENCE_STATE_TERMS, ['proposed', 'scheduled', 'active', 'expired', 'lifted']],
    ['uncovered reasons', UNCOVERED_REASON_TERMS, UNCOVERED_REASONS],
  ];
  for (const [name, table, codes] of tables) {
    it(`has a Chinese and an English word for every one of the ${name}, and nothing else`, () => {
      expect(Object.keys(table).sort()).toEqual([...codes].sort());
      for (const c of codes) {
        expect(table[c]!['zh-CN'], c).toMatch(HAN);
        expect(table[c]!.en, c).not.toMatch(HAN);
      }
    });
  }

  it('shows an unknown code as itself', () => {
    expect(opsTerm(ALERT_RULE_TERMS, 'site-down', 'zh-CN')).toBe('电路中断');
    expect(opsTerm(ALERT_RULE_TERMS, 'new-rule', 'zh-CN')).toBe('new-rule');
  });
});
